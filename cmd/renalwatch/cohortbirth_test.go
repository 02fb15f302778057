package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"renalwatch/synth"
)

// TestCohortBeforeBirth (issue 10 §2): import rejects the items dated
// before the patient's birth, also when a Patient sent again moves the
// birth date after some of them; the cohort assessed them. Its NDJSON
// document now equals report --json after import of the same files (the
// reading time masked), and each item is a problem at its file and line
// in import's words, read indexed (plain files) and partitioned (gzip).
// A Patient in a file import reads after the patient's results, whose
// birth date would put them before birth, is refused by both.
func TestCohortBeforeBirth(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "4", "--seed", "42")
	id0, id1 := synth.PatientID(42, 0), synth.PatientID(42, 1)
	obsFile := filepath.Join(dir, "Observation.ndjson")
	b, err := os.ReadFile(obsFile)
	if err != nil {
		t.Fatal(err)
	}
	earlyLine := bytes.Count(b, []byte("\n")) + 1
	// Patient 0's observations start in 2022: the later birth date puts
	// some before birth; patient 1 (born 2005) has one from 2001.
	appendLine(t, filepath.Join(dir, "Patient.ndjson"), `{"resourceType":"Patient","id":"`+id0+`","gender":"female","birthDate":"2023-01-01"}`)
	appendLine(t, obsFile, `{"resourceType":"Observation","id":"early1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},`+
		`"subject":{"reference":"Patient/`+id1+`"},"effectiveDateTime":"2001-03-30","valueQuantity":{"value":0.76,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`)
	// A file import reads after Observation.ndjson (it does not start with
	// a Patient) gives patient 2 again, born after its stored results:
	// import refuses that birth date and keeps the details.
	id2 := synth.PatientID(42, 2)
	more := filepath.Join(dir, "more.ndjson")
	if err := os.WriteFile(more, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	appendLine(t, more, `{"resourceType":"Observation","id":"late2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},`+
		`"subject":{"reference":"Patient/`+id2+`"},"effectiveDateTime":"2025-06-30","valueQuantity":{"value":0.8,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`)
	appendLine(t, more, `{"resourceType":"Patient","id":"`+id2+`","gender":"female","birthDate":"2025-06-01"}`)
	var files []string
	for _, n := range []string{"Patient.ndjson", "Observation.ndjson", "Condition.ndjson", "MedicationRequest.ndjson", "Procedure.ndjson", "more.ndjson"} {
		files = append(files, filepath.Join(dir, n))
	}

	db := filepath.Join(t.TempDir(), "rw.db")
	code, out, errs := runCmd(t, append([]string{"import", "--db", db, "--json"}, files...)...)
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 2 {
		t.Fatalf("import exit %d (want 2): %v\n%s", code, err, errs)
	}
	if len(sum.Rejected) < 3 || len(sum.PatientUpdates) != 1 {
		t.Fatalf("import rejected %d, updated %d; want the observations before birth and one update", len(sum.Rejected), len(sum.PatientUpdates))
	}
	want := []string{obsFile + ":1: Observation/" + id0 + "-o1: invalid item: implausible date: observation time 2022-03-30 is before the patient's birth date 2023-01-01",
		fmt.Sprintf("%s:%d: Observation/early1: invalid item: implausible date: observation time 2001-03-30 is before the patient's birth date", obsFile, earlyLine),
		more + ":2: Patient/" + id2 + ": invalid item: implausible date: observation time "}
	for _, r := range sum.Rejected { // every rejection of import, at its file and line
		want = append(want, fmt.Sprintf("%s:%d: %s/%s: %s", r.File, r.Line, r.ResourceType, r.ID, r.Reason))
	}

	gzipped := gzipFiles(t, files)
	for name, in := range map[string][]string{"indexed": files, "partitioned": gzipped} {
		t.Run(name, func(t *testing.T) {
			rows := filepath.Join(t.TempDir(), "rows.ndjson")
			code, _, errs := runCmd(t, append([]string{"cohort", "--out", rows, "--as-of", "2025-12-31"}, in...)...)
			if code != 2 {
				t.Errorf("cohort exit %d, want 2 (rejected items):\n%s", code, errs)
			}
			if name == "partitioned" { // the files import read
				errs = strings.ReplaceAll(errs, ".ndjson.gz:", ".ndjson:")
			}
			for _, w := range want {
				if !strings.Contains(errs, "renalwatch: cohort: "+w) {
					t.Errorf("cohort stderr lacks %q:\n%.3000s", w, errs)
				}
			}
			if w := "; the stored details of patient " + id2 + " are kept (birth date "; !strings.Contains(errs, w) {
				t.Errorf("cohort stderr lacks %q", w)
			}
			if n, m := strings.Count(errs, ": invalid item: "), len(sum.Rejected); n != m {
				t.Errorf("cohort reports %d items dated before birth, import %d", n, m)
			}
			b, err := os.ReadFile(rows)
			if err != nil {
				t.Fatal(err)
			}
			rowsEqualReport(t, db, strings.ReplaceAll(string(b), ".ndjson.gz", ".ndjson"), 4) // patient.updates[].file
		})
	}
}

