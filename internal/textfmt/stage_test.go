package textfmt

import (
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/units"
)

// The stage names the eGFR and the ratio it is based on, each with its own
// date (trial #23): the A category may come from an older ratio than the
// eGFR (ln-iv: eGFR of 2021-07-01, UPCR of 2021-01-10).
func TestStageBasis(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	g, a := ckd.G3b, ckd.A3
	q := units.Q(3.2, units.GPerG)
	ad := d("2021-01-10")
	e := &assess.EGFR{Value: 34.4, Unit: units.MLPerMinBSA, Date: d("2021-07-01")}
	s := assess.Stage{G: &g, A: &a, ASource: "pcr", AValue: &q, ADate: &ad}
	if got, want := StageBasis(e, s, nil), "eGFR 34 on 2021-07-01, UPCR 3.20 g/g on 2021-01-10"; got != want {
		t.Errorf("StageBasis = %q, want %q", got, want)
	}
	si := func(an units.Analyte, q units.Quantity) units.Quantity {
		c, _ := an.Convert(q, units.MgPerMmol)
		return c
	}
	if got, want := StageBasis(e, s, si), "eGFR 34 on 2021-07-01, UPCR 362 mg/mmol on 2021-01-10"; got != want { // 3.2 g/g x 113.12
		t.Errorf("StageBasis in SI = %q, want %q", got, want)
	}
	if got, want := StageBasis(e, assess.Stage{G: &g}, nil), "eGFR 34 on 2021-07-01"; got != want {
		t.Errorf("StageBasis without A = %q, want %q", got, want)
	}
}

// Under 2 years the stage line says why there is no G category or CKD
// stage (KDIGO 2024) and still names the A category and its ratio.
func TestStageUnder2(t *testing.T) {
	a := ckd.A3
	q := units.Q(1.2, units.GPerG)
	ad := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	e := &assess.EGFR{Value: 77.7, Unit: units.MLPerMinBSA, Date: ad}
	s := assess.Stage{A: &a, ASource: "pcr", AValue: &q, ADate: &ad, GNotApplicable: "age 15 months at the eGFR of 2026-09-01: " + ckd.GCategoryUnder2}
	got := Stage(e, s, Display{})
	want := "no KDIGO G category or CKD stage, age 15 months at the eGFR of 2026-09-01: " + ckd.GCategoryUnder2 + "; albuminuria A3 (UPCR 1.20 g/g on 2026-09-01)"
	if got != want {
		t.Errorf("Stage = %q\nwant   %q", got, want)
	}
	if StageNote(s) != "" {
		t.Errorf("StageNote = %q under 2 years, want none", StageNote(s))
	}
}
