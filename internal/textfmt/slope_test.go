package textfmt

import (
	"strings"
	"testing"
)

// TestSlopeCIOneDecimals: the slope and both bounds of its 95% CI read at
// one number of decimals, those that give the largest of the three 4
// significant digits (the package doc's Slope rule); before, each had its
// own 4 significant digits ("25.26 (95% CI 9.327 to 41.19)").
func TestSlopeCIOneDecimals(t *testing.T) {
	for _, tc := range []struct {
		slope, lo, hi float64
		want          string
	}{
		// The demo child (child-ln): 25.26 [9.327, 41.19] before.
		{25.260164137060897, 9.3269, 41.1934, "25.26 (95% CI 9.33 to 41.19)"},
		// The demo dialysis patient: 6.77 [-2.527, 16.07] before.
		{6.7701, -2.5271, 16.0673, "6.77 (95% CI -2.53 to 16.07)"},
		// A slope with fewer digits than its bounds: trailing zeros kept.
		{-3.1, -4.237, -1.96, "-3.100 (95% CI -4.237 to -1.960)"},
		// Unchanged when the three already share their decimals.
		{-16.4389, -20.4521, -12.4257, "-16.44 (95% CI -20.45 to -12.43)"},
		// A bound of 100 or more: 1 decimal (three noisy values); of 1000
		// or more, whole numbers. A bound that rounds to 0 reads 0, not -0.
		{-7.2, -170.43, 155.92, "-7.2 (95% CI -170.4 to 155.9)"},
		{-7.2, -1704.3, 1559.2, "-7 (95% CI -1704 to 1559)"},
		{1.2, -0.0004, 2.4, "1.200 (95% CI 0.000 to 2.400)"},
		// A slope near 0: the decimals follow the largest bound.
		{0.00123, -0.5, 0.5, "0.0012 (95% CI -0.5000 to 0.5000)"},
	} {
		got := Slope(tc.slope, &[2]float64{tc.lo, tc.hi}, "")
		got = strings.Replace(got, " mL/min/1.73 m²/year", "", 1)
		if got != tc.want {
			t.Errorf("Slope(%v, [%v, %v]) = %q, want %q", tc.slope, tc.lo, tc.hi, got, tc.want)
		}
	}
}
