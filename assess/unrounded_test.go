package assess_test

import (
	"fmt"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/record"
	"renalwatch/units"
)

// TestJSONUnrounded is the regression test of issue 7 item 13: the
// assessment's numbers are the computations' own floats, never rounded for
// display (eGFR to 2 decimals, slope to 3, KFRE risks to 4 were before).
// The expected values are computed here with the same published equations
// (CKD-EPI 2021, Inker 2021; OLS slope), not copied from the output.
func TestJSONUnrounded(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	p := record.Patient{ID: "p1", BirthDate: d("1970-01-01"), Sex: record.Female}
	var b record.Batch
	var pts []ckd.Point
	var last float64
	eq, _ := egfr.Lookup("ckd-epi-2021")
	for i, v := range []float64{1.9, 2.1, 2.3} {
		at := d("2023-06-01").AddDate(0, 3*i, 0)
		b.Observations = append(b.Observations, record.Observation{ID: fmt.Sprint("cr", i), PatientID: "p1", Analyte: units.Creatinine,
			Value: units.Q(v, units.MgPerDL), Time: at})
		r, err := eq.Compute(egfr.Input{Creatinine: units.Q(v, units.MgPerDL), Age: at.Sub(p.BirthDate).Hours() / 24 / 365.25, Sex: egfr.Female})
		if err != nil {
			t.Fatal(err)
		}
		last = r.Value
		pts = append(pts, ckd.Point{Time: at, EGFR: r.Value})
	}
	b.Observations = append(b.Observations, record.Observation{ID: "pcr", PatientID: "p1", Analyte: units.PCR,
		Value: units.Q(800, units.MgPerG), Time: d("2023-12-01")})
	a := assess.Assess(record.NewTimeline(p, b), d("2024-01-01"), assess.DefaultConfig())
	k := a.Kidney
	if k.EGFR == nil || k.Slope == nil || k.KFRE == nil {
		t.Fatalf("want eGFR, slope and KFRE; missing: %+v", a.Missing)
	}
	if k.EGFR.Value != last || *k.Series.At(2).Value != last {
		t.Errorf("eGFR %v (series %v); want CKD-EPI 2021's unrounded %v", k.EGFR.Value, *k.Series.At(2).Value, last)
	}
	s, err := ckd.EGFRSlope(pts)
	if err != nil {
		t.Fatal(err)
	}
	if k.Slope.PerYear != s.PerYear || k.Slope.CI95 == nil || *k.Slope.CI95 != s.CI95 || k.Slope.Days != s.Days {
		t.Errorf("slope %v %v over %v days; want the fit's unrounded %v %v over %v", k.Slope.PerYear, k.Slope.CI95, k.Slope.Days, s.PerYear, s.CI95, s.Days)
	}
	// A risk rounded to 4 decimals is a multiple of 1e-4; the model's is not.
	for _, r := range []float64{k.KFRE.Risk2y, k.KFRE.Risk5y, k.KFRE.Inputs.EGFR} {
		if r*1e4 == float64(int64(r*1e4)) || r*100 == float64(int64(r*100)) {
			t.Errorf("KFRE number %v is rounded", r)
		}
	}
	if k.KFRE.Inputs.EGFR != last {
		t.Errorf("KFRE eGFR input %v; want %v", k.KFRE.Inputs.EGFR, last)
	}
}
