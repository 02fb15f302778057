package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRejectedInLineOrder (regression): the store rejects an unknown
// patient only at commit, after the file's other rejections; the text
// summary still lists the file's rejections by line (line 2, the ghost
// patient, before line 3, the implausible value).
func TestImportRejectedInLineOrder(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	csv := filepath.Join(dir, "labs.csv")
	body := "patient_id,time,analyte,value,unit\nghost,2024-01-01,creatinine,1.2,mg/dL\np1,2024-01-01,creatinine,106,mg/dL\n"
	if err := os.WriteFile(csv, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	pats := filepath.Join(dir, "patients.csv")
	if err := os.WriteFile(pats, []byte("patient_id,sex,birth_date\np1,female,1980-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, errOut := runCmd(t, "import", "--db", filepath.Join(dir, "rw.db"), pats, csv)
	i2, i3 := strings.Index(out, "labs.csv:2:"), strings.Index(out, "labs.csv:3:")
	if i2 < 0 || i3 < 0 || i2 > i3 {
		t.Errorf("want labs.csv:2 listed before labs.csv:3:\n%s%s", out, errOut)
	}
}

func TestSortRejected(t *testing.T) {
	got := sortRejected([]rejectedItem{{File: "b", Line: 9}, {File: "b", Line: 3}, {File: "a", Line: 8}, {File: "b", Line: 8}, {File: "a", Line: 2}})
	want := []rejectedItem{{File: "b", Line: 3}, {File: "b", Line: 8}, {File: "b", Line: 9}, {File: "a", Line: 2}, {File: "a", Line: 8}}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v (files in the order read, then lines)", got, want)
		}
	}
}
