package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/store/postgres/pgtest"
)

// auditOf returns the audit rows of patient pid ("" for all) of store db.
func auditOf(t *testing.T, db, pid string) []auditRow {
	t.Helper()
	args := []string{"audit", "--db", db, "--json"}
	if pid != "" {
		args = append(args, "--patient", pid)
	}
	code, out, errs := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("audit: exit %d, %s", code, errs)
	}
	var rows []auditRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// testReadsAudited: 'report' in each format and 'patients' write a row
// naming the OS user through the "cli:" channel, the patient and the
// outcome (the trial found the CLI's reads of a record unaudited while
// the server's were), and the import's rows name the patient.
func testReadsAudited(t *testing.T, db string) {
	pat, labs := writeCSV(t, t.TempDir(), "p1", 2)
	if code, _, errs := runCmd(t, "import", "--db", db, pat, labs); code != 0 {
		t.Fatal(errs)
	}
	before := len(auditOf(t, db, "p1"))
	if before != 2 {
		t.Errorf("import wrote %d rows of p1, want 2 (the patient, the observations)", before)
	}
	for _, args := range [][]string{{}, {"--json"}, {"--fhir"}, {"--format", "csv"}} {
		if code, _, errs := runCmd(t, append([]string{"report", "p1", "--db", db}, args...)...); code != 0 {
			t.Fatalf("report %v: exit %d, %s", args, code, errs)
		}
	}
	if code, _, _ := runCmd(t, "report", "nobody", "--db", db); code != 2 {
		t.Errorf("report of an unknown patient: exit %d, want 2", code)
	}
	if code, _, errs := runCmd(t, "patients", "--db", db); code != 0 {
		t.Fatalf("patients: exit %d, %s", code, errs)
	}
	rows := auditOf(t, db, "p1")[before:]
	want := []string{"read report", "read report --json", "read report --fhir", "read report --format csv"}
	if len(rows) != len(want) {
		t.Fatalf("rows of p1 after 4 reports: %+v", rows)
	}
	who := cliUser()
	for i, r := range rows {
		if r.Action != want[i] || r.PatientID != "p1" || r.Outcome != "ok" || r.Who != who || !strings.HasPrefix(who, "cli") {
			t.Errorf("row %d: %+v; want %q of p1 by %s, ok", i, r, want[i], who)
		}
	}
	if rows := auditOf(t, db, "nobody"); len(rows) != 1 || rows[0].Outcome != "not found" {
		t.Errorf("rows of the unknown patient: %+v; want one, not found", rows)
	}
	all := auditOf(t, db, "")
	if last := all[len(all)-1]; last.Action != "list patients" || last.PatientID != "" || last.Who != who {
		t.Errorf("the last row after 'patients': %+v", last)
	}
}

func TestReadsAuditedSQLite(t *testing.T) {
	testReadsAudited(t, filepath.Join(t.TempDir(), "r.db"))
}

func TestReadsAuditedPostgres(t *testing.T) {
	testReadsAudited(t, pgtest.NewDatabase(t))
}

// A store the user cannot write is not read: the read could not be
// audited (README, "The audit trail").
func TestReportReadOnlyStoreRefused(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes a read-only file")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "ro.db")
	pat, _ := writeCSV(t, dir, "p1", 0)
	if code, _, errs := runCmd(t, "import", "--db", db, pat); code != 0 {
		t.Fatal(errs)
	}
	if err := os.Chmod(db, 0o400); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"report", "p1"}, {"patients"}} {
		code, out, errs := runCmd(t, append(cmd, "--db", db)...)
		// Trial 9 F-a: no advice to read a copy, whose audit row would
		// land in the copy, not in the store's trail.
		if code != 1 || out != "" || !strings.Contains(errs, "the file is read-only for you, and this command writes every read") ||
			!strings.Contains(errs, "a read that cannot be audited is not granted") || !strings.Contains(errs, "ask the store's owner for write access") ||
			strings.Contains(errs, "copy") {
			t.Errorf("%s of a read-only store: exit %d, stdout %q, stderr %q", cmd[0], code, out, errs)
		}
	}
}

// A store whose folder the user cannot write is not read either, for the
// same reason, said (the audit row), with exit 1 as for a read-only file:
// the input is right, the permissions are not (trial 9 F-b: exit 2 and no
// word of the audit).
func TestReportReadOnlyFolderRefused(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes a read-only folder")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "s.db")
	pat, _ := writeCSV(t, dir, "p1", 0)
	if code, _, errs := runCmd(t, "import", "--db", db, pat); code != 0 {
		t.Fatal(errs)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	for _, cmd := range [][]string{{"report", "p1"}, {"patients"}} {
		code, out, errs := runCmd(t, append(cmd, "--db", db)...)
		if code != 1 || out != "" || !strings.Contains(errs, "its folder "+dir+" is not writable for you, and writing the audit row needs the -wal and -shm files") ||
			!strings.Contains(errs, "a read that cannot be audited is not granted") {
			t.Errorf("%s of a store in a read-only folder: exit %d, stdout %q, stderr %q", cmd[0], code, out, errs)
		}
	}
}
