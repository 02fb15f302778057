package assess

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"renalwatch/egfr"

	"renalwatch/kfre"
	"renalwatch/lupus"
	"renalwatch/units"
)

// Config chooses the equations, rules and thresholds an assessment applies.
// Every choice is reported in the Assessment (Assessment.Config), so a reader
// knows which definitions produced each result. Build one with DefaultConfig
// and change what you need.
type Config struct {
	// AdultEquation is the creatinine equation for a sample taken at 18
	// years or older; KDIGO 2024 recommends the race-free CKD-EPI 2021
	// creatinine equation (lupus.md §7.1).
	AdultEquation string `json:"adult_equation"`
	// AdultCystatinEquation is used for an adult creatinine that has a
	// cystatin C from the same calendar day (UTC); empty disables it.
	AdultCystatinEquation string `json:"adult_cystatin_equation"`
	// ChildEquation is the equation below 18 years. The default, CKiD U25
	// creatinine (Pierce 2021), needs a height.
	ChildEquation string `json:"child_equation"`
	// HeightWindow is how long before a child's creatinine a height may
	// have been measured to be used with it.
	HeightWindow time.Duration `json:"-"`

	// SlopeWindow is the span before as_of whose eGFR values enter the
	// slope (least squares, ckd.EGFRSlope).
	SlopeWindow time.Duration `json:"-"`
	// CurrentWindow is how old a laboratory value may be and still count as
	// current: the ACR/UPCR used for staging and the KFRE, the eGFR behind
	// the ckd-g4, ckd-g5, rapid-progression and egfr-drop alerts, the proteinuria
	// and urine sediment behind alerts; potassium, haemoglobin and blood
	// pressure have shorter windows (below).
	CurrentWindow time.Duration `json:"-"`
	// PotassiumWindow, HemoglobinWindow and BPWindow are how old a
	// potassium, haemoglobin or systolic blood pressure may be and still
	// count as current for an alert; each is capped by CurrentWindow. They
	// are shorter than CurrentWindow because these values change fast
	// (review 2 item 10): potassium moves within days with diet, drugs
	// (RAAS blockers, mineralocorticoid antagonists) and kidney function,
	// and a hyperkalaemia alert asks for action now, so 30 days; the red
	// cell lives about 120 days and KDIGO 2012 anaemia guideline monitors Hb
	// every 3 months in some patients (e.g. dialysis, treated anaemia), so
	// 90 days; the KDIGO 2021 BP target is judged on standardised office
	// readings taken at clinic visits that are months apart, and treatment
	// changes act over weeks, so 180 days.
	PotassiumWindow  time.Duration `json:"-"`
	HemoglobinWindow time.Duration `json:"-"`
	BPWindow         time.Duration `json:"-"`
	// KFRELabWindow is how far from the eGFR sample the four extra
	// laboratory values of the 8-variable KFRE may be.
	KFRELabWindow time.Duration `json:"-"`
	// KFRERegion is the KFRE calibration (Tangri 2016).
	KFRERegion kfre.Region `json:"kfre_region"`

	// ResponseRule and FlareRule are the lupus nephritis definitions applied
	// (lupus.md §2; the lupus package names and cites each).
	ResponseRule lupus.ResponseRule `json:"response_rule"`
	FlareRule    lupus.FlareRule    `json:"flare_rule"`
	// BaselineLookback is how long before a therapy's start a value may
	// have been taken to serve as its baseline.
	BaselineLookback time.Duration `json:"-"`
	// SLEDAIWindowDays is the SLEDAI-2K attribution window: 10 (Gladman
	// 2002) or 30 (Touma 2010).
	SLEDAIWindowDays int `json:"sledai_window_days"`

	// KFRE5yReferral is the 5-year KFRE risk at or above which the
	// kfre-5y-referral alert is raised. KDIGO 2024 practice point 2.2.1: "a
	// 5-year kidney failure risk of 3%–5% can be used to determine need for
	// nephrology referral" (text checked with the search tool in the KDIGO
	// 2024 Table 2 summary). RenalWatch takes the upper end, 5%, which is
	// also NICE NG203's referral threshold; every lupus nephritis patient is
	// already under specialist care (lupus.md §7.5).
	KFRE5yReferral float64 `json:"kfre_5y_referral"`
	// KFRE2yMultidisciplinary (> 10%) and KFRE2yKRTPlanning (> 40%) are
	// KDIGO 2024 CKD guideline practice points 2.2.2, "A 2-year kidney
	// failure risk of >10% can be used to determine the timing of
	// multidisciplinary care in addition to eGFR-based criteria and other
	// clinical considerations", and 2.2.3, "A 2-year kidney failure risk
	// threshold of >40% can be used to determine the modality education,
	// timing of preparation for kidney replacement therapy (KRT) including
	// vascular access planning or referral for transplantation, in addition
	// to eGFR-based criteria and other clinical considerations" (wording and
	// numbers checked with the search tool: the KDIGO 2024 Table 2 summary
	// up to 2.2.2, and two public implementations quoting 2.2.1-2.2.4 in
	// full; the guideline's chapter 5 repeats the 40% in its KRT-planning
	// practice point, 5.4.3 in one secondary source).
	KFRE2yMultidisciplinary float64 `json:"kfre_2y_multidisciplinary"`
	KFRE2yKRTPlanning       float64 `json:"kfre_2y_krt_planning"`

	// PotassiumHigh (warning, >) and PotassiumCritical (critical, >=)
	// are hyperkalaemia thresholds in mmol/L. KDIGO 2024 gives no single
	// cut-off (lupus.md §7.8 [M]); the defaults 5.5 and 6.0 are common
	// laboratory bands and are reported with the source "local protocol".
	PotassiumHigh     units.Quantity `json:"potassium_high"`
	PotassiumCritical units.Quantity `json:"potassium_critical"`
}

