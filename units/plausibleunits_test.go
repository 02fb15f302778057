package units

import (
	"slices"
	"testing"
)

// TestPlausibleUnits: the units in which a bare number is a plausible
// measurement (creatinine 0.1-30 mg/dL, 8.84-2652 umol/L): 106 only as
// umol/L, 1.2 as mg/dL or mmol/L (13.6 mg/dL), nothing for 99999.
func TestPlausibleUnits(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want []Unit
	}{
		{106, []Unit{UmolPerL}},
		{1.2, []Unit{MgPerDL, MmolPerL}},
		{99999, nil},
	} {
		if got := Creatinine.PlausibleUnits(tc.v); !slices.Equal(got, tc.want) {
			t.Errorf("creatinine %v: %v, want %v", tc.v, got, tc.want)
		}
	}
}
