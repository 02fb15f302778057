package record_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/record"
	"renalwatch/units"
)

// NewTimelineOwned gives the timeline NewTimeline gives, items of other
// patients dropped, per-analyte queries included.
func TestNewTimelineOwned(t *testing.T) {
	batch := func() record.Batch {
		return record.Batch{Observations: []record.Observation{
			cr("c3", "2020-03-01", 1.3), cr("c1", "2020-01-01", 1.1),
			{ID: "other", PatientID: "p2", Analyte: units.Creatinine, Value: units.Q(9, units.MgPerDL), Time: day("2020-02-15")},
			{ID: "k1", PatientID: "p1", Analyte: units.Potassium, Value: units.Q(4, units.MmolPerL), Time: day("2020-01-15")},
		}, Therapies: []record.Therapy{
			{ID: "t2", PatientID: "p2", Class: record.Mycophenolate, Start: day("2020-02-10")},
			{ID: "t1", PatientID: "p1", Class: record.Mycophenolate, Start: day("2020-02-10")},
		}}
	}
	p := record.Patient{ID: "p1"}
	want, got := record.NewTimeline(p, batch()), record.NewTimelineOwned(p, batch())
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(record.Timeline{}), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("owned timeline (-NewTimeline +NewTimelineOwned):\n%s", diff)
	}
	if diff := cmp.Diff(want.Observations(), got.Observations(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("owned timeline (-NewTimeline +NewTimelineOwned):\n%s", diff)
	}
	if g, w := ids(got.Values(units.Creatinine)), []string{"c1", "c3"}; !cmp.Equal(g, w) {
		t.Errorf("creatinine values %v, want %v", g, w)
	}
	if g := ids(got.Observations()); !cmp.Equal(g, []string{"c1", "k1", "c3"}) {
		t.Errorf("observations %v, want c1 k1 c3 (by time, p2's dropped)", g)
	}
}