// DefaultConfig returns the configuration RenalWatch applies unless told
// otherwise: ckd-epi-2021 for adults (ckd-epi-2021-cys with a same-day
// cystatin C), ckid-u25 below 18 years with a height from the 180 days
// before the sample, a 3-year slope window, values current for 365 days
// (potassium 30, haemoglobin 90, blood pressure 180),
// KFRE North American calibration, kdigo-2024 response, kdigo-2012 flare,
// a 90-day baseline lookback, the 10-day SLEDAI-2K window, and the alert
// thresholds documented on Config's fields.
func DefaultConfig() Config {
	return Config{
		AdultEquation:           "ckd-epi-2021",
		AdultCystatinEquation:   "ckd-epi-2021-cys",
		ChildEquation:           "ckid-u25",
		HeightWindow:            180 * day,
		SlopeWindow:             3 * 365 * day,
		CurrentWindow:           365 * day,
		PotassiumWindow:         30 * day,
		HemoglobinWindow:        90 * day,
		BPWindow:                180 * day,
		KFRELabWindow:           90 * day,
		KFRERegion:              kfre.NorthAmerica,
		ResponseRule:            lupus.KDIGO2024,
		FlareRule:               lupus.KDIGO2012Flare,
		BaselineLookback:        90 * day,
		SLEDAIWindowDays:        10,
		KFRE5yReferral:          0.05,
		KFRE2yMultidisciplinary: 0.10,
		KFRE2yKRTPlanning:       0.40,
		PotassiumHigh:           units.Q(5.5, units.MmolPerL),
		PotassiumCritical:       units.Q(6.0, units.MmolPerL),
	}
}

const day = 24 * time.Hour

// ConfigError is a setting Validate refuses: Key is the setting's name
// (as in the configuration file, see docs/report.md), Value what was given,
// Accepted the values or range RenalWatch accepts.
type ConfigError struct {
	Key, Value, Problem, Accepted string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("config %s: %s %s (accepted: %s)", e.Key, e.Value, e.Problem, e.Accepted)
}

// AdultEquations lists the equations Validate accepts as AdultEquation:
// the current (not legacy) creatinine-only equations validated from 18
// years with no upper age, in mL/min/1.73 m2 — CKD-EPI 2021, which KDIGO
// 2024 recommends in North America, and EKFC (Pottel 2021), validated in
// European cohorts. Legacy equations (CKD-EPI 2009, MDRD) are refused:
// KDIGO 2024 recommends race-free equations.
func AdultEquations() []string {
	return equationsWhere(func(e egfr.Equation) bool {
		return e.Needs&^egfr.FieldSex == egfr.FieldCreatinine && e.MinAge <= 18 && e.MaxAge == 0
	})
}

