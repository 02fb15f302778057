package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renalwatch/store/sqlite"
)

// A file larger than one chunk is one transaction: counted whole, every
// rejection listed by --json (from the spool) with its line, the text
// summary listing the first maxListed, and --strict rolling the whole file
// back for a rejection in its last chunk (issue 8 item 4).
func TestImportStreamsLargeFile(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	n := 2*importChunk + 100
	var labs strings.Builder
	labs.WriteString("patient_id,time,analyte,value,unit,id\n")
	bad := map[int]bool{}
	for i := range n {
		unit := "mg/dL"
		if i%1000 == 999 || i == n-1 { // rejected: one in every 1,000, and the last row
			unit, bad[i+2] = "mg/furlong", true
		}
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
		fmt.Fprintf(&labs, "s1,%s,creatinine,1.%d,%s,o%d\n", at.Format(time.RFC3339), i%10, unit, i)
	}
	patients := filepath.Join(dir, "patients.csv")
	os.WriteFile(patients, []byte("patient_id,birth_date,sex\ns1,1970-01-01,female\n"), 0o600)
	file := filepath.Join(dir, "labs.csv")
	os.WriteFile(file, []byte(labs.String()), 0o600)

	db := filepath.Join(dir, "strict.db")
	code, _, errs := runCmd(t, "import", "--strict", "--db", db, patients, file)
	if code != 2 || !strings.Contains(errs, "not imported (--strict)") {
		t.Errorf("strict import: exit %d, %q", code, errs)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	tl, err := st.Timeline(context.Background(), "s1")
	st.Close()
	if err != nil || len(tl.Observations()) != 0 {
		t.Errorf("after the strict import: %v, %d observations of s1; want the patient and none of the labs file", err, len(tl.Observations()))
	}
	code, s := importJSON(t, filepath.Join(dir, "strict2.db"), "--strict", patients, file)
	if code != 2 || len(s.Files) != 2 || !s.Files[1].NotImported || s.Files[1].Imported != 0 || s.Files[1].Rejected != len(bad) {
		t.Errorf("strict --json: exit %d, %+v; want the labs file not imported with %d rejections", code, s.Files, len(bad))
	}

	code, s = importJSON(t, filepath.Join(dir, "rw.db"), patients, file)
	if code != 2 || s.Totals.Read != n+1 || s.Totals.Imported != n+1-len(bad) || s.Totals.Rejected != len(bad) {
		t.Fatalf("import --json: exit %d, totals %+v; want %d read, %d imported, %d rejected", code, s.Totals, n+1, n+1-len(bad), len(bad))
	}
	if len(s.Rejected) != len(bad) {
		t.Fatalf("--json lists %d rejections, want all %d", len(s.Rejected), len(bad))
	}
	for _, r := range s.Rejected {
		if !bad[r.Line] || !strings.Contains(r.Reason, "mg/furlong") {
			t.Errorf("rejection %+v: not one of the bad rows", r)
		}
	}
	code, out, _ := runCmd(t, "import", "--db", filepath.Join(dir, "text.db"), patients, file)
	if code != 2 || !strings.Contains(out, fmt.Sprintf("Rejected (%d):", len(bad))) ||
		!strings.Contains(out, fmt.Sprintf("… and %d more (--json lists all)", len(bad)-maxListed)) {
		t.Errorf("text summary: exit %d:\n%s", code, out)
	}
}

// Dates at the edges through the CLI (issue 8 item 1, issue 7 item 15): a
// birth date of 1600 or 0001 is rejected with the date; an observation of
// 1677 or a therapy before the patient's birth is rejected naming the
// item, its date and the birth date; the report shows what was stored.
func TestImportDates(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	pats := write("patients.csv", "patient_id,birth_date,sex\nold,1600-01-01,female\nzero,0001-01-01,male\nd1,1950-06-01,female\n")
	labs := write("labs.csv", "patient_id,time,analyte,value,unit,id\nd1,1677-01-01,creatinine,1.0,mg/dL,o1677\n"+
		"d1,2020-01-01T08:00:00.123456789Z,creatinine,1.2,mg/dL,o2020\n")
	ther := write("therapies.csv", "patient_id,therapy,start,end\nd1,glucocorticoid,1949-01-01,\n")
	code, out, _ := runCmd(t, "import", "--db", filepath.Join(dir, "rw.db"), pats, labs, ther)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	for _, want := range []string{
		"patients.csv:2: bad date: birth_date 1600-01-01 is before 1890-01-01",
		"patients.csv:3: bad date: birth_date 0001-01-01 is before 1890-01-01",
		"labs.csv:2: o1677: invalid item: implausible date: observation time 1677-01-01 is before the patient's birth date 1950-06-01",
		"therapies.csv:2: Therapy/",
		"therapy start 1949-01-01 is before the patient's birth date 1950-06-01",
		"Rejected (4):",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "rw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tl, err := st.Timeline(context.Background(), "d1")
	if err != nil || len(tl.Observations()) != 1 || tl.Observations()[0].Time.Nanosecond() != 123456789 || len(tl.Therapies) != 0 {
		t.Errorf("stored for d1: %v %+v; want only o2020, to the nanosecond", err, tl)
	}
}
