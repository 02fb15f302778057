package record_test

import (
	"testing"

	"renalwatch/record"
	"renalwatch/units"

	"github.com/google/go-cmp/cmp"
)

// TestTimelineHoldsObservationsOnce checks the one-copy layout (issue 8
// item 4): the per-analyte views share their elements with each other's
// calls, the time-ordered list interleaves analytes by time then ID, and
// Span reads the first and last times without building that list.
func TestTimelineHoldsObservationsOnce(t *testing.T) {
	k := func(id, date string) record.Observation {
		return record.Observation{ID: id, PatientID: "p1", Analyte: units.Potassium, Value: units.Q(4, units.MmolPerL), Time: day(date)}
	}
	b := record.Batch{Observations: []record.Observation{
		cr("c3", "2020-03-01", 1.3), k("k2", "2020-04-01"), cr("c1", "2020-01-01", 1.1),
		k("k1", "2019-12-01"), cr("c2", "2020-03-01", 1.2), k("k0", "2020-03-01"),
	}}
	tl := record.NewTimelineOwned(record.Patient{ID: "p1"}, b)
	if g, w := ids(tl.Values(units.Creatinine)), []string{"c1", "c2", "c3"}; !cmp.Equal(g, w) {
		t.Errorf("creatinine %v, want %v", g, w)
	}
	if g, w := ids(tl.Values(units.Potassium)), []string{"k1", "k0", "k2"}; !cmp.Equal(g, w) {
		t.Errorf("potassium %v, want %v", g, w)
	}
	if g, w := ids(tl.Observations()), []string{"k1", "c1", "c2", "c3", "k0", "k2"}; !cmp.Equal(g, w) {
		t.Errorf("observations %v, want %v (by time, then ID)", g, w)
	}
	if &tl.Values(units.Creatinine)[1] != &tl.Window(units.Creatinine, day("2020-02-01"), day("2020-04-01"))[0] {
		t.Error("Values and Window do not share the timeline's elements")
	}
	var inOrder []record.Observation
	for o := range tl.InTimeOrder() {
		inOrder = append(inOrder, *o)
	}
	if g, w := ids(inOrder), ids(tl.Observations()); !cmp.Equal(g, w) {
		t.Errorf("InTimeOrder %v, want %v (as Observations)", g, w)
	}
	for o := range tl.InTimeOrder() {
		if o != &tl.Values(units.Potassium)[0] {
			t.Errorf("InTimeOrder yields %s first, not the timeline's own k1", o.ID)
		}
		break
	}
	if tl.Len() != 6 {
		t.Errorf("Len = %d, want 6", tl.Len())
	}
	first, last, ok := tl.Span()
	if !ok || !first.Equal(day("2019-12-01")) || !last.Equal(day("2020-04-01")) {
		t.Errorf("Span = %v, %v, %v; want 2019-12-01, 2020-04-01, true", first, last, ok)
	}
	if _, _, ok := record.NewTimeline(record.Patient{ID: "p1"}, record.Batch{}).Span(); ok {
		t.Error("Span of an empty timeline is ok")
	}
	if got := ids(tl.AsOf(day("2020-03-01")).Observations()); !cmp.Equal(got, []string{"k1", "c1", "c2", "c3", "k0"}) {
		t.Errorf("AsOf observations %v", got)
	}
}
