package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"renalwatch/synth"
)

// TestCohortPatientSentAgain (trial 13 F5): a Patient given twice with
// another birth date (a second NDJSON Patient, a second patients.csv row)
// was merged by cohort without a word. It is now a warning with file and
// line in import's words, and the row carries the patient.updates that
// report --json carries after import of the same files (their time is the
// reading time, and the text quotes it).
func TestCohortPatientSentAgain(t *testing.T) {
	fixedNow(t)
	for _, format := range []string{"ndjson", "csv"} {
		t.Run(format, func(t *testing.T) {
			dir := synthCohort(t, "--patients", "4", "--seed", "42", "--format", format)
			id := synth.PatientID(42, 0)
			var file, line string // the second Patient: after 4 (and a header)
			var files []string
			if format == "csv" {
				file, line = filepath.Join(dir, "patients.csv"), "6"
				appendLine(t, file, id+",1960-01-01,female")
				for _, n := range synth.CSVFiles() {
					files = append(files, filepath.Join(dir, n))
				}
			} else {
				file, line = filepath.Join(dir, "Patient.ndjson"), "5"
				appendLine(t, file, `{"resourceType":"Patient","id":"`+id+`","gender":"female","birthDate":"1960-01-01"}`)
				for _, n := range []string{"Patient.ndjson", "Observation.ndjson", "Condition.ndjson", "MedicationRequest.ndjson", "Procedure.ndjson"} {
					files = append(files, filepath.Join(dir, n))
				}
			}
			out := filepath.Join(t.TempDir(), "rows.ndjson")
			code, _, errs := runCmd(t, append([]string{"cohort", "--out", out, "--as-of", "2025-12-31"}, files...)...)
			if want := "renalwatch: cohort: warning: " + file + ":" + line + ": patient " + id + ": birth date 1995-07-13 → 1960-01-01"; code != 0 || !strings.Contains(errs, want) {
				t.Errorf("cohort exit %d, want 0 and %q:\n%s", code, want, errs)
			}
			db := filepath.Join(t.TempDir(), "rw.db")
			synthImport(t, db, files...)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			row := cohortRowsByID(t, string(b))[id]
			code, want, errs := runCmd(t, "report", id, "--db", db, "--as-of", "2025-12-31", "--json")
			if code != 0 {
				t.Fatalf("report exit %d: %s", code, errs)
			}
			g, w := updatesWithoutTime(t, row), updatesWithoutTime(t, want)
			if len(w) != 1 || !reflect.DeepEqual(g, w) {
				t.Errorf("cohort updates %v, report --json %v", g, w)
			}
		})
	}
}

// appendLine appends a line to a file.
func appendLine(t *testing.T, name, line string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, append(b, line+"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// updatesWithoutTime returns a report document's patient.updates without
// their time and the text that quotes it.
func updatesWithoutTime(t *testing.T, doc string) []any {
	t.Helper()
	var d struct {
		Patient struct {
			Updates []map[string]any `json:"updates"`
		} `json:"patient"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	var out []any
	for _, u := range d.Patient.Updates {
		at, _ := u["time"].(string)
		u["text"] = strings.Replace(u["text"].(string), at[:10]+" "+at[11:16]+" UTC", "TIME", 1)
		delete(u, "time")
		out = append(out, u)
	}
	return out
}
