package main

import (
	"path/filepath"
	"testing"

	"renalwatch/internal/golden"
)

// TestPatientsStatusGolden: deceased patients (with and without a date of
// death) and partial birth dates are imported with a note and shown as
// given by "patients" (text and --json); a refuted diagnosis is skipped and
// counted, a provisional one kept with a note. testdata/patients/status.ndjson
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
