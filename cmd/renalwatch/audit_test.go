package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// 'renalwatch import' leaves an audit row, and one for each patient whose
// record it changed (by the same who at the same time: the trial found
// 'audit --patient ID' silent about the imports that wrote the record);
// 'audit' lists them, selects by patient and date, and refuses a bad date.
func TestAuditCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	pat, labs := writeCSV(t, dir, "p1", 3)
	if code, _, errs := runCmd(t, "import", "--db", db, pat, labs); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCmd(t, "audit", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("audit: exit %d, %s", code, errs)
	}
	var rows []auditRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("audit rows after an import of 2 files: %+v; want p1's two and the import's", rows)
	}
	imp := rows[2]
	if imp.Action != "import" || !strings.HasPrefix(imp.Who, "cli:") || imp.PatientID != "" ||
		!strings.HasPrefix(imp.Outcome, "ok: 2 files, read 4, imported 4,") || !strings.HasSuffix(imp.Outcome, ", per-patient rows 2") {
		t.Errorf("the import's row: %+v", imp)
	}
	for i, want := range []string{"ok: new patient", "ok: 3 observations"} {
		if r := rows[i]; r.Action != "import" || r.PatientID != "p1" || r.Outcome != want || r.Who != imp.Who || !r.Time.Equal(imp.Time) {
			t.Errorf("row %d: %+v; want p1's import row %q by %s at %s", i, r, want, imp.Who, imp.Time)
		}
	}
	_, out, _ = runCmd(t, "audit", "--db", db, "--patient", "p1")
	if !strings.Contains(out, "import  p1       ok: 3 observations\n") || !strings.Contains(out, "2 entries.") {
		t.Errorf("audit --patient p1: %s", out)
	}
	_, out, _ = runCmd(t, "audit", "--db", db, "--since", "9999-01-01")
	if !strings.Contains(out, "0 entries.") {
		t.Errorf("audit --since 9999-01-01: %s", out)
	}
	_, out, _ = runCmd(t, "audit", "--db", db)
	if !strings.Contains(out, "TIME (UTC)") || !strings.Contains(out, "  cli:") || !strings.Contains(out, "3 entries.") {
		t.Errorf("audit: %s", out)
	}
	// The same files again change no record: the import's row only.
	if code, _, errs := runCmd(t, "import", "--db", db, pat, labs); code != 0 {
		t.Fatal(errs)
	}
	_, out, _ = runCmd(t, "audit", "--db", db, "--patient", "p1")
	if !strings.Contains(out, "2 entries.") {
		t.Errorf("audit --patient p1 after the same import again: %s", out)
	}
	if code, _, errs := runCmd(t, "audit", "--db", db, "--since", "March"); code != 2 || !strings.Contains(errs, `--since "March" is not a date`) {
		t.Errorf("bad --since: exit %d, %s", code, errs)
	}
}
