package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/internal/golden"
)

// TestPatientsStatusGolden: deceased patients (with and without a date of
// death) and partial birth dates are imported with a note and shown as
// given by "patients" (text and --json); a refuted diagnosis is a retraction
// (trial 4 #2), a provisional one kept with a note. testdata/patients/status.ndjson
// is hand-written.
func TestPatientsStatusGolden(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	code, out, errs := runCmd(t, "import", "--db", db, "testdata/patients/status.ndjson")
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	golden.Assert(t, "patients/status-import.txt", []byte(out))
	code, out, errs = runCmd(t, "patients", "--db", db, "--as-of", "2025-12-31")
	if code != 0 {
		t.Fatalf("patients exit %d: %s", code, errs)
	}
	golden.Assert(t, "patients/status.txt", []byte(out))
	code, out, errs = runCmd(t, "patients", "--db", db, "--as-of", "2025-12-31", "--json")
	if code != 0 {
		t.Fatalf("patients --json exit %d: %s", code, errs)
	}
	golden.Assert(t, "patients/status.json", []byte(out))
}

// TestPatientsAsOfColumns (issue 7 item 12): "patients --as-of D" shows
// every column as of D: no creatinine from after D next to an eGFR from
// before it, and counts of items dated by D. The demo records run past
// 2024-01-01, so each row with a creatinine is checked.
func TestPatientsAsOfColumns(t *testing.T) {
	demoNow(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errs := runCmd(t, "demo", "--db", db); code != 0 {
		t.Fatalf("demo exit %d: %s", code, errs)
	}
	rows := func(asOf string) map[string]patientRow {
		code, out, errs := runCmd(t, "patients", "--db", db, "--as-of", asOf, "--json")
		if code != 0 {
			t.Fatalf("patients exit %d: %s", code, errs)
		}
		var l patientsList
		if err := json.Unmarshal([]byte(out), &l); err != nil {
			t.Fatal(err)
		}
		m := map[string]patientRow{}
		for _, r := range l.Patients {
			m[r.ID] = r
		}
		return m
	}
	early, late := rows("2024-01-01"), rows(demoAsOf)
	checked := 0
	for id, r := range early {
		if c := r.LatestCreatinine; c != nil {
			checked++
			if c.Date > "2024-01-01" {
				t.Errorf("%s: creatinine of %s shown as of 2024-01-01", id, c.Date)
			}
			if r.EGFR != nil && r.EGFR.Equation != "reported" && c.Date < r.EGFR.Date {
				t.Errorf("%s: creatinine of %s is older than the eGFR of %s", id, c.Date, r.EGFR.Date)
			}
		}
		if l := late[id]; r.Observations > l.Observations || r.Therapies > l.Therapies {
			t.Errorf("%s: counts as of 2024-01-01 (%d obs, %d therapies) exceed those of %s (%d, %d)", id, r.Observations, r.Therapies, demoAsOf, l.Observations, l.Therapies)
		}
	}
	if checked == 0 {
		t.Fatal("no demo patient had a creatinine by 2024-01-01: the test checks nothing")
	}
	// Trial #9: child-ln's four therapy records all start in 2025, so as of
	// 2024-01-01 it has no course and no record; later it has both.
	if r := early["child-ln"]; r.Therapies != 0 || r.TherapyRecords != 0 {
		t.Errorf("child-ln as of 2024-01-01: therapies %d/%d, want 0/0 (all start in 2025)", r.Therapies, r.TherapyRecords)
	}
	if r := late["child-ln"]; r.TherapyRecords == 0 || r.Therapies == 0 {
		t.Errorf("child-ln as of %s: therapies %d/%d, want some", demoAsOf, r.Therapies, r.TherapyRecords)
	}
	for id, r := range early {
		if r.TherapyRecords > late[id].TherapyRecords {
			t.Errorf("%s: %d therapy records as of 2024-01-01, more than the %d of %s", id, r.TherapyRecords, late[id].TherapyRecords, demoAsOf)
		}
	}
	differ := false
	for id, r := range early {
		if r.Observations != late[id].Observations {
			differ = true
		}
	}
	if !differ {
		t.Error("observation counts are the same on both dates: not counted as of the date")
	}
}

// TestReportIssue7Golden: the report text of three hand-written patients
// (testdata/report/issue7.ndjson): only laboratory eGFRs with diabetes and
// hypertension recorded (items 8, 10, 9), a patient who died in 2006
// assessed at death (item 11), and a same-day creatinine and cystatin C
// whose eGFRcr-cys is the KFRE's eGFR (item 7).
func TestReportIssue7Golden(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/report/issue7.ndjson"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	for _, tc := range []struct{ id, asOf string }{{"lab-egfr-only", "2026-01-15"}, {"died-2006", "2026-12-07"}, {"cys-g3a", "2024-02-01"}} {
		code, out, errs := runCmd(t, "report", tc.id, "--db", db, "--as-of", tc.asOf)
		if code != 0 {
			t.Fatalf("report %s exit %d: %s", tc.id, code, errs)
		}
		golden.Assert(t, "report/issue7-"+tc.id+".txt", []byte(out))
	}
}

// TestPatientsCreatinineOneUnit (trial #21): the LATEST CREATININE column
// shows one unit, mg/dL by default and µmol/L with --units si, converted
// with the units package (91 µmol/L = 1.03 mg/dL).
func TestPatientsCreatinineOneUnit(t *testing.T) {
	demoNow(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errs := runCmd(t, "demo", "--db", db); code != 0 {
		t.Fatalf("demo exit %d: %s", code, errs)
	}
	for _, tc := range []struct {
		args       []string
		want, not  string
		completeCr string
	}{
		{nil, "mg/dL", "µmol/L", "1.03 mg/dL"},
		{[]string{"--units", "si"}, "µmol/L", "mg/dL", "91 µmol/L"},
	} {
		code, out, errs := runCmd(t, append([]string{"patients", "--db", db, "--as-of", demoAsOf}, tc.args...)...)
		if code != 0 {
			t.Fatalf("patients %v: exit %d: %s", tc.args, code, errs)
		}
		if !strings.Contains(out, "creatinine in "+tc.want) || strings.Contains(out, tc.not) || !strings.Contains(out, tc.completeCr) {
			t.Errorf("patients %v: want creatinine in %s only (%s):\n%s", tc.args, tc.want, tc.completeCr, out)
		}
	}
	if code, _, _ := runCmd(t, "patients", "--db", db, "--units", "reported"); code != 2 {
		t.Errorf("patients --units reported: exit %d, want 2", code)
	}
}
