package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/record"
	"renalwatch/store"
)

// A Patient sent again with other details replaces the stored ones (the
// last import wins: a FHIR Patient is the patient's current state); the
// details replaced are kept, in order, and the timeline says what changed.
func testPatientUpdate(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	first := fullBatch().Patients[0]
	fixed := first
	fixed.BirthDate, fixed.Sex, fixed.Provenance.File = day("1979-05-17"), record.Male, "fix.ndjson"
	res := mustImport(t, s, &record.Batch{Patients: []record.Patient{fixed}}, store.ImportOptions{})
	want := []store.PatientChange{{PatientID: "p1", Provenance: fixed.Provenance, Changes: []record.FieldChange{
		{Field: "birth date", Old: "1980-05-17", New: "1979-05-17"}, {Field: "sex", Old: "female", New: "male"}}}}
	if res.Updated != 1 || res.RejectedCount != 0 || res.Imported != 0 || !cmp.Equal(res.PatientChanges, want) {
		t.Fatalf("corrected birth date and sex: %+v; want updated 1 with %+v", res, want)
	}
	if got := res.PatientChanges[0].Text(); got != "patient p1: birth date 1980-05-17 → 1979-05-17, sex female → male" {
		t.Errorf("change text %q", got)
	}
	dead := fixed
	dead.Deceased, dead.DeceasedDate, dead.Provenance.File = true, day("2024-02-03"), "death.ndjson"
	before := time.Now().Add(-time.Second)
	if res := mustImport(t, s, &record.Batch{Patients: []record.Patient{dead}}, store.ImportOptions{}); res.Updated != 1 {
		t.Fatalf("death: %+v, want updated 1", res)
	}
	if res := mustImport(t, s, &record.Batch{Patients: []record.Patient{dead}}, store.ImportOptions{}); res.Unchanged != 1 || res.Updated != 0 {
		t.Errorf("the same details again: %+v, want unchanged 1", res)
	}
	tl, err := s.Timeline(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(dead, tl.Patient, ignoreLocation); diff != "" {
		t.Errorf("current details (-want +got):\n%s", diff)
	}
	if len(tl.Updates) != 2 {
		t.Fatalf("updates %+v, want 2", tl.Updates)
	}
	u0, u1 := tl.Updates[0], tl.Updates[1]
	if diff := cmp.Diff(first, u0.Previous, ignoreLocation); diff != "" {
		t.Errorf("first details kept (-want +got):\n%s", diff)
	}
	if u0.File != "fix.ndjson" || u1.File != "death.ndjson" || !cmp.Equal(u0.Changes, want[0].Changes) ||
		!cmp.Equal(u1.Changes, []record.FieldChange{{Field: "deceased", Old: "no", New: "yes"}, {Field: "date of death", Old: "unknown", New: "2024-02-03"}}) {
		t.Errorf("updates %+v", tl.Updates)
	}
	if u1.Time.Before(before) || u1.Time.After(time.Now()) || u0.Time.After(u1.Time) {
		t.Errorf("update times %v, %v; want when each import ran", u0.Time, u1.Time)
	}
	if len(tl.Conditions) != 1 || len(tl.Values(fullBatch().Observations[0].Analyte)) != 2 {
		t.Errorf("the patient's records changed with the details: %+v", tl)
	}
}

// A new birth date after a stored item's date is refused, naming the
// earliest such item, and the stored details are kept; so is a birth
// date before record.EarliestBirth.
func testPatientUpdateBeforeItems(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	late := fullBatch().Patients[0]
	late.BirthDate = day("2020-03-01")
	old := late
	old.BirthDate = day("1800-01-01")
	res := mustImport(t, s, &record.Batch{Patients: []record.Patient{late, old}}, store.ImportOptions{})
	if res.Updated != 0 || res.RejectedCount != 2 {
		t.Fatalf("%+v, want both rejected", res)
	}
	for _, r := range res.Rejected {
		if !errors.Is(r, store.ErrInvalid) || !errors.Is(r, record.ErrImplausibleDate) {
			t.Errorf("rejection %v, want ErrInvalid and ErrImplausibleDate", r)
		}
	}
	want := "condition onset 2019-12-01 is before the patient's birth date 2020-03-01 (condition Condition/ln is stored); " +
		"the stored details of patient p1 are kept (birth date 1980-05-17)"
	if got := res.Rejected[0].Error(); !strings.Contains(got, want) {
		t.Errorf("rejection %q, want it to say %q", got, want)
	}
	got, err := s.Patient(ctx, "p1")
	if err != nil || !got.BirthDate.Equal(day("1980-05-17")) {
		t.Errorf("stored %+v (%v); want the birth date kept", got, err)
	}
	if tl, _ := s.Timeline(ctx, "p1"); tl == nil || len(tl.Updates) != 0 {
		t.Errorf("updates recorded for a refused change: %+v", tl)
	}
}

// The same details from another source (a CSV row, then a FHIR Patient)
// are unchanged, not an update.
func testPatientOtherSource(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	p := fullBatch().Patients[0]
	p.Provenance = record.Provenance{System: "csv", ResourceType: "csv", File: "patients.csv", Line: 2}
	if res := mustImport(t, s, &record.Batch{Patients: []record.Patient{p}}, store.ImportOptions{}); res.Unchanged != 1 || res.Updated != 0 || res.RejectedCount != 0 {
		t.Errorf("%+v, want unchanged 1", res)
	}
}

// A Patient whose meta.lastUpdated is older than the stored details' is
// an older state of the patient: not applied (listed, counted unchanged);
// a newer one, or one without lastUpdated, replaces the stored details.
func testPatientUpdateOlder(t *testing.T, s store.Store) {
	stored := record.Patient{ID: "p9", BirthDate: day("1970-01-01"), Sex: record.Female, Updated: day("2025-03-01").Add(9 * time.Hour)}
	mustImport(t, s, &record.Batch{Patients: []record.Patient{stored}}, store.ImportOptions{})
	if got, err := s.Patient(ctx, "p9"); err != nil || !got.Updated.Equal(stored.Updated) {
		t.Fatalf("stored meta.lastUpdated %v (%v), want %v", got.Updated, err, stored.Updated)
	}
	older := stored
	older.Deceased, older.Updated = true, day("2025-02-01")
	res := mustImport(t, s, &record.Batch{Patients: []record.Patient{older}}, store.ImportOptions{})
	if res.Updated != 0 || res.Unchanged != 1 || len(res.NotApplied) != 1 || !res.NotApplied[0].StoredUpdated.Equal(stored.Updated) ||
		res.NotApplied[0].Changes[0].Field != "deceased" {
		t.Fatalf("older Patient: %+v, want it not applied", res)
	}
	if got, _ := s.Patient(ctx, "p9"); got.Deceased {
		t.Error("the older details were stored")
	}
	newer := older
	newer.Updated = day("2025-04-01")
	if res := mustImport(t, s, &record.Batch{Patients: []record.Patient{newer}}, store.ImportOptions{}); res.Updated != 1 || len(res.NotApplied) != 0 {
		t.Fatalf("newer Patient: %+v, want updated 1", res)
	}
	undated := newer
	undated.Sex, undated.Updated = record.Male, time.Time{}
	if res := mustImport(t, s, &record.Batch{Patients: []record.Patient{undated}}, store.ImportOptions{}); res.Updated != 1 {
		t.Fatalf("Patient without meta.lastUpdated: %+v, want updated 1 (the last import wins)", res)
	}
	tl, err := s.Timeline(ctx, "p9")
	if err != nil || len(tl.Updates) != 2 || !tl.Updates[0].Previous.Updated.Equal(stored.Updated) || !tl.Updates[1].Previous.Updated.Equal(newer.Updated) {
		t.Errorf("updates %+v (%v), want both kept with their lastUpdated", tl, err)
	}
}

// UpdateAfterUpgrade checks, on a store of BeforeUpgrade's items opened
// after its upgrade, that patient p sent again with a date of death is
// updated and its old details kept.
func UpdateAfterUpgrade(t *testing.T, s store.Store) {
	t.Helper()
	p := record.Patient{ID: "p", BirthDate: day("1970-01-01"), Deceased: true, DeceasedDate: day("2025-01-02")}
	if res := mustImport(t, s, &record.Batch{Patients: []record.Patient{p}}, store.ImportOptions{}); res.Updated != 1 {
		t.Fatalf("update after the upgrade: %+v", res)
	}
	tl, err := s.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if !tl.Patient.Deceased || len(tl.Updates) != 1 || tl.Updates[0].Previous.Deceased {
		t.Errorf("patient %+v, updates %+v; want dead now, alive before", tl.Patient, tl.Updates)
	}
}
