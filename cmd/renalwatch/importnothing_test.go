package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Trial #14: an import that stores nothing says so plainly and exits 2
// (bad input): every row rejected read "2 rejected (listed above);
// everything else was imported", and an empty file or a CSV with a header
// only exited 0 with a summary of zeros.
func TestImportNothingImported(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, text)
		return p
	}
	obsHeader := "patient_id,time,analyte,value,unit\n"
	for _, tc := range []struct {
		name, text, want string
		args             []string
	}{
		{"rejected.csv", obsHeader + "q1,2025-01-10,creatinine,abc,mg/dL\nq1,2025-01-10,creatinine,1.0,furlongs\n",
			"import: nothing was imported: all 2 rows or resources were rejected (listed above)", nil},
		{"one.csv", obsHeader + "q1,2025-01-10,creatinine,abc,mg/dL\n",
			"import: nothing was imported: the row or resource was rejected (listed above)", nil},
		{"strict.csv", obsHeader + "q1,2025-01-10,creatinine,abc,mg/dL\n",
			"import: nothing was imported: 1 rejected; files with a rejection are not imported (--strict)", []string{"--strict"}},
		{"empty.ndjson", "", "import: nothing was imported: no resource or row was read", nil},
		{"header.csv", obsHeader, "import: nothing was imported: no resource or row was read", nil},
		{"other.ndjson", `{"resourceType":"Basic","id":"b1","code":{"text":"x"}}` + "\n",
			"import: nothing was imported: the resource is not read by RenalWatch (listed above)", nil},
		{"preliminary.ndjson", `{"resourceType":"Observation","id":"o1","status":"preliminary","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},` +
			`"subject":{"reference":"Patient/q"},"effectiveDateTime":"2025-01-01","valueQuantity":{"value":1,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}` + "\n",
			"import: nothing was imported: what was read was skipped by rule or is not used (listed above)", nil},
	} {
		db := filepath.Join(dir, tc.name+".db")
		code, out, errs := runCmd(t, append([]string{"import", file(tc.name, tc.text), "--db", db}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Contains(errs, "everything else was imported") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tc.name, code, errs, tc.want)
		}
		if !strings.Contains(out, "\nNothing was imported.\n") {
			t.Errorf("%s: the summary does not say that nothing was imported:\n%s", tc.name, out)
		}
	}
	// A file with one good row and one rejected keeps the usual words.
	db := filepath.Join(dir, "mixed.db")
	code, out, errs := runCmd(t, "import", file("p.csv", "patient_id,birth_date,sex\nq1,1970-01-01,female\n"),
		file("mixed.csv", obsHeader+"q1,2025-01-10,creatinine,1.0,mg/dL\nq1,2025-01-10,creatinine,abc,mg/dL\n"), "--db", db)
	if code != 2 || !strings.Contains(errs, "import: 1 rejected (listed above); everything else was imported") || strings.Contains(out, "Nothing was imported") {
		t.Errorf("mixed: exit %d, stderr %q; want 2 and 'everything else was imported'", code, errs)
	}
	// Importing it again stores nothing new but finds it stored.
	code, _, errs = runCmd(t, "import", filepath.Join(dir, "p.csv"), filepath.Join(dir, "mixed.csv"), "--db", db)
	if code != 2 || !strings.Contains(errs, "import: 1 rejected (listed above); everything else was already stored") {
		t.Errorf("again: exit %d, stderr %q; want 'everything else was already stored'", code, errs)
	}
}
