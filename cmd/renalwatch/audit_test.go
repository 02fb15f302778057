package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renalwatch/store"
	"renalwatch/store/sqlite"
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

// An import interrupted (Ctrl-C) after some of its files were committed
// still writes its own row, with what was stored and the word
// "interrupted" (trial 9 F-f: the row was written with the cancelled
// context and lost, while the per-patient rows of the files committed
// were kept).
func TestAuditImportInterrupted(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "i.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the user pressed Ctrl-C during the third file
	sum := importSummary{Files: []fileSummary{{auditRows: 3}, {auditRows: 2}}}
	sum.Totals.Read, sum.Totals.Imported = 40, 38
	audit := &store.ImportAudit{Time: time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC), Who: "cli:test"}
	if err := auditImport(ctx, db, &sum, audit, fmt.Errorf("import: %w", context.Canceled)); err != nil {
		t.Fatalf("the import's row after Ctrl-C: %v", err)
	}
	rows, err := db.AuditLog(context.Background(), store.AuditQuery{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("audit trail: %v, %+v; want the import's row", err, rows)
	}
	want := "interrupted: stored before the interruption: 2 files, read 40, imported 38, unchanged 0, duplicates 0, rejected 0, unmapped 0, per-patient rows 5"
	if r := rows[0]; r.Outcome != want || r.Who != "cli:test" || r.Action != "import" {
		t.Errorf("the import's row: %+v; want outcome %q", r, want)
	}
}

// One file is "1 file" in the import's row (trial 9: "ok: 1 files").
func TestAuditOutcomeOneFile(t *testing.T) {
	sum := importSummary{Files: []fileSummary{{auditRows: 1}}}
	sum.Totals.Read, sum.Totals.Imported = 2, 2
	if got, want := sum.AuditOutcome(), "ok: 1 file, read 2, imported 2, unchanged 0, duplicates 0, rejected 0, unmapped 0, per-patient rows 1"; got != want {
		t.Errorf("AuditOutcome = %q; want %q", got, want)
	}
}

// The import's row counts the unmapped resources as the import's total
// does, so that its counts add up to what was read (trial 11 F4: "read 64,
// imported 54, …, rejected 0" without the 20 unmapped).
func TestAuditOutcomeUnmapped(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	bundle := filepath.Join(dir, "b.json")
	writeFile(t, bundle, `{"resourceType":"Bundle","type":"collection","entry":[
{"resource":{"resourceType":"Patient","id":"p1","birthDate":"1980-01-01","gender":"female"}},
{"resource":{"resourceType":"Observation","id":"h1","status":"final","subject":{"reference":"Patient/p1"},
 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},
 "effectiveDateTime":"2020-01-01T08:00:00Z","valueQuantity":{"value":70,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}}]}`)
	code, sum, errs := runCmd(t, "import", "--db", db, bundle)
	if code != 0 || !strings.Contains(sum, "; rejected 0; unmapped 1") {
		t.Fatalf("import: exit %d, %s%s", code, sum, errs)
	}
	_, out, _ := runCmd(t, "audit", "--db", db, "--json")
	var rows []auditRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 {
		t.Fatalf("audit: %v, %s", err, out)
	}
	want := "ok: 1 file, read 2, imported 1, unchanged 0, duplicates 0, rejected 0, unmapped 1, per-patient rows 1"
	if got := rows[len(rows)-1].Outcome; got != want {
		t.Errorf("the import's row: %q; want %q", got, want)
	}
}
