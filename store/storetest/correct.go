package storetest

import (
	"errors"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// An Observation re-sent under its id with status amended or corrected
// and a new value (record.NewCorrection) is a correction: stored beside
// the original, which is kept; the timeline uses the newest correction
// and lists what it replaced in Retracted; the same correction again is
// unchanged; a plain re-send with other content is still a conflict; and
// a correction with nothing stored under its id is imported as it is.
func testCorrection(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	fix := func(id string, v float64, updated string) record.Retraction {
		date := "2020-06-01"
		if id == "Observation/c1" {
			date = "2020-01-01"
		}
		o := creat(id, "p1", date, v)
		var u time.Time
		if updated != "" {
			u, _ = time.Parse(time.RFC3339, updated)
		}
		return record.NewCorrection(o, "corrected", u)
	}
	usedFor := func(id string, want float64, what string) {
		t.Helper()
		tl, err := s.Timeline(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range tl.Observations() {
			if o.ID == id {
				n++
				if o.Value.Value != want {
					t.Errorf("%s: the timeline uses %v for %s; want %v", what, o.Value.Value, id, want)
				}
			}
		}
		if n != 1 || tl.Len() != 4 {
			t.Errorf("%s: %s is %d times in the timeline of %d observations; want once in 4", what, id, n, tl.Len())
		}
	}
	used := func(want float64, what string) { t.Helper(); usedFor("Observation/c2", want, what) }
	// The correction of the stored 1.4.
	res := mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/c2", 1.2, "")}}, store.ImportOptions{})
	if res.Corrected != 1 || res.Imported != 0 || res.Unchanged != 0 || res.RejectedCount != 0 {
		t.Errorf("correction: corrected %d, imported %d, unchanged %d, rejected %v; want 1 corrected", res.Corrected, res.Imported, res.Unchanged, res.Rejected)
	}
	// ImportResult.Corrections names the stored row replaced, for the
	// import summary.
	if len(res.Corrections) != 1 || res.Corrections[0].Correction.Replacement.Value.Value != 1.2 || res.Corrections[0].BackToStored {
		t.Fatalf("Corrections = %+v; want the correction 1.2", res.Corrections)
	}
	if r := res.Corrections[0].Replaced; r.ID != "Observation/c2" || r.PatientID != "p1" || r.Analyte != units.Creatinine ||
		r.Value != units.Q(1.4, units.MgPerDL) || !r.Time.Equal(time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Corrections[0].Replaced = %+v; want the stored 1.4 mg/dL of 2020-06-01", r)
	}
	used(1.2, "after the correction")
	tl, err := s.Timeline(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Retracted) != 1 || tl.Retracted[0].Observation == nil || tl.Retracted[0].Observation.Value.Value != 1.4 ||
		!tl.Retracted[0].Retraction.IsCorrection() || tl.Retracted[0].Retraction.Replacement.Value.Value != 1.2 ||
		tl.Retracted[0].Retraction.Status != "status corrected" {
		t.Errorf("Retracted = %+v; want the stored 1.4, replaced by the correction 1.2", tl.Retracted)
	}
	// The same correction again: unchanged; nothing is lost.
	res = mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/c2", 1.2, "")}}, store.ImportOptions{})
	if res.Corrected != 0 || res.Unchanged != 1 || res.RejectedCount != 0 {
		t.Errorf("the same correction again: corrected %d, unchanged %d, rejected %v; want 1 unchanged", res.Corrected, res.Unchanged, res.Rejected)
	}
	ps, err := s.Patients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Observations != 4 || ps[0].LatestCreatinine.Value != 1.2 {
		t.Errorf("patient list counts %d observations, latest creatinine %v; want the 4 stored, and the corrected 1.2",
			ps[0].Observations, ps[0].LatestCreatinine)
	}
	// A second correction, received later: it wins; the first is kept and
	// listed as replaced.
	mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/c2", 1.3, "")}}, store.ImportOptions{})
	used(1.3, "after a second correction")
	// With meta.lastUpdated on both sides, the later lastUpdated wins
	// whatever the order received.
	mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/c1", 2.0, "2024-03-02T10:00:00Z")}}, store.ImportOptions{})
	mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/c1", 3.0, "2024-03-01T10:00:00Z")}}, store.ImportOptions{})
	usedFor("Observation/c1", 2.0, "two corrections with meta.lastUpdated")
	// A correction back to the first value, while another is in force:
	// stored, and in force.
	res = mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/c2", 1.4, "")}}, store.ImportOptions{})
	if res.Corrected != 1 || len(res.Corrections) != 1 || !res.Corrections[0].BackToStored || res.Corrections[0].Replaced.Value.Value != 1.4 {
		t.Errorf("a correction back to the stored value: corrected %d, unchanged %d, Corrections %+v; want 1 corrected, back to the stored 1.4",
			res.Corrected, res.Unchanged, res.Corrections)
	}
	used(1.4, "after a correction back to the first value")
	// A correction naming another patient, or another test, is a conflict
	// (trial 6 #1, #5): the stored result stays in use for its patient.
	other := record.NewCorrection(creat("Observation/c2", "p2", "2020-06-01", 1.7), "corrected", time.Time{})
	acr := creat("Observation/c2", "p1", "2020-06-01", 0)
	acr.Analyte, acr.Value = units.ACR, units.Q(40, units.MgPerG)
	for what, c := range map[string]record.Retraction{"another patient": other, "another test": record.NewCorrection(acr, "corrected", time.Time{})} {
		res = mustImport(t, s, &record.Batch{Retractions: []record.Retraction{c}}, store.ImportOptions{})
		if res.RejectedCount != 1 || !errors.Is(res.Rejected[0].Err, store.ErrConflict) || res.Corrected != 0 {
			t.Errorf("a correction for %s: %+v; want a conflict", what, res)
		}
		used(1.4, "after a correction for "+what)
	}
	// A plain re-send with other content is still a conflict.
	res = mustImport(t, s, &record.Batch{Observations: []record.Observation{creat("Observation/c2", "p1", "2020-06-01", 9.9)}}, store.ImportOptions{})
	if res.RejectedCount != 1 || !errors.Is(res.Rejected[0].Err, store.ErrConflict) || res.Corrected != 0 {
		t.Errorf("a final re-send with other content: %+v; want a conflict", res)
	}
	// A correction of an id never stored is the observation itself; a
	// correction with the stored content of a never-corrected id is
	// unchanged.
	res = mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/new", 1.0, ""), fix("Observation/c3x", 0.9, "")}}, store.ImportOptions{})
	if res.Imported != 2 || res.Corrected != 0 {
		t.Errorf("corrections of ids not stored: imported %d, corrected %d; want 2 imported", res.Imported, res.Corrected)
	}
	res = mustImport(t, s, &record.Batch{Retractions: []record.Retraction{fix("Observation/new", 1.0, "")}}, store.ImportOptions{})
	if res.Unchanged != 1 || res.Corrected != 0 || res.Imported != 0 {
		t.Errorf("the same again: unchanged %d, corrected %d, imported %d; want 1 unchanged", res.Unchanged, res.Corrected, res.Imported)
	}
	tl, err = s.Timeline(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Retracted) != 5 { // c2: 1.4, 1.2, 1.3 replaced by the newest 1.4; c1: 1.1 and 3.0 replaced by 2.0
		t.Errorf("Retracted holds %d items; want 5: %+v", len(tl.Retracted), tl.Retracted)
	}
	// A correction whose patient comes later in the import is held.
	tx, err := s.BeginImport(ctx, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	c := record.NewCorrection(creat("Observation/p3c", "p3", "2020-06-01", 1.0), "amended", time.Time{})
	if err := tx.Add(&record.Batch{Retractions: []record.Retraction{c}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Add(&record.Batch{Patients: []record.Patient{{ID: "p3", BirthDate: day("1970-01-01")}}}); err != nil {
		t.Fatal(err)
	}
	if res, err := tx.Commit(); err != nil || res.Imported != 2 || res.RejectedCount != 0 {
		t.Errorf("a correction before its patient: %v, %+v; want the patient and the observation imported", err, res)
	}
}

// BeforeUpgrade stores what a store's upgrade test holds before it turns
// the store into one of the previous schema: patient p and a creatinine of
// 2.1 mg/dL, Observation/cr.
func BeforeUpgrade(t *testing.T, s store.Store) {
	t.Helper()
	o := creat("Observation/cr", "p", "2024-03-01", 2.1)
	b := &record.Batch{Patients: []record.Patient{{ID: "p", BirthDate: day("1970-01-01")}}, Observations: []record.Observation{o}}
	if res := mustImport(t, s, b, store.ImportOptions{}); res.Imported != 2 {
		t.Fatalf("import before the upgrade: %+v", res)
	}
}

// CorrectAfterUpgrade checks, on a store of BeforeUpgrade's items opened
// after its upgrade, that a correction of Observation/cr is stored beside
// it and used, and the stored 2.1 kept.
func CorrectAfterUpgrade(t *testing.T, s store.Store) {
	t.Helper()
	fixed := creat("Observation/cr", "p", "2024-03-01", 1.2)
	res, err := s.Import(ctx, &record.Batch{Retractions: []record.Retraction{record.NewCorrection(fixed, "corrected", time.Time{})}}, store.ImportOptions{})
	if err != nil || res.Corrected != 1 || res.RejectedCount != 0 {
		t.Fatalf("correction after the upgrade: %v, %+v", err, res)
	}
	tl, err := s.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if vs := tl.Values(units.Creatinine); len(vs) != 1 || vs[0].Value.Value != 1.2 ||
		len(tl.Retracted) != 1 || tl.Retracted[0].Observation.Value.Value != 2.1 {
		t.Errorf("values %+v, retracted %+v; want 1.2 in use and the stored 2.1 kept", vs, tl.Retracted)
	}
}
