package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCSVExportReimportsIntoFHIRStore follows the trial's path with the
// shared Synthea data (../shared/data/synthea-r4-kidney): a store filled
// from FHIR NDJSON, a patient's "report --format csv" export, and that
// export imported into the same store. An observation is the measurement
// (patient, analyte, time, value, comparator), so every row is unchanged,
// not "stored with other content"; the store keeps the FHIR provenance
// (resource type, LOINC code, the source's value text) and the importer's
// notes (blood pressure unit from its LOINC definition) that a CSV row
// cannot carry, and nothing else changes. The patients tested are the
// first, then the next two whose observations carry importer's notes.
func TestCSVExportReimportsIntoFHIRStore(t *testing.T) {
	fixedNow(t)
	var files []string
	for _, f := range sharedDataFiles(t) {
		if b := filepath.Base(f); strings.HasPrefix(filepath.Base(filepath.Dir(f)), "synthea") && (b == "Patient.ndjson" || b == "Observation.ndjson") {
			files = append(files, f)
		}
	}
	if len(files) != 2 {
		t.Fatalf("synthea-r4-kidney Patient and Observation files: %v", files)
	}
	db := filepath.Join(t.TempDir(), "fhir.db")
	synthImport(t, db, files...)
	_, out, _ := runCmd(t, "patients", "--db", db, "--json")
	var list struct {
		Patients []struct {
			ID string `json:"id"`
		} `json:"patients"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Patients) < 3 {
		t.Fatalf("patients: %v, %d", err, len(list.Patients))
	}
	notes, tested := 0, 0
	for _, p := range list.Patients {
		if tested == 3 {
			break
		}
		before := timeline(t, db, p.ID)
		n := 0
		for _, o := range before.Observations() {
			n += len(o.Notes)
		}
		if n == 0 && tested > 0 {
			continue
		}
		notes, tested = notes+n, tested+1
		code, export, errs := runCmd(t, "report", p.ID, "--db", db, "--format", "csv")
		if code != 0 {
			t.Fatalf("%s: report --format csv exit %d: %s", p.ID, code, errs)
		}
		labs := filepath.Join(t.TempDir(), "labs.csv")
		writeFile(t, labs, export)
		sum := synthImport(t, db, labs)
		if n := len(before.Observations()); sum.Totals.Unchanged != n || sum.Totals.Rejected != 0 || sum.Totals.Imported != 0 || sum.Totals.Duplicates != 0 {
			t.Errorf("%s: its CSV export imported into the FHIR store: %+v, want %d unchanged", p.ID, sum.Totals, n)
		}
		after := timeline(t, db, p.ID)
		if d := cmp.Diff(before.Observations(), after.Observations()); d != "" {
			t.Errorf("%s: stored observations changed by the re-import (-before +after):\n%s", p.ID, d)
		}
		if o := after.Observations()[0]; o.Provenance().ResourceType != "Observation" || o.Provenance().Code.Code == "" {
			t.Errorf("%s: stored provenance %+v, want the FHIR Observation and its code", p.ID, o.Provenance())
		}
	}
	if notes == 0 {
		t.Error("the patients tested have no importer's notes: choose patients whose notes a CSV row cannot carry")
	}
}
