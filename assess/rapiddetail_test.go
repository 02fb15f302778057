package assess

import (
	"strings"
	"testing"

	"renalwatch/ckd"
)

// TestRapidDetailOneDecimals: the rapid-progression detail (the alert
// message) prints the slope and its 95% CI at one number of decimals, as
// the report's trend line does (internal/textfmt.Slope, docs/report.md
// "Numbers in human text"): never "-3.1 (95% CI -4.237 to -1.96)".
func TestRapidDetailOneDecimals(t *testing.T) {
	for _, tc := range []struct {
		s    ckd.Slope
		want string
	}{
		{ckd.Slope{PerYear: -3.1, CI95: [2]float64{-4.237, -1.96}, Points: 5}, "slope -3.100 mL/min/1.73 m²/year (95% CI -4.237 to -1.960) over 5 values"},
		{ckd.Slope{PerYear: -6.7701, CI95: [2]float64{-16.0673, 2.5271}, Points: 4}, "slope -6.77 mL/min/1.73 m²/year (95% CI -16.07 to 2.53) over 4 values"},
		// No interval: the slope alone at 4 significant digits, and why.
		{ckd.Slope{PerYear: -0.338792, NoCI: ckd.NoCIFlat, Points: 3}, "slope -0.3388 mL/min/1.73 m²/year (" + ckd.NoCIFlat + ") over 3 values"},
	} {
		if got := rapid(tc.s).Detail; !strings.Contains(got, tc.want) {
			t.Errorf("detail %q\nwant it to contain %q", got, tc.want)
		}
	}
}
