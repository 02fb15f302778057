package record

import (
	"testing"
	"time"

	"renalwatch/units"
)

// A timeline uses the newest correction of an observation in its place,
// lists what it replaced in Retracted, uses a correction with nothing
// under its id as it is, and a retraction withdraws the corrected value
// too.
func TestTimelineCorrections(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	obs := func(id string, v float64) Observation {
		return Observation{ID: id, PatientID: "p", Analyte: units.Creatinine, Value: units.Q(v, units.MgPerDL), Time: day("2024-03-01")}
	}
	c1, c2 := NewCorrection(obs("a", 1.2), "corrected", time.Time{}), NewCorrection(obs("a", 1.3), "amended", time.Time{})
	c1.Received, c2.Received = day("2024-03-02"), day("2024-03-03")
	lone := NewCorrection(obs("b", 0.9), "corrected", time.Time{})
	tl := NewTimeline(Patient{ID: "p"}, Batch{Observations: []Observation{obs("a", 2.1)}, Retractions: []Retraction{c2, c1, lone}})
	vs := tl.Values(units.Creatinine)
	if len(vs) != 2 || vs[0].ID != "a" || vs[0].Value.Value != 1.3 || vs[1].ID != "b" || vs[1].Value.Value != 0.9 {
		t.Fatalf("values %+v; want a 1.3 (the newest correction) and b 0.9 (the only version)", vs)
	}
	if len(vs[0].Notes) != 1 || vs[0].Notes[0] != CorrectedNote("status amended") || len(vs[1].Notes) != 0 {
		t.Errorf("notes %q, %q; want the corrected note on a only", vs[0].Notes, vs[1].Notes)
	}
	if len(tl.Retracted) != 2 || tl.Retracted[0].Observation.Value.Value != 1.2 || tl.Retracted[1].Observation.Value.Value != 2.1 ||
		tl.Retracted[0].Retraction.Replacement.Value.Value != 1.3 || tl.Retracted[0].Earlier == nil || tl.Retracted[1].Earlier != nil {
		t.Errorf("Retracted %+v; want 1.2 and 2.1, both replaced by 1.3", tl.Retracted)
	}
	// meta.lastUpdated on both: it decides, whatever was received last.
	c1.Updated, c2.Updated = day("2024-04-02"), day("2024-04-01")
	tl = NewTimeline(Patient{ID: "p"}, Batch{Observations: []Observation{obs("a", 2.1)}, Retractions: []Retraction{c1, c2}})
	if v := tl.Values(units.Creatinine); len(v) != 1 || v[0].Value.Value != 1.2 {
		t.Errorf("values %+v; want 1.2, last updated", v)
	}
	// An entered-in-error retraction withdraws the item, corrected or not.
	w := Retraction{ID: RetractionID(RetractObservation, "a"), PatientID: "p", Kind: RetractObservation, Target: "a", Status: "status entered-in-error"}
	tl = NewTimeline(Patient{ID: "p"}, Batch{Observations: []Observation{obs("a", 2.1)}, Retractions: []Retraction{c1, w}})
	if tl.Len() != 0 || len(tl.Retracted) != 2 {
		t.Errorf("after a retraction: %d observations, Retracted %+v; want none used, both listed", tl.Len(), tl.Retracted)
	}
	// The content hash ignores when it was received or updated.
	x := c1
	x.Received, x.Updated = time.Time{}, time.Time{}
	if x.ContentHash() != c1.ContentHash() || c1.ContentHash() == c2.ContentHash() {
		t.Error("ContentHash depends on Received/Updated, or not on the replacement")
	}
}
