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
	if err != nil || len(tl.Observations) != 0 {
		t.Errorf("after the strict import: %v, %d observations of s1; want the patient and none of the labs file", err, len(tl.Observations))
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
