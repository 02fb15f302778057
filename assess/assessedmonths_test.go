package assess_test

import (
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// Trial 3 #9: lupus.response.months runs to as_of (the follow-up), and the
// timepoint of the judgement is a separately named field, assessed_months:
// months of 30.4375 days from since (2020-01-15) to assessed_at (the UPCR of
// 2020-10-15, 274 days), not to as_of (2021-01-01, 352 days).
func TestAssessedMonthsIsTheJudgementTimepoint(t *testing.T) {
	b := lnPatient(t, "assessed-months")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
	b.series(units.PCR, units.GPerG, "2020-01-10", 2.0, "2020-10-15", 0.3)
	r := assess.Assess(b.timeline(), day("2021-01-01"), assess.DefaultConfig()).Lupus.Response
	if r == nil || r.AssessedAt == nil || r.AssessedMonths == nil {
		t.Fatalf("response %+v", r)
	}
	if got, want := *r.AssessedMonths, 274.0/30.4375; got != want {
		t.Errorf("assessed_months %v, want %v", got, want)
	}
	if got, want := r.Months, 352.0/30.4375; got != want {
		t.Errorf("months %v, want %v (to as_of)", got, want)
	}
}
