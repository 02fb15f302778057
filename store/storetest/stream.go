package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// manyObs returns count potassium results of patient pid, an hour apart.
func manyObs(pid string, count int) []record.Observation {
	out := make([]record.Observation, count)
	for i := range out {
		out[i] = record.Observation{ID: pid + "/o" + itoa(i), PatientID: pid, Analyte: units.Potassium,
			Value: units.Q(3.5+float64(i%20)/10, units.MmolPerL), Time: day("2001-01-01").Add(hours(i))}
		out[i].SetProvenance(prov(itoa(i)))
	}
	return out
}

// streamAll imports p, then obs in chunks of n, in one streaming import.
func streamAll(t *testing.T, s store.Store, p record.Patient, obs []record.Observation, n int, opt store.ImportOptions) *store.ImportResult {
	t.Helper()
	tx, err := s.BeginImport(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := tx.Add(&record.Batch{Patients: []record.Patient{p}}); err != nil {
		t.Fatal(err)
	}
	var b record.Batch // reused from chunk to chunk, as a streaming reader does
	for i := 0; i < len(obs); i += n {
		b.Observations = append(b.Observations[:0], obs[i:min(i+n, len(obs))]...)
		if err := tx.Add(&b); err != nil {
			t.Fatal(err)
		}
	}
	res, err := tx.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Chunks added one after another are one import: the same counts and
// timeline as one Import of everything, and a second stream is unchanged.
func testStream(t *testing.T, s store.Store) {
	p := record.Patient{ID: "s", Sex: record.Female, Provenance: prov("s")}
	obs := manyObs("s", 2500)
	obs = append(obs, obs[10]) // the same observation again, in a later chunk
	res := streamAll(t, s, p, obs, 700, store.ImportOptions{})
	if got, want := counts(res), [4]int{2501, 1, 0, 0}; got != want {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	tl, err := s.Timeline(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	want := record.NewTimeline(p, record.Batch{Observations: obs[:2500]})
	if diff := cmp.Diff(want.Observations(), tl.Observations(), timelineOpts()); diff != "" {
		t.Errorf("observations (-want +got):\n%s", diff)
	}
	if got, want := counts(streamAll(t, s, p, obs, 999, store.ImportOptions{})), [4]int{0, 2502, 0, 0}; got != want {
		t.Errorf("second stream counts = %v, want %v", got, want)
	}
}

// Items whose patient comes in a later chunk are held until it does; those
// whose patient never comes are rejected at Commit.
func testStreamPatientLater(t *testing.T, s store.Store) {
	tx, err := s.BeginImport(ctx, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	th := record.Therapy{ID: "t", PatientID: "late", Class: record.Glucocorticoid, Name: "prednisone", Start: day("2020-01-01"), Provenance: prov("t")}
	for _, b := range []*record.Batch{
		{Observations: []record.Observation{creat("o1", "late", "2020-01-01", 1), creat("o2", "ghost", "2020-01-01", 1)}, Therapies: []record.Therapy{th}},
		{Patients: []record.Patient{{ID: "late", BirthDate: day("1980-01-01"), Sex: record.Male, Provenance: prov("late")}}},
	} {
		if err := tx.Add(b); err != nil {
			t.Fatal(err)
		}
	}
	res, err := tx.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts(res), [4]int{3, 0, 0, 1}; got != want {
		t.Fatalf("counts = %v, want %v; rejected %v", got, want, res.Rejected)
	}
	if r := res.Rejected[0]; r.ID != "o2" || !errors.Is(r, store.ErrUnknownPatient) {
		t.Errorf("rejected %v, want o2 with ErrUnknownPatient", r)
	}
}

// Strict: a rejection in any chunk rolls the whole stream back.
func testStreamStrict(t *testing.T, s store.Store) {
	p := record.Patient{ID: "st", Sex: record.Female, Provenance: prov("st")}
	obs := manyObs("st", 3000)
	obs[2900].ID = "" // rejected, in the last chunk
	res := streamAll(t, s, p, obs, 1000, store.ImportOptions{Strict: true})
	if !res.RolledBack || res.RejectedCount != 1 {
		t.Fatalf("rolled back %v, %d rejected; want rolled back, 1 rejected", res.RolledBack, res.RejectedCount)
	}
	if _, err := s.Patient(ctx, "st"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after a strict rollback the patient is there (%v); want nothing stored", err)
	}
}

// MaxRejections keeps the first rejections and counts the rest; OnReject
// sees every one and nothing is kept.
func testStreamRejections(t *testing.T, s store.Store) {
	p := record.Patient{ID: "r", Sex: record.Female, Provenance: prov("r")}
	obs := manyObs("r", 50)
	for i := range obs {
		obs[i].Value.Unit = units.MgPerDL // not potassium's canonical unit: rejected
	}
	res := streamAll(t, s, p, obs, 7, store.ImportOptions{MaxRejections: 5})
	if len(res.Rejected) != 5 || res.RejectedCount != 50 || res.Rejected[0].ID != "r/o0" {
		t.Errorf("kept %d (first %v), counted %d; want the first 5 kept of 50", len(res.Rejected), res.Rejected[0].ID, res.RejectedCount)
	}
	var seen int
	res = streamAll(t, s, p, obs, 7, store.ImportOptions{OnReject: func(store.Rejection) { seen++ }})
	if len(res.Rejected) != 0 || res.RejectedCount != 50 || seen != 50 {
		t.Errorf("with OnReject: kept %d, counted %d, seen %d; want 0, 50, 50", len(res.Rejected), res.RejectedCount, seen)
	}
}

// Rollback leaves the store as it was, and the store takes the next import.
func testStreamRollback(t *testing.T, s store.Store) {
	tx, err := s.BeginImport(ctx, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Add(&record.Batch{Patients: []record.Patient{{ID: "gone", Sex: record.Male, Provenance: prov("gone")}}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("second Rollback: %v, want nil", err)
	}
	if _, err := s.Patient(ctx, "gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled back patient: %v, want not found", err)
	}
	mustImport(t, s, fullBatch(), store.ImportOptions{})
}

func hours(n int) time.Duration { return time.Duration(n) * time.Hour }
