package assess_test

import (
	"slices"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
)

// Trial #10: courses are listed by start date, then name, then id, so the
// same record lists them in the same order whatever its ids and times of
// day. Two patients hold the same two courses started on 2024-03-01, with
// ids and times in opposite orders; both list hydroxychloroquine first.
func TestCourseOrderIsTotal(t *testing.T) {
	at := func(s string) time.Time { x, _ := time.Parse(time.RFC3339, s); return x }
	for _, tc := range []struct {
		name string
		ths  []record.Therapy
	}{
		{"ids", []record.Therapy{
			{ID: "a1", Class: record.CalcineurinInhibitor, Name: "tacrolimus", Start: at("2024-03-01T00:00:00Z")},
			{ID: "z1", Class: record.Hydroxychloroquine, Name: "hydroxychloroquine", Start: at("2024-03-01T00:00:00Z")},
		}},
		{"times", []record.Therapy{
			{ID: "z2", Class: record.CalcineurinInhibitor, Name: "tacrolimus", Start: at("2024-03-01T09:00:00Z")},
			{ID: "a2", Class: record.Hydroxychloroquine, Name: "hydroxychloroquine", Start: at("2024-03-01T14:00:00Z")},
		}},
		{"dates first", []record.Therapy{
			{ID: "a3", Class: record.CalcineurinInhibitor, Name: "tacrolimus", Start: at("2024-03-01T14:00:00Z")},
			{ID: "b3", Class: record.Hydroxychloroquine, Name: "hydroxychloroquine", Start: at("2024-03-01T09:00:00Z")},
			{ID: "c3", Class: record.Glucocorticoid, Name: "prednisone", Start: at("2024-02-29T23:00:00Z")},
		}},
	} {
		b := newPatient(t, "o-"+tc.name, "1980-01-01", record.Female)
		for _, th := range tc.ths {
			th.PatientID = b.p.ID
			b.b.Therapies = append(b.b.Therapies, th)
		}
		a := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
		var got []string
		for _, th := range a.Therapies {
			got = append(got, th.Name)
		}
		want := []string{"hydroxychloroquine", "tacrolimus"}
		if tc.name == "dates first" {
			want = []string{"prednisone", "hydroxychloroquine", "tacrolimus"} // the day before comes first
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: courses %q, want %q", tc.name, got, want)
		}
	}
}
