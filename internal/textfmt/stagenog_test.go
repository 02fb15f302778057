package textfmt

import (
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/units"
)

// Without an eGFR (sex other: the eGFR equations are sex-specific) the A
// category is still shown, since it does not depend on sex (KDIGO 2012
// Table 6, kept in KDIGO 2024: ACR 30-300 mg/g is A2), and the Stage line
// says G is unknown (trial 3 #14). With neither category there is no line.
func TestStageWithoutG(t *testing.T) {
	a := ckd.A2
	q := units.Q(40, units.MgPerG)
	ad, _ := time.Parse(time.DateOnly, "2026-10-01")
	s := assess.Stage{A: &a, ASource: "acr", AValue: &q, ADate: &ad, AAbnormalValues: 1}
	// What persisted is the Persists line's (TestStageAndPersistsLines),
	// which needs a G category.
	want := "KDIGO G? A2 (ACR 40 mg/g on 2026-10-01), G unknown without an eGFR, risk unknown without a G category"
	if got := Stage(nil, s, Display{}); got != want {
		t.Errorf("Stage = %q, want %q", got, want)
	}
	if got, want := Persists(s, Display{}), "A2 on a single value (repeat to confirm)"; got != want {
		t.Errorf("Persists without G = %q, want %q", got, want)
	}
	s.AAbnormalValues = 3
	s.Persistence.Albuminuria.Persistent, s.Persistence.Albuminuria.Since = true, ad.AddDate(0, -6, 0)
	if got, want := Persists(s, Display{}), "ACR ≥ 30 mg/g for > 90 days (since 2026-04-01)"; got != want {
		t.Errorf("Persists without G = %q, want %q", got, want)
	}
	a1 := ckd.A1
	if got := Persists(assess.Stage{A: &a1}, Display{}); got != "" {
		t.Errorf("Persists without G, A1 = %q, want none", got)
	}
	if got := Stage(nil, assess.Stage{}, Display{}); got != "" {
		t.Errorf("Stage without G or A = %q, want none", got)
	}
	for sex, want := range map[string]string{
		"other": " (sex other: the eGFR equations are sex-specific)", "unknown": " (sex unknown: the eGFR equations are sex-specific)",
		"female": "", "male": "",
	} {
		if got := NoEGFRSex(sex); got != want {
			t.Errorf("NoEGFRSex(%s) = %q, want %q", sex, got, want)
		}
	}
}

// A child under 2 years: the Stage line keeps the A category and its
// footnote carries the caveat (assess.Stage.ANote, ckd.ACategoryUnder2:
// adult thresholds, normal urine protein higher in infancy); from 2 years,
// a G2 stage has the G1/G2 footnote alone.
func TestStageNoteACaveatUnder2(t *testing.T) {
	a := ckd.A2
	s := assess.Stage{A: &a, GNotApplicable: "age 15 months at the eGFR of 2026-09-01: " + ckd.GCategoryUnder2, ANote: "age 15 months at the UPCR of 2026-09-01: " + ckd.ACategoryUnder2}
	if got, want := StageNote(s), "Albuminuria: "+s.ANote+"."; got != want {
		t.Errorf("StageNote = %q, want %q", got, want)
	}
	g := ckd.G2
	s = assess.Stage{G: &g, A: &a, ANote: "birth date known to the year only: …"}
	if got := StageNote(s); got != G1G2Note+" Albuminuria: "+s.ANote+"." {
		t.Errorf("StageNote with G2 = %q", got)
	}
	s.ANote = ""
	if got := StageNote(s); got != G1G2Note {
		t.Errorf("StageNote from 2 years = %q, want %q", got, G1G2Note)
	}
}
