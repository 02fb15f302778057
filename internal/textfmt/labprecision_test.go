package textfmt

import (
	"testing"

	"renalwatch/units"
)

// TestLab: each row of the labtext table, with imported (Synthea) values of
// trial #15, and the fallback of a unit the table does not list.
func TestLab(t *testing.T) {
	for _, c := range []struct {
		an   units.Analyte
		v    float64
		u    units.Unit
		want string
	}{
		{units.SystolicBP, 191.108, units.MmHg, "191"},
		{units.DiastolicBP, 103.135, units.MmHg, "103"},
		{units.SystolicBP, 179.604, units.MmHg, "180"},
		{units.Creatinine, 2.68112, units.MgPerDL, "2.68"},
		{units.Creatinine, 1.07575, units.MgPerDL, "1.08"},
		{units.Creatinine, 1.1, units.MgPerDL, "1.10"},
		{units.Creatinine, 237.01, units.UmolPerL, "237"},
		{units.Creatinine, 0.2370, units.MmolPerL, "0.24"},
		{units.CystatinC, 1.2345, units.MgPerL, "1.23"},
		{units.Hemoglobin, 13.175, units.GPerDL, "13.2"},
		{units.Hemoglobin, 131.75, units.GPerL, "132"},
		{units.Potassium, 3.70989, units.MmolPerL, "3.7"},
		{units.Potassium, 4, units.MeqPerL, "4.0"},
		{units.Bicarbonate, 21.46, units.MmolPerL, "21.5"},
		{units.Albumin, 3.456, units.GPerDL, "3.5"},
		{units.Albumin, 34.56, units.GPerL, "35"},
		{units.ACR, 265.20000000000005, units.MgPerG, "265"},
		{units.ACR, 30.04, units.MgPerMmol, "30.0"},
		{units.PCR, 1.2345, units.GPerG, "1.23"},
		{units.UrineRBC, 12.4, units.PerHPF, "12"},
		{units.UrineWBC, 5.5, units.PerHPF, "6"},
		{units.C3, 78.6, units.MgPerDL, "79"},
		{units.C4, 0.1234, units.GPerL, "0.12"},
		{units.AntiDsDNA, 212.7, units.IUPerML, "213"},
		// never 0 for a value that is not 0: one significant digit
		{units.ACR, 0.4, units.MgPerG, "0.4"},
		{units.UrineRBC, 0.04, units.PerHPF, "0.04"},
		{units.ACR, 0, units.MgPerG, "0"},
		// a unit not in the table: 6 significant digits (Measured)
		{units.CystatinC, 89.123456, units.NmolPerL, "89.1235"},
		{units.Calcium, 9.412345, units.MgPerDL, "9.41235"},
	} {
		if got := Lab(c.an, c.v, c.u); got != c.want {
			t.Errorf("Lab(%s, %v %s) = %q, want %q", c.an, c.v, c.u, got, c.want)
		}
	}
	if got := LabQ(units.SystolicBP, units.Quantity{Value: 191.108, Unit: units.MmHg}); got != "191 mmHg" {
		t.Errorf("LabQ = %q, want 191 mmHg", got)
	}
}

// TestShownChange: a change has the precision of the values shown, with
// an explicit sign, and is the difference of the numbers on the row.
func TestShownChange(t *testing.T) {
	for _, c := range []struct{ latest, previous, want string }{
		{Lab(units.Creatinine, 2.68112, units.MgPerDL), Lab(units.Creatinine, 2.40636, units.MgPerDL), "+0.27"},
		{Lab(units.Hemoglobin, 13.175, units.GPerDL), Lab(units.Hemoglobin, 8.31591, units.GPerDL), "+4.9"},
		{Lab(units.Potassium, 3.70989, units.MmolPerL), Lab(units.Potassium, 4.15334, units.MmolPerL), "-0.5"},
		{Lab(units.SystolicBP, 191.108, units.MmHg), Lab(units.SystolicBP, 160.868, units.MmHg), "+30"},
		{Lab(units.ACR, 12.0, units.MgPerG), Lab(units.ACR, 14.2413, units.MgPerG), "-2"},
		{"1.10", "1.10", "0"},
		{"60 (59.71 unrounded)", "57", "+3"},
	} {
		if got := ShownChange(c.latest, c.previous); got != c.want {
			t.Errorf("ShownChange(%q, %q) = %q, want %q", c.latest, c.previous, got, c.want)
		}
	}
}