// AdultCystatinEquations lists the equations Validate accepts as
// AdultCystatinEquation (empty turns it off): the current combined
// creatinine-cystatin C equations for adults (CKD-EPI 2021 cr-cys).
func AdultCystatinEquations() []string {
	return equationsWhere(func(e egfr.Equation) bool {
		return e.Needs&^egfr.FieldSex == egfr.FieldCreatinine|egfr.FieldCystatinC && e.MinAge <= 18 && e.MaxAge == 0
	})
}

// ChildEquations lists the equations Validate accepts as ChildEquation:
// the current creatinine equations (with or without a height) validated
// below 18 years (CKiD U25, bedside Schwartz, EKFC).
func ChildEquations() []string {
	return equationsWhere(func(e egfr.Equation) bool {
		return e.Needs&^(egfr.FieldSex|egfr.FieldHeight) == egfr.FieldCreatinine && e.MinAge < 18
	})
}

func equationsWhere(ok func(egfr.Equation) bool) []string {
	var names []string
	for _, n := range egfr.Names() {
		if e, found := egfr.Lookup(n); found && !e.Legacy && e.Unit == units.MLPerMinBSA && ok(e) {
			names = append(names, n)
		}
	}
	return names
}

// windowRanges are the accepted ranges of the windows, in days. They are
// RenalWatch's guards against a mistyped setting, not guideline values:
// a value is "current" for at most two years (KDIGO 2024 PP 2.1.1 asks for
// at least yearly monitoring), potassium for at most 90 days, and the slope
// spans at least 180 days.
var windowRanges = []struct {
	key      string
	min, max float64
	get      func(Config) time.Duration
}{
	{"height_window", 1, 365, func(c Config) time.Duration { return c.HeightWindow }},
	{"slope_window", 180, 3650, func(c Config) time.Duration { return c.SlopeWindow }},
	{"current_window", 30, 730, func(c Config) time.Duration { return c.CurrentWindow }},
	{"potassium_window", 1, 90, func(c Config) time.Duration { return c.PotassiumWindow }},
	{"hemoglobin_window", 1, 365, func(c Config) time.Duration { return c.HemoglobinWindow }},
	{"bp_window", 1, 365, func(c Config) time.Duration { return c.BPWindow }},
	{"kfre_lab_window", 1, 365, func(c Config) time.Duration { return c.KFRELabWindow }},
	{"baseline_lookback", 1, 365, func(c Config) time.Duration { return c.BaselineLookback }},
}

// Potassium threshold ranges in mmol/L: typo guards around the common
// laboratory bands (5.5 and 6.0 mmol/L), not guideline values.
const (
	potassiumHighMin, potassiumHighMax         = 5.0, 6.5
	potassiumCriticalMin, potassiumCriticalMax = 5.5, 8.0
)

