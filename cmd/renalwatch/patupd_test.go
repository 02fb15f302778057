package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/assess"
)

// A CSV patient sent again with another birth date: a birth date after a
// stored creatinine is refused, naming it, and the stored patient kept; a
// corrected earlier one replaces the stored one (it was rejected as
// "stored with other details", naming no field, with no way to correct
// it). The summary counts and lists the change, the audit trail names it,
// and the report says what changed.
func TestImportPatientUpdatedCSV(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, out, errs := runCmd(t, "import", "--db", db, "testdata/patupd/patient.csv", "testdata/patupd/labs.csv"); code != 0 {
		t.Fatalf("import exit %d: %s\n%s", code, errs, out)
	}
	code, out, _ := runCmd(t, "import", "--db", db, "testdata/patupd/birth-after-labs.csv")
	if code != 2 || !strings.Contains(out, "observation time 2024-05-01 is before the patient's birth date 2025-01-01 (observation Observation/") ||
		!strings.Contains(out, "the stored details of patient h1 are kept (birth date 1980-01-01)") {
		t.Errorf("birth after the labs: exit %d, want 2 and the rejection naming the creatinine:\n%s", code, out)
	}
	code, out, errs := runCmd(t, "import", "--db", db, "testdata/patupd/birth-fixed.csv")
	if code != 0 {
		t.Fatalf("corrected birth date: exit %d: %s\n%s", code, errs, out)
	}
	for _, want := range []string{"read 1, imported 0, unchanged 0, duplicates 0, updated 1, rejected 0",
		"Patient details updated (1):\n  patient h1: birth date 1980-01-01 → 1979-01-01 (testdata/patupd/birth-fixed.csv:2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("import summary lacks %q:\n%s", want, out)
		}
	}
	if _, sum := importJSON(t, db, "testdata/patupd/birth-fixed.csv"); sum.Totals.Unchanged != 1 || sum.Totals.Updated != 0 {
		t.Errorf("the same details again: %+v, want unchanged 1", sum.Totals)
	}
	code, out, _ = runCmd(t, "audit", "--db", db)
	if code != 0 || !strings.Contains(out, "import  h1       ok: details birth date 1980-01-01 → 1979-01-01\n") ||
		!strings.Contains(out, "updated 1") {
		t.Errorf("audit (exit %d) lacks the update:\n%s", code, out)
	}
	code, out, _ = runCmd(t, "report", "h1", "--db", db, "--as-of", "2025-06-01")
	if code != 0 || !strings.Contains(out, "Patient h1 (female, 46 years) as of 2025-06-01\nPatient details updated on import of testdata/patupd/birth-fixed.csv at ") ||
		!strings.Contains(out, " UTC: birth date was 1980-01-01 (now 1979-01-01)\n") {
		t.Errorf("report (exit %d) lacks the update under its header:\n%s", code, out)
	}
}

// A FHIR Patient re-sent with deceasedDateTime (the EHR records a death):
// stored (it was rejected), and the report is then read as the record
// stood at death and says the details changed. The patient's state before
// death (meta.lastUpdated older than the stored one) read afterwards is
// not applied.
func TestImportPatientDiedFHIR(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, out, errs := runCmd(t, "import", "--db", db, "testdata/patupd/patient.ndjson", "testdata/patupd/creatinine.ndjson"); code != 0 {
		t.Fatalf("import exit %d: %s\n%s", code, errs, out)
	}
	code, sum := importJSON(t, db, "testdata/patupd/patient-died.ndjson")
	if code != 0 || sum.Totals.Updated != 1 || len(sum.PatientUpdates) != 1 ||
		sum.PatientUpdates[0].Text != "patient f1: deceased no → yes, date of death unknown → 2025-02-10" {
		t.Fatalf("exit %d, %+v; want the death as an update", code, sum)
	}
	code, out, _ := runCmd(t, "import", "--db", db, "testdata/patupd/patient-old.ndjson")
	// The older state gives another birth month and no deceased[x]: the
	// birth month is not applied (older), and the missing deceased[x]
	// erases nothing (record.KeepKnown), so it is not listed.
	if want := "Patient details older than stored, not applied (1):\n  patient f1: birth date 1960-03 → 1960-04 " +
		"(testdata/patupd/patient-old.ndjson:1; meta.lastUpdated 2024-12-01T08:00:00Z, stored 2025-02-11T08:00:00Z)"; code != 0 || !strings.Contains(out, want) ||
		!strings.Contains(out, "read 1, imported 0, unchanged 1, duplicates 0, rejected 0") {
		t.Errorf("older Patient: exit %d, want 0 and %q:\n%s", code, want, out)
	}
	code, out, _ = runCmd(t, "report", "f1", "--db", db, "--as-of", "2025-06-01")
	if code != 0 || !strings.Contains(out, "Patient f1 (male, died 2025-02-10 aged 64) as of 2025-06-01; assessed as the record stood at death, 2025-02-10") ||
		!strings.Contains(out, "UTC: deceased was no (now yes), date of death was unknown (now 2025-02-10)") {
		t.Errorf("report (exit %d) lacks the death or its update:\n%s", code, out)
	}
	code, out, _ = runCmd(t, "report", "f1", "--db", db, "--as-of", "2025-06-01", "--json")
	var r struct{ Patient assess.PatientInfo }
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("report --json exit %d: %v", code, err)
	}
	if !r.Patient.Deceased || len(r.Patient.Updates) != 1 || r.Patient.Updates[0].File != "testdata/patupd/patient-died.ndjson" ||
		len(r.Patient.Updates[0].Changes) != 2 || r.Patient.Updates[0].Changes[0].Field != "deceased" {
		t.Errorf("report --json patient %+v", r.Patient)
	}
}

// A FHIR Patient re-sent with deceasedBoolean false (a death recorded in
// error, undone by the EHR) undoes the stored death (it was kept: the
// reader could not tell false from no deceased[x]); a Patient without
// deceased[x] then changes nothing.
func TestImportPatientDeathUndoneFHIR(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, out, errs := runCmd(t, "import", "--db", db, "testdata/patupd/patient.ndjson", "testdata/patupd/creatinine.ndjson",
		"testdata/patupd/patient-died.ndjson"); code != 0 {
		t.Fatalf("import exit %d: %s\n%s", code, errs, out)
	}
	code, out, errs := runCmd(t, "import", "--db", db, "testdata/patupd/patient-alive.ndjson")
	if want := "Patient details updated (1):\n  patient f1: deceased yes → no, date of death 2025-02-10 → unknown (testdata/patupd/patient-alive.ndjson:1)"; code != 0 ||
		!strings.Contains(out, want) {
		t.Fatalf("deceasedBoolean false: exit %d (%s), want %q:\n%s", code, errs, want, out)
	}
	if _, sum := importJSON(t, db, "testdata/patupd/patient.ndjson"); sum.Totals.Unchanged != 1 || sum.Totals.Updated != 0 {
		t.Errorf("a Patient without deceased[x] after the undo: %+v, want unchanged 1", sum.Totals)
	}
	code, out, _ = runCmd(t, "report", "f1", "--db", db, "--as-of", "2025-06-01")
	if code != 0 || strings.Contains(out, "died 2025") || !strings.Contains(out, "Patient f1 (male, 65 years) as of 2025-06-01\n") {
		t.Errorf("report (exit %d) still reads the patient as dead:\n%s", code, out)
	}
}
