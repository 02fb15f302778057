package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"renalwatch/synth"
)

// TestCohortCSVEqualsReport: cohort reads the CSV layouts (issue 10 §2):
// every NDJSON row from a synth --format csv folder is the document
// "report --json" prints for that patient after "import" of the same CSV
// files (csvio's mapping on both sides).
func TestCohortCSVEqualsReport(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "30", "--seed", "11", "--format", "csv")
	out := filepath.Join(t.TempDir(), "rows.ndjson")
	code, _, errs := runCmd(t, "cohort", dir, "--out", out, "--as-of", "2025-12-31")
	if code != 0 {
		t.Fatalf("cohort exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "Wrote the rows of 30 patients") {
		t.Errorf("stderr: %s", errs)
	}
	db := filepath.Join(t.TempDir(), "rw.db")
	var files []string
	for _, n := range synth.CSVFiles() {
		files = append(files, filepath.Join(dir, n))
	}
	synthImport(t, db, files...)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := cohortRowsByID(t, string(b))
	if len(rows) != 30 {
		t.Fatalf("%d rows, want 30", len(rows))
	}
	for i := 0; i < 30; i += 4 {
		id := synth.PatientID(11, i)
		checkCohortRow(t, db, "2025-12-31", id, rows[id])
	}
}

// cohortRowsByID reads cohort NDJSON output by patient id.
func cohortRowsByID(t *testing.T, text string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var r struct {
			Patient struct{ ID string } `json:"patient"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rows[r.Patient.ID] = sc.Text()
	}
	return rows
}

// checkCohortRow compares a cohort NDJSON row with "report --json" for
// the patient in db, and returns the report document.
func checkCohortRow(t *testing.T, db, asOf, id, row string) map[string]any {
	t.Helper()
	code, want, errs := runCmd(t, "report", id, "--db", db, "--as-of", asOf, "--json")
	if code != 0 {
		t.Fatalf("report %s exit %d: %s", id, code, errs)
	}
	var w, g map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(row), &g); err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	if !reflect.DeepEqual(w, g) {
		t.Errorf("%s: cohort row differs from report --json\ncohort: %.600s\nreport: %.600s", id, row, compact(want))
	}
	return w
}

// TestCohortCSVWithoutPatients (trial 12 F7): observations.csv alone was
// read as NDJSON, one "bad JSON" line per row, exit 2 and a header-only
// output. It is now one line that says what is missing, and nothing is
// written.
func TestCohortCSVWithoutPatients(t *testing.T) {
	dir := synthCohort(t, "--patients", "3", "--seed", "11", "--format", "csv")
	out := filepath.Join(t.TempDir(), "s.csv")
	code, _, errs := runCmd(t, "cohort", filepath.Join(dir, "observations.csv"), "--out", out)
	if code != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "no patients file among the CSV inputs") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s written", out)
	}
}

// TestCohortCSVListsSkipped (trial 13 F9): the files of a CSV folder that
// are not read (synth's truth.ndjson, an old rows.csv) are listed, as
// those of a Bulk Data folder are.
func TestCohortCSVListsSkipped(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "3", "--seed", "5", "--format", "csv")
	writeFile(t, filepath.Join(dir, "rows.csv"), "patient_id,egfr\np1,60\n")
	code, _, errs := runCmd(t, "cohort", dir, "--out", filepath.Join(t.TempDir(), "c.csv"), "--as-of", "2025-12-31")
	want := "Files of the folder not read (2):\n" +
		"  " + filepath.Join(dir, "rows.csv") + ": its header is none of the CSV layouts (patients, observations, therapies, diagnoses, findings, biopsies, events) and its name is none of theirs\n" +
		"  " + filepath.Join(dir, "truth.ndjson") + ": not a CSV file (*.csv, *.csv.gz)\n" +
		"Wrote the rows of 3 patients"
	if code != 0 || !strings.Contains(errs, want) {
		t.Errorf("exit %d, want 0 and\n%s\n%s", code, want, errs)
	}
	// CSV rows are counted as rows, not resources (trial 13 F10c).
	if !strings.Contains(errs, " rows in 7 files (") {
		t.Errorf("the Wrote line does not count rows:\n%s", errs)
	}
}
