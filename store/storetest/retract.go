package storetest

import (
	"errors"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
)

// A source's retraction (record.Retraction: an Observation or Condition
// re-sent as entered in error) is stored as an item of its own: the
// retracted observation and condition stay stored as they were, the
// timeline leaves them out and lists them in Retracted, and the same
// retraction sent again is unchanged (trial 3 #2).
func testRetraction(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	retract := func(kind, target string) record.Retraction {
		return record.Retraction{ID: record.RetractionID(kind, target), PatientID: "p1", Kind: kind, Target: target,
			Status: "status entered-in-error", Sent: "2160-0, 1.4 mg/dL, 2020-06-01", Provenance: prov(target)}
	}
	b := &record.Batch{Retractions: []record.Retraction{
		retract(record.RetractObservation, "Observation/c2"),
		retract(record.RetractCondition, "Condition/ln"),
	}}
	res := mustImport(t, s, b, store.ImportOptions{})
	if res.Retractions != 2 || res.Imported != 0 || res.RejectedCount != 0 {
		t.Errorf("retractions %d, imported %d, rejected %v; want 2 retractions stored", res.Retractions, res.Imported, res.Rejected)
	}
	tl, err := s.Timeline(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range tl.Observations() {
		if o.ID == "Observation/c2" {
			t.Errorf("the retracted observation is still in the timeline: %+v", o)
		}
	}
	if len(tl.Observations()) != 3 || len(tl.Conditions) != 0 {
		t.Errorf("timeline holds %d observations and %d conditions; want 3 and 0", len(tl.Observations()), len(tl.Conditions))
	}
	if len(tl.Retracted) != 2 {
		t.Fatalf("Retracted = %+v; want the condition and the observation", tl.Retracted)
	}
	// By time: the condition (onset 2019-12-01) first, with what was stored.
	if c := tl.Retracted[0].Condition; c == nil || c.ID != "Condition/ln" || c.LNClass != "IV" {
		t.Errorf("Retracted[0] = %+v, want the stored lupus nephritis", tl.Retracted[0])
	}
	if o := tl.Retracted[1].Observation; o == nil || o.ID != "Observation/c2" || o.Value.Value != 1.4 ||
		tl.Retracted[1].Retraction.Status != "status entered-in-error" {
		t.Errorf("Retracted[1] = %+v, want the stored creatinine 1.4 with its retraction", tl.Retracted[1])
	}
	// Nothing is lost: the stored rows are kept (the patient list still
	// counts them) and the retraction again changes nothing.
	res = mustImport(t, s, b, store.ImportOptions{})
	if res.Retractions != 0 || res.Unchanged != 2 || res.RejectedCount != 0 {
		t.Errorf("the same retractions again: retractions %d, unchanged %d, rejected %v; want 2 unchanged", res.Retractions, res.Unchanged, res.Rejected)
	}
	ps, err := s.Patients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Observations != 4 || ps[0].Conditions != 1 {
		t.Errorf("patient list counts %d observations, %d conditions; want the 4 and 1 stored", ps[0].Observations, ps[0].Conditions)
	}
	// Its latest creatinine is not the retracted one.
	if ps[0].LatestCreatinine.Value != 1.1 || !ps[0].LatestCreatinineTime.Equal(day("2020-01-01")) {
		t.Errorf("patient list: latest creatinine %v on %v; want 1.1 of 2020-01-01, not the retracted 1.4", ps[0].LatestCreatinine, ps[0].LatestCreatinineTime)
	}
	// The other patient is untouched.
	if tl2, err := s.Timeline(ctx, "p2"); err != nil || len(tl2.Retracted) != 0 || tl2.Len() != 1 {
		t.Errorf("p2's timeline: %v, %+v", err, tl2)
	}
	// A retraction naming another patient than the stored item's withdraws
	// nothing and is a conflict, not stored for that patient (trial 6 #1).
	wrong := retract(record.RetractObservation, "Observation/c1")
	wrong.PatientID, wrong.ID = "p2", record.RetractionID(record.RetractObservation, "Observation/c1")
	res = mustImport(t, s, &record.Batch{Retractions: []record.Retraction{wrong}}, store.ImportOptions{})
	if res.RejectedCount != 1 || !errors.Is(res.Rejected[0].Err, store.ErrConflict) || res.Retractions != 0 {
		t.Errorf("a retraction naming another patient: %+v; want a conflict", res)
	}
	if tl, err = s.Timeline(ctx, "p1"); err != nil || len(tl.Observations()) != 3 {
		t.Errorf("p1 after a retraction naming p2: %v, %d observations; want c1 still used", err, len(tl.Observations()))
	}
	// A correction of a withdrawn result is a conflict: it stays withdrawn
	// (trial 6 #4: counted as "corrected" but not used).
	c := creat("Observation/c2", "p1", "2020-06-01", 1.3)
	res = mustImport(t, s, &record.Batch{Retractions: []record.Retraction{record.NewCorrection(c, "corrected", time.Time{})}}, store.ImportOptions{})
	if res.RejectedCount != 1 || !errors.Is(res.Rejected[0].Err, store.ErrConflict) || res.Corrected != 0 {
		t.Errorf("a correction of a withdrawn result: %+v; want a conflict", res)
	}
}
