package assess_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/units"
)

// TestConfigValidateNamesKey: each refused setting is a *ConfigError with
// the setting's key and what is accepted; the edges of each range are
// accepted.
func TestConfigValidateNamesKey(t *testing.T) {
	const day = 24 * time.Hour
	for _, tc := range []struct {
		key  string
		edit func(*assess.Config)
	}{
		{"adult_equation", func(c *assess.Config) { c.AdultEquation = "ckd-epi-2009" }},    // legacy, race coefficient
		{"adult_equation", func(c *assess.Config) { c.AdultEquation = "ckid-u25" }},        // paediatric
		{"adult_equation", func(c *assess.Config) { c.AdultEquation = "cockcroft-gault" }}, // mL/min, not per 1.73 m2
		{"adult_cystatin_equation", func(c *assess.Config) { c.AdultCystatinEquation = "ckd-epi-2012-cys" }},
		{"child_equation", func(c *assess.Config) { c.ChildEquation = "ckd-epi-2021" }},
		{"current_window", func(c *assess.Config) { c.CurrentWindow = 29 * day }},
		{"current_window", func(c *assess.Config) { c.CurrentWindow = 731 * day }},
		{"potassium_window", func(c *assess.Config) { c.PotassiumWindow = 91 * day }},
		{"slope_window", func(c *assess.Config) { c.SlopeWindow = 0 }},
		{"sledai_window", func(c *assess.Config) { c.SLEDAIWindowDays = 14 }},
		{"kfre_5y_referral", func(c *assess.Config) { c.KFRE5yReferral = 5 }},
		{"kfre_2y_multidisciplinary", func(c *assess.Config) { c.KFRE2yMultidisciplinary = 0.5 }},
		{"potassium_high", func(c *assess.Config) { c.PotassiumHigh = units.Q(6.6, units.MmolPerL) }},
		{"potassium_high", func(c *assess.Config) { c.PotassiumHigh = units.Q(6.0, units.MmolPerL) }}, // not below critical 6.0
		{"potassium_critical", func(c *assess.Config) { c.PotassiumCritical = units.Q(23, units.MgPerDL) }},
	} {
		c := assess.DefaultConfig()
		tc.edit(&c)
		var ce *assess.ConfigError
		if err := c.Validate(); !errors.As(err, &ce) || ce.Key != tc.key || ce.Accepted == "" {
			t.Errorf("%s: got %v, want a ConfigError for %s", tc.key, err, tc.key)
		}
	}
	for _, edit := range []func(*assess.Config){
		func(c *assess.Config) { c.AdultEquation = "ekfc" },
		func(c *assess.Config) { c.AdultCystatinEquation = "" },
		func(c *assess.Config) { c.CurrentWindow = 730 * day; c.PotassiumWindow = 90 * day },
		func(c *assess.Config) { c.CurrentWindow = 30 * day },
		func(c *assess.Config) {
			c.PotassiumHigh = units.Q(5.0, units.MeqPerL)
			c.PotassiumCritical = units.Q(8, units.MmolPerL)
		},
		func(c *assess.Config) { c.KFRE5yReferral = 0.03 }, // KDIGO 2024 PP 2.2.1: 3%-5%
	} {
		c := assess.DefaultConfig()
		edit(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("accepted setting refused: %v", err)
		}
	}
	if got := assess.AdultEquations(); !slices.Equal(got, []string{"ckd-epi-2021", "ekfc"}) {
		t.Errorf("AdultEquations() = %v", got)
	}
}
