package record_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/record"
	"renalwatch/units"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func cr(id, date string, mgdl float64) record.Observation {
	return record.Observation{ID: id, PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(mgdl, units.MgPerDL), Time: day(date)}
}

func ids(obs []record.Observation) []string {
	var out []string
	for _, o := range obs {
		out = append(out, o.ID)
	}
	return out
}

func sample() *record.Timeline {
	b := record.Batch{Observations: []record.Observation{
		cr("c3", "2020-03-01", 1.3),
		cr("c1", "2020-01-01", 1.1),
		cr("c2", "2020-02-01", 1.2),
		cr("c2b", "2020-02-01", 1.25), // same instant as c2
		{ID: "other", PatientID: "p2", Analyte: units.Creatinine, Value: units.Q(9, units.MgPerDL), Time: day("2020-02-15")},
		{ID: "k1", PatientID: "p1", Analyte: units.Potassium, Value: units.Q(4, units.MmolPerL), Time: day("2020-01-15")},
	}, Therapies: []record.Therapy{
		{ID: "t1", PatientID: "p1", Class: record.Mycophenolate, Start: day("2020-02-10"), End: day("2020-12-01")},
	}}
	return record.NewTimeline(record.Patient{ID: "p1"}, b)
}

func TestLatest(t *testing.T) {
	tl := sample()
	tests := []struct {
		at     string
		want   string
		wantOK bool
	}{
		{"2019-12-31", "", false},
		{"2020-01-01", "c1", true}, // at the instant counts
		{"2020-01-31", "c1", true},
		{"2020-02-01", "c2b", true}, // two at one instant: greatest ID, independent of input order
		{"2020-02-20", "c2b", true}, // p2's value on 02-15 is not p1's
		{"2030-01-01", "c3", true},
	}
	for _, tt := range tests {
		got, ok := tl.Latest(units.Creatinine, day(tt.at))
		if ok != tt.wantOK || got.ID != tt.want {
			t.Errorf("Latest(creatinine, %s) = %q, %v; want %q, %v", tt.at, got.ID, ok, tt.want, tt.wantOK)
		}
	}
	if _, ok := tl.Latest(units.CystatinC, day("2030-01-01")); ok {
		t.Error("Latest(cystatin_c) found a value in a timeline without cystatin C")
	}
}

func TestWindow(t *testing.T) {
	tl := sample()
	tests := []struct {
		from, to string
		want     []string
	}{
		{"2020-01-01", "2020-02-01", []string{"c1"}}, // half-open: to excluded
		{"2020-01-02", "2020-03-01", []string{"c2", "c2b"}},
		{"2019-01-01", "2021-01-01", []string{"c1", "c2", "c2b", "c3"}},
		{"2020-03-02", "2021-01-01", nil},
		{"2021-01-01", "2019-01-01", nil}, // reversed window is empty
	}
	for _, tt := range tests {
		got := ids(tl.Window(units.Creatinine, day(tt.from), day(tt.to)))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Window(%s, %s) (-want +got):\n%s", tt.from, tt.to, diff)
		}
	}
}

func TestBaseline(t *testing.T) {
	tl := sample()
	th := tl.Therapies[0] // starts 2020-02-10
	got, ok := tl.TherapyBaseline(units.Creatinine, th, 30*24*time.Hour)
	if !ok || got.ID != "c2b" {
		t.Errorf("baseline within 30 days = %q, %v; want c2b", got.ID, ok)
	}
	if _, ok := tl.TherapyBaseline(units.Creatinine, th, 5*24*time.Hour); ok {
		t.Error("baseline within 5 days found a value 9 days old")
	}
	if _, ok := tl.Baseline(units.Creatinine, day("2019-06-01"), 1000*24*time.Hour); ok {
		t.Error("baseline before any value found one")
	}
}

func TestAsOf(t *testing.T) {
	tl := sample().AsOf(day("2020-06-01"))
	if diff := cmp.Diff([]string{"c1", "c2", "c2b", "c3"}, ids(tl.Values(units.Creatinine))); diff != "" {
		t.Errorf("AsOf values (-want +got):\n%s", diff)
	}
	if len(tl.Therapies) != 1 || !tl.Therapies[0].End.IsZero() {
		t.Errorf("AsOf before the therapy's end: therapies = %+v; want one, end cleared", tl.Therapies)
	}
	early := sample().AsOf(day("2020-01-20"))
	if len(early.Therapies) != 0 || len(early.Values(units.Creatinine)) != 1 || len(early.Values(units.Potassium)) != 1 {
		t.Errorf("AsOf 2020-01-20: %d therapies, %d creatinine, %d potassium; want 0, 1, 1",
			len(early.Therapies), len(early.Values(units.Creatinine)), len(early.Values(units.Potassium)))
	}
}

func TestTherapyActiveAt(t *testing.T) {
	th := record.Therapy{Start: day("2020-01-01"), End: day("2020-02-01")}
	for _, tt := range []struct {
		at   string
		want bool
	}{{"2019-12-31", false}, {"2020-01-01", true}, {"2020-01-31", true}, {"2020-02-01", false}} {
		if got := th.ActiveAt(day(tt.at)); got != tt.want {
			t.Errorf("ActiveAt(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	open := record.Therapy{Start: day("2020-01-01")}
	if !open.ActiveAt(day("2040-01-01")) {
		t.Error("an episode without an end is not active years later")
	}
}

func TestAgeAt(t *testing.T) {
	p := record.Patient{BirthDate: day("2000-02-29")}
	for _, tt := range []struct {
		at   string
		want int
		ok   bool
	}{{"1999-01-01", 0, false}, {"2000-02-29", 0, true}, {"2018-02-28", 17, true}, {"2018-03-01", 18, true}, {"2020-02-29", 20, true}} {
		got, ok := p.AgeAt(day(tt.at))
		if got != tt.want || ok != tt.ok {
			t.Errorf("AgeAt(%s) = %d, %v; want %d, %v", tt.at, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := (record.Patient{}).AgeAt(day("2020-01-01")); ok {
		t.Error("AgeAt without a birth date reported an age")
	}
}
