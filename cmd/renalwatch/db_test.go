package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writeCSV writes a patients CSV and an observations CSV with n creatinine
// values for patient id, one a day, and returns their paths.
func writeCSV(t *testing.T, dir, id string, n int) (patients, labs string) {
	t.Helper()
	patients, labs = filepath.Join(dir, id+"-patients.csv"), filepath.Join(dir, id+"-labs.csv")
	if err := os.WriteFile(patients, []byte("patient_id,birth_date,sex\n"+id+",1980-01-01,female\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("patient_id,time,analyte,value,unit\n")
	start := time.Date(1990, 1, 1, 8, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "%s,%s,creatinine,%d,umol/L\n", id, start.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), 60+i%40)
	}
	if err := os.WriteFile(labs, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return patients, labs
}

// Regression (issue 8 item 2): each --db form means that file, or is
// refused with a plain message.
func TestDBFlagForms(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	pat, _ := writeCSV(t, dir, "p1", 0)
	for _, name := range []string{"g.db?mode=memory&x=", "a?b.db", "e%41f.db"} {
		code, out, errs := runCmd(t, "import", "--db", name, pat)
		if code != 0 || !strings.Contains(out, "imported 1") {
			t.Fatalf("import --db %q: exit %d\n%s%s", name, code, out, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("import --db %q did not write that file: %v", name, err)
		}
		code, out, errs = runCmd(t, "patients", "--db", name, "--json")
		if code != 0 || !strings.Contains(out, `"id": "p1"`) {
			t.Errorf("patients --db %q: exit %d\n%s%s", name, code, out, errs)
		}
	}
	for _, name := range []string{"a", "g.db", "eAf.db", ":memory:"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%q was written", name)
		}
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("my notes\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--db", "", pat}, "--db is empty"},
		{[]string{"import", "--db", ":memory:", pat}, "--db :memory: would keep nothing"},
		{[]string{"demo", "--db", ":memory:"}, "--db :memory: would keep nothing"},
		{[]string{"patients", "--db", ""}, "--db is empty"},
		{[]string{"import", "--db", "file:x.db?mode=memory", pat}, "URLs are not accepted"},
		{[]string{"import", "--db", dir, pat}, "--db " + dir + ": is a folder, not a database file"},
		{[]string{"import", "--db", "/x/y.db", pat}, "--db /x/y.db: folder /x does not exist"},
		{[]string{"import", "--db", "notes.txt", pat}, "--db notes.txt: not a SQLite database"},
		{[]string{"report", "p1", "--db", "nothing.db"}, "--db nothing.db: no database there"},
		{[]string{"import", "--wait", "-1s", pat}, "--wait -1s"},
	} {
		code, out, errs := runCmd(t, c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) || strings.Contains(errs, "SQLITE") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 with %q", c.args, code, out, errs, c.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "my notes\n" {
		t.Error("notes.txt changed")
	}
	for _, name := range []string{"x.db", "nothing.db", "renalwatch.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was created", name)
		}
	}
}

// Regression (issue 8 item 3): report and patients refuse another
// application's file without changing it.
func TestReadCommandsRefuseForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE patients (id TEXT); CREATE TABLE visits (id TEXT)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before, _ := os.ReadFile(path)
	for _, args := range [][]string{{"patients", "--db", path}, {"report", "x", "--db", path}, {"import", "--db", path, "testdata/import/patients.csv"}} {
		code, _, errs := runCmd(t, args...)
		if code != 2 || !strings.Contains(errs, "not a RenalWatch store (tables patients, visits); it was left unchanged") {
			t.Errorf("%q: exit %d, %q", args, code, errs)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the foreign file changed")
	}
}

// Regression (issue 8 item 5): the summary of the files an import stored
// is printed even when a later file stops it.
func TestImportSummaryWhenStopped(t *testing.T) {
	dir := t.TempDir()
	pat, _ := writeCSV(t, dir, "p1", 0)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("what,is,this\n1,2,3\n"), 0o600)
	db := filepath.Join(dir, "s.db")
	code, out, errs := runCmd(t, "import", "--db", db, pat, bad)
	if code != 2 || !strings.Contains(out, "p1-patients.csv (csv): read 1, imported 1") ||
		!strings.Contains(errs, "stopped at "+bad+" (the files before it are listed above: 1 done)") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}

// Regression (issue 8 item 5): a writer that cannot get the lock within
// --wait fails with words, not "database is locked (5) (SQLITE_BUSY)".
func TestImportWaitTimeout(t *testing.T) {
	dir := t.TempDir()
	pat, _ := writeCSV(t, dir, "p1", 0)
	db := filepath.Join(dir, "s.db")
	if code, out, errs := runCmd(t, "import", "--db", db, pat); code != 0 {
		t.Fatalf("first import: %s%s", out, errs)
	}
	raw, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	conn, _ := raw.Conn(context.Background())
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	p2, _ := writeCSV(t, dir, "p2", 0)
	start := time.Now()
	code, out, errs := runCmd(t, "import", "--db", db, "--wait", "300ms", p2)
	if code != 1 || out != "" || strings.Contains(errs, "SQLITE") ||
		!strings.Contains(errs, "another program is writing to the store: waited 300ms for its lock, then gave up; nothing more was written (--wait to wait longer)") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("gave up after %s", d)
	}
	conn.ExecContext(context.Background(), `ROLLBACK`)
	conn.Close()
}

// Regression (issue 8 item 5): two imports and reports at once. The
// second writer waits for the first; every row of both is stored, and
// the reports read a consistent store throughout.
func TestTwoImportsAndAReport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	const n = 20000
	if code, out, errs := runCmd(t, append([]string{"import", "--db", db}, "testdata/import/patients.csv")...); code != 0 {
		t.Fatalf("%s%s", out, errs)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for _, id := range []string{"w1", "w2"} {
		p, l := writeCSV(t, dir, id, n)
		wg.Go(func() {
			code, out, stderr := runCmd(t, "import", "--db", db, "--wait", "2m", p, l)
			want := fmt.Sprintf("%s-labs.csv (csv): read %d, imported %d, unchanged 0", id, n, n)
			if code != 0 || !strings.Contains(out, want) {
				errs <- fmt.Sprintf("import %s: exit %d, want %q\n%s%s", id, code, want, out, stderr)
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			if code, out, stderr := runCmd(t, "report", "child-1", "--db", db, "--json"); code != 0 || !strings.Contains(out, `"id": "child-1"`) {
				errs <- fmt.Sprintf("report: exit %d\n%s%s", code, out, stderr)
			}
			if code, _, stderr := runCmd(t, "patients", "--db", db, "--json"); code != 0 {
				errs <- fmt.Sprintf("patients: exit %d\n%s", code, stderr)
			}
		}
	})
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	_, out, _ := runCmd(t, "patients", "--db", db, "--json")
	var list struct {
		Patients []struct {
			ID           string `json:"id"`
			Observations int    `json:"observations"`
		} `json:"patients"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, p := range list.Patients {
		got[p.ID] = p.Observations
	}
	if got["w1"] != n || got["w2"] != n || len(got) != 3 {
		t.Errorf("stored observations by patient: %v; want w1 and w2 with %d each, and child-1", got, n)
	}
}
