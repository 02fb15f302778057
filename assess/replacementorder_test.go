package assess_test

import (
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
)

// TestReplacementInDateOrder (regression): dialysis periods and transplants
// are listed by start date, a transplant between two dialysis periods
// between them (was: every dialysis period, then the transplants).
func TestReplacementInDateOrder(t *testing.T) {
	b := newPatient(t, "krt", "1950-01-01", record.Female).
		replacement(record.Hemodialysis, "1985-09-15", "1990-10-27").
		replacement(record.KidneyTransplant, "1990-10-28", "").
		replacement(record.Hemodialysis, "1990-11-25", "1990-11-25")
	a := assess.Assess(b.timeline(), day("1991-01-01"), assess.DefaultConfig())
	var got []string
	for _, r := range a.Kidney.Replacement {
		got = append(got, r.Start.Format("2006-01-02")+" "+r.Kind)
	}
	want := []string{"1985-09-15 hemodialysis", "1990-10-28 kidney_transplant", "1990-11-25 hemodialysis"}
	if len(got) != len(want) {
		t.Fatalf("replacement %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("replacement %v, want %v", got, want)
		}
	}
}
