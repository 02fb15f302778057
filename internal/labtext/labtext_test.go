package labtext

import (
	"testing"

	"renalwatch/units"
)

// The table rows the assessment's alert messages quote (potassium, Hb,
// systolic BP, UPCR), with imported Synthea-shaped values.
func TestLabRowsUsedByAlerts(t *testing.T) {
	for _, tc := range []struct {
		an   units.Analyte
		v    float64
		u    units.Unit
		want string
	}{
		{units.Potassium, 3.70989, units.MmolPerL, "3.7"},
		{units.Potassium, 6.5, units.MmolPerL, "6.5"},
		{units.Hemoglobin, 10.13, units.GPerDL, "10.1"},
		{units.SystolicBP, 179.604, units.MmHg, "180"},
		{units.PCR, 1.8, units.GPerG, "1.80"},
		{units.PCR, 0.004, units.GPerG, "0.004"}, // never reads 0
		{units.PCR, 3600, units.MgPerG, "3600"},
		{units.Creatinine, 2.68112, units.Unit("mg/dL{x}"), "2.68112"}, // unit not in the table: 6 significant digits
	} {
		if got := Lab(tc.an, tc.v, tc.u); got != tc.want {
			t.Errorf("Lab(%v, %v, %s) = %q, want %q", tc.an, tc.v, tc.u, got, tc.want)
		}
	}
	if got := Sig(106.08000000000001, 6); got != "106.08" {
		t.Errorf("Sig = %q", got)
	}
}