// Validate reports the first setting Assess cannot apply, as a
// *ConfigError naming the setting and what is accepted: an equation, rule
// or region that is not one of the accepted lists, a window outside its
// range (windowRanges), a SLEDAI-2K window other than 10 or 30 days, a risk
// threshold outside 0-1 (a percentage given as 5 instead of 0.05 is
// refused) or a multidisciplinary threshold not below the KRT-planning one,
// a potassium threshold in the wrong unit, outside its range or a warning
// threshold not below the critical one. Adapters call it before Assess,
// which applies whatever it is given and reports what it could not compute
// in Missing.
func (c Config) Validate() error {
	for _, eq := range []struct {
		key, name string
		accepted  []string
	}{
		{"adult_equation", c.AdultEquation, AdultEquations()},
		{"adult_cystatin_equation", c.AdultCystatinEquation, append(AdultCystatinEquations(), `"" (off)`)},
		{"child_equation", c.ChildEquation, ChildEquations()},
	} {
		if eq.name == "" && eq.key == "adult_cystatin_equation" {
			continue
		}
		if !slices.Contains(eq.accepted, eq.name) {
			problem := "is not a known equation"
			if _, ok := egfr.Lookup(eq.name); ok {
				problem = "cannot be used here"
			}
			return &ConfigError{eq.key, fmt.Sprintf("%q", eq.name), problem, strings.Join(eq.accepted, ", ")}
		}
	}
	if !slices.Contains(lupus.ResponseRules(), c.ResponseRule) {
		return &ConfigError{"response_rule", fmt.Sprintf("%q", c.ResponseRule), "is not a known rule", joinStrings(lupus.ResponseRules())}
	}
	if !slices.Contains(lupus.FlareRules(), c.FlareRule) {
		return &ConfigError{"flare_rule", fmt.Sprintf("%q", c.FlareRule), "is not a known rule", joinStrings(lupus.FlareRules())}
	}
	if c.KFRERegion != kfre.NorthAmerica && c.KFRERegion != kfre.Other {
		return &ConfigError{"kfre_region", fmt.Sprint(int(c.KFRERegion)), "is not a region", "north-america, other"}
	}
	for _, w := range windowRanges {
		d := w.get(c).Hours() / 24
		if !(d >= w.min && d <= w.max) {
			return &ConfigError{w.key, fmt.Sprintf("%v days", d), "is out of range", fmt.Sprintf("%v to %v days", w.min, w.max)}
		}
	}
	if c.SLEDAIWindowDays != 10 && c.SLEDAIWindowDays != 30 {
		return &ConfigError{"sledai_window", fmt.Sprintf("%d days", c.SLEDAIWindowDays), "is not a SLEDAI-2K window", "10 days (Gladman 2002) or 30 days (Touma 2010)"}
	}
	for _, r := range []struct {
		key string
		v   float64
	}{{"kfre_5y_referral", c.KFRE5yReferral}, {"kfre_2y_multidisciplinary", c.KFRE2yMultidisciplinary}, {"kfre_2y_krt_planning", c.KFRE2yKRTPlanning}} {
		if !(r.v > 0 && r.v < 1) {
			return &ConfigError{r.key, fmt.Sprint(r.v), "is not a probability", "above 0 and below 1 (0.05 is 5%)"}
		}
	}
	if !(c.KFRE2yMultidisciplinary < c.KFRE2yKRTPlanning) {
		return &ConfigError{"kfre_2y_multidisciplinary", fmt.Sprint(c.KFRE2yMultidisciplinary), "is not below kfre_2y_krt_planning " + fmt.Sprint(c.KFRE2yKRTPlanning), "a risk below kfre_2y_krt_planning"}
	}
	var k [2]float64
	for i, t := range []struct {
		key      string
		q        units.Quantity
		min, max float64
	}{{"potassium_high", c.PotassiumHigh, potassiumHighMin, potassiumHighMax}, {"potassium_critical", c.PotassiumCritical, potassiumCriticalMin, potassiumCriticalMax}} {
		accepted := fmt.Sprintf("%v to %v mmol/L (or mEq/L)", t.min, t.max)
		q, err := units.Potassium.Convert(t.q, units.MmolPerL)
		if err != nil {
			return &ConfigError{t.key, t.q.Text(), "is not a potassium concentration", accepted}
		}
		if !(q.Value >= t.min && q.Value <= t.max) {
			return &ConfigError{t.key, t.q.Text(), "is out of range", accepted}
		}
		k[i] = q.Value
	}
	if !(k[0] < k[1]) {
		return &ConfigError{"potassium_high", c.PotassiumHigh.Text(), "is not below potassium_critical " + c.PotassiumCritical.Text(), "a concentration below potassium_critical"}
	}
	return nil
}

func joinStrings[S ~string](xs []S) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// MarshalJSON writes the configuration with its windows in days.
func (c Config) MarshalJSON() ([]byte, error) {
	type plain Config
	days := func(d time.Duration) float64 { return d.Hours() / 24 }
	return json.Marshal(struct {
		plain
		HeightWindowDays     float64 `json:"height_window_days"`
		SlopeWindowDays      float64 `json:"slope_window_days"`
		CurrentWindowDays    float64 `json:"current_window_days"`
		PotassiumWindowDays  float64 `json:"potassium_window_days"`
		HemoglobinWindowDays float64 `json:"hemoglobin_window_days"`
		BPWindowDays         float64 `json:"bp_window_days"`
		KFRELabWindowDays    float64 `json:"kfre_lab_window_days"`
		BaselineLookbackDays float64 `json:"baseline_lookback_days"`
	}{plain(c), days(c.HeightWindow), days(c.SlopeWindow), days(c.CurrentWindow), days(c.PotassiumWindow), days(c.HemoglobinWindow), days(c.BPWindow), days(c.KFRELabWindow), days(c.BaselineLookback)})
}
