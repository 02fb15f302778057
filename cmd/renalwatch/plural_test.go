package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Counts of one read in the singular (trial: "male, 1 years"): the report
// header, the patient list footer. One helper, labtext.Count.
func TestOneYearOnePatient(t *testing.T) {
	dir := t.TempDir()
	pat, labs := filepath.Join(dir, "people.csv"), filepath.Join(dir, "labs.csv")
	db := filepath.Join(dir, "r.db")
	os.WriteFile(pat, []byte("patient_id,birth_date,sex\nbaby,2025-06-01,male\n"), 0o600)
	os.WriteFile(labs, []byte("patient_id,time,analyte,value,unit\nbaby,2026-09-01,creatinine,0.35,mg/dL\nbaby,2026-09-01,height,76,cm\n"), 0o600)
	if code, out, errs := runCmd(t, "import", "--db", db, pat, labs); code != 0 {
		t.Fatalf("import: %d %s%s", code, out, errs)
	}
	code, out, errs := runCmd(t, "report", "baby", "--db", db, "--as-of", "2026-12-01")
	if code != 0 || !strings.Contains(out, "Patient baby (male, 1 year) as of 2026-12-01") {
		t.Errorf("report header: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCmd(t, "patients", "--db", db, "--as-of", "2026-12-01")
	if code != 0 || !strings.Contains(out, "\n1 patient") || strings.Contains(out, "1 patients") {
		t.Errorf("patients footer: exit %d\n%s%s", code, out, errs)
	}
}
