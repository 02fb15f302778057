package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// 'renalwatch import' leaves an audit row; 'audit' lists it, selects by
// patient and date, and refuses a bad date.
func TestAuditCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	pat, _ := writeCSV(t, dir, "p1", 0)
	if code, _, errs := runCmd(t, "import", "--db", db, pat); code != 0 {
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
	if len(rows) != 1 || rows[0].Action != "import" || !strings.HasPrefix(rows[0].Who, "cli:") ||
		!strings.HasPrefix(rows[0].Outcome, "ok: 1 files, read 1, imported 1,") || rows[0].PatientID != "" {
		t.Errorf("audit rows after demo: %+v", rows)
	}
	_, out, _ = runCmd(t, "audit", "--db", db, "--patient", "p1")
	if !strings.Contains(out, "0 entries.") {
		t.Errorf("audit --patient p1: %s", out)
	}
	_, out, _ = runCmd(t, "audit", "--db", db, "--since", "9999-01-01")
	if !strings.Contains(out, "0 entries.") {
		t.Errorf("audit --since 9999-01-01: %s", out)
	}
	_, out, _ = runCmd(t, "audit", "--db", db)
	if !strings.Contains(out, "TIME (UTC)") || !strings.Contains(out, "  cli:") || !strings.Contains(out, "1 entry.") {
		t.Errorf("audit: %s", out)
	}
	if code, _, errs := runCmd(t, "audit", "--db", db, "--since", "March"); code != 2 || !strings.Contains(errs, `--since "March" is not a date`) {
		t.Errorf("bad --since: exit %d, %s", code, errs)
	}
}
