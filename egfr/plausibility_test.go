package egfr

import (
	"math"
	"strings"
	"testing"

	"renalwatch/units"
)

// TestHeightZ checks the modified z-score against the CDC 2000 data files
// themselves: the published 3rd and 97th percentiles (z = ∓1.881) of
// statage.csv give modified z-scores of about ∓1.88 (computed
// independently from the rows' L, M, S in Python: 1.8808, 1.8862, -1.8735).
func TestHeightZ(t *testing.T) {
	tests := []struct {
		height, months float64
		sex            int
		want           float64
	}{
		{93.45923029, 24.5, 0, 1.8808},   // boys 24.5 months, P97
		{184.1269767, 180.5, 0, 1.8862},  // boys 180.5 months, P97 (L = 2.2)
		{154.6055622, 180.5, 0, -1.8735}, // boys 180.5 months, P3
		{138.2111552, 120.5, 1, 0},       // girls 120.5 months, median
	}
	for _, tt := range tests {
		z, ok := heightZ(tt.height, tt.months/12, tt.sex)
		if !ok || math.Abs(z-tt.want) > 0.001 {
			t.Errorf("heightZ(%v cm, %v months, sex %d) = %v, %v; want %v", tt.height, tt.months, tt.sex, z, ok, tt.want)
		}
	}
	if _, ok := heightZ(170, 19.5, 0); ok {
		t.Error("heightZ at 19.5 years: want no reference (the table ends at 228.5 months)")
	}
}

// TestImpossibleEstimateWarns is the regression test of issue 7 item 15:
// creatinine 0.1 mg/dL, age 1, height 260 cm gave a CKiD U25 eGFR of 929
// with no warning. It now warns three times: eGFR far above physiology, a
// height outside the CKiD U25 input range (0.6-2 m, CKiD study code), and a
// height implausible for a 1-year-old (CDC 2000 median 76.1 cm at 12.5
// months; WHO flags |z| > 6).
func TestImpossibleEstimateWarns(t *testing.T) {
	r, err := Compute("ckid-u25", Input{Creatinine: units.Q(0.1, units.MgPerDL), Height: units.Q(260, units.Cm), Age: 1, Sex: Male})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"far above the physiological range", "outside the input range of the CKiD U25 equations", "implausible for a boy aged 1 years"} {
		if !strings.Contains(strings.Join(r.Warnings, "\n"), want) {
			t.Errorf("warnings %q: want one containing %q", r.Warnings, want)
		}
	}
	// Schwartz has no sex: the height is judged against both charts.
	r, err = Compute("schwartz", Input{Creatinine: units.Q(0.5, units.MgPerDL), Height: units.Q(160, units.Cm), Age: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(r.Warnings, "\n"), "implausible for a child aged 2 years") {
		t.Errorf("schwartz, 160 cm at 2 years: warnings %q; want the height implausible for a child", r.Warnings)
	}
}

// TestPlausibleEstimateQuiet: the CKiD study's worked example (male 15 y,
// 1.6 m, creatinine 1.9 mg/dL: 37.5) and an adult with a normal eGFR get
// none of the range warnings; a short child (girl of 10 at 120 cm, modified
// z about -2.8) is unusual, not implausible.
func TestPlausibleEstimateQuiet(t *testing.T) {
	for _, c := range []struct {
		eq string
		in Input
	}{
		{"ckid-u25", Input{Creatinine: units.Q(1.9, units.MgPerDL), Height: units.Q(160, units.Cm), Age: 15, Sex: Male}},
		{"ckid-u25", Input{Creatinine: units.Q(0.4, units.MgPerDL), Height: units.Q(120, units.Cm), Age: 10, Sex: Female}},
		{"ckd-epi-2021", Input{Creatinine: units.Q(0.7, units.MgPerDL), Age: 30, Sex: Female}},
	} {
		r, err := Compute(c.eq, c.in)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range r.Warnings {
			if strings.Contains(w, "physiological") || strings.Contains(w, "input range") || strings.Contains(w, "implausible") {
				t.Errorf("%s %+v: unexpected warning %q", c.eq, c.in, w)
			}
		}
	}
}