// TestCohortBeforeBirthCSV: the same with the CSV layouts, a patients.csv
// row giving patient 0 again, born after some of its rows: each row import
// rejects is a problem at its file and line, named by its id, and each
// document equals report --json after import.
func TestCohortBeforeBirthCSV(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "3", "--seed", "42", "--format", "csv")
	appendLine(t, filepath.Join(dir, "patients.csv"), synth.PatientID(42, 0)+",2023-01-01,female")
	var files []string
	for _, n := range synth.CSVFiles() {
		files = append(files, filepath.Join(dir, n))
	}
	db := filepath.Join(t.TempDir(), "rw.db")
	code, out, errs := runCmd(t, append([]string{"import", "--db", db, "--json"}, files...)...)
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 2 || len(sum.Rejected) == 0 {
		t.Fatalf("import exit %d (want 2, rows rejected): %v\n%s", code, err, errs)
	}
	rows := filepath.Join(t.TempDir(), "rows.ndjson")
	code, _, errs = runCmd(t, append([]string{"cohort", "--out", rows, "--as-of", "2025-12-31"}, files...)...)
	if code != 2 || strings.Count(errs, ": invalid item: ") != len(sum.Rejected) {
		t.Errorf("cohort exit %d, want 2 and the %d rows import rejects:\n%.2000s", code, len(sum.Rejected), errs)
	}
	for _, r := range sum.Rejected {
		if w := fmt.Sprintf("renalwatch: cohort: %s:%d: %s: %s", r.File, r.Line, r.ID, r.Reason); !strings.Contains(errs, w) {
			t.Errorf("cohort stderr lacks %q", w)
		}
	}
	b, err := os.ReadFile(rows)
	if err != nil {
		t.Fatal(err)
	}
	rowsEqualReport(t, db, string(b), 3)
}

// rowsEqualReport checks that the cohort gave n NDJSON documents (text),
// each equal to report --json for its patient in db (readingMasked).
func rowsEqualReport(t *testing.T, db, text string, n int) {
	t.Helper()
	got := cohortRowsByID(t, text)
	if len(got) != n {
		t.Fatalf("%d rows, want %d", len(got), n)
	}
	for id, row := range got {
		code, rep, errs := runCmd(t, "report", id, "--db", db, "--as-of", "2025-12-31", "--json")
		if code != 0 {
			t.Fatalf("report %s exit %d: %s", id, code, errs)
		}
		if g, w := readingMasked(t, row), readingMasked(t, rep); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: cohort row differs from report --json\ncohort: %.800s\nreport: %.800s", id, row, compact(rep))
		}
	}
}

// readingMasked decodes a report document with the time of each
// patient.updates entry (the reading time) and the text that quotes it
// masked (updatesWithoutTime).
func readingMasked(t *testing.T, doc string) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	if p, ok := d["patient"].(map[string]any); ok && p["updates"] != nil {
		p["updates"] = updatesWithoutTime(t, doc)
	}
	return d
}

// gzipFiles writes a gzip copy of each file beside it (NAME.gz).
func gzipFiles(t *testing.T, files []string) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		gzipTo(t, f, f+".gz")
		out = append(out, f+".gz")
	}
	return out
}
