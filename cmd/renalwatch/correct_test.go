package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A creatinine corrected by its source (the same id re-sent with status
// corrected and a new value): the import stores it as "corrected 1" (it
// was rejected as a conflict, and the report kept the old 3.5 mg/dL with
// no mark); the report uses the corrected 1.0 and lists the 3.5 under "Not
// used", naming the correction; the same correction again is unchanged; a
// final re-send with other content is still rejected; and a cohort read
// from files with both versions uses the correction.
func TestImportCorrectionReport(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/retract/first.json"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	code, out, errs := runCmd(t, "import", "--db", db, "testdata/correct/correction.ndjson")
	if code != 0 {
		t.Fatalf("import of the correction exit %d: %s\n%s", code, errs, out)
	}
	for _, want := range []string{"read 1, imported 0, unchanged 0, duplicates 0, corrected 1, rejected 0", "Corrected by the source (1):"} {
		if !strings.Contains(out, want) {
			t.Errorf("import summary lacks %q:\n%s", want, out)
		}
	}
	_, sum := importJSON(t, db, "testdata/correct/correction.ndjson")
	if sum.Totals.Corrected != 0 || sum.Totals.Unchanged != 1 || sum.Totals.Rejected != 0 {
		t.Errorf("the same correction again: %+v; want 1 unchanged", sum.Totals)
	}
	code, out, errs = runCmd(t, "report", "c1", "--db", db, "--as-of", "2025-12-01")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Creatinine  1.00    mg/dL           2025-11-03",
		"Not used\n",
		"Creatinine 3.50 mg/dL on 2025-11-03 (Observation/cr2): replaced by a correction from the source (1.00 mg/dL, status corrected): kept in the store, not used in this assessment",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd(t, "report", "c1", "--db", db, "--as-of", "2025-12-01", "--json")
	if code != 0 || !strings.Contains(out, `"corrected_by": {`) || !strings.Contains(out, `"status": "corrected"`) ||
		!strings.Contains(out, "corrected by the source (status corrected)") {
		t.Errorf("report --json exit %d lacks the correction:\n%s", code, out)
	}
	code, out, _ = runCmd(t, "report", "c1", "--db", db, "--as-of", "2025-12-01", "--format", "csv")
	if code != 0 || strings.Contains(out, "3.5") {
		t.Errorf("report --format csv (exit %d) holds the replaced 3.5:\n%s", code, out)
	}
	code, out, errs = runCmd(t, "import", "--db", db, "testdata/correct/final-resend.ndjson")
	if code != 2 || !strings.Contains(out, "duplicate id with different content") || !strings.Contains(out, "status amended or corrected") {
		t.Errorf("a final re-send with other content: exit %d, %s %s; want it rejected as a conflict", code, out, errs)
	}

	// The cohort of files: both versions in one export.
	dir := t.TempDir()
	first, err := os.ReadFile("testdata/retract/first.json")
	if err != nil {
		t.Fatal(err)
	}
	fix, err := os.ReadFile("testdata/correct/correction.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(first, &bundle); err != nil {
		t.Fatal(err)
	}
	var nd bytes.Buffer // the cohort reads NDJSON (Bulk Data)
	for _, e := range bundle.Entry {
		if err := json.Compact(&nd, e.Resource); err != nil {
			t.Fatal(err)
		}
		nd.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "first.ndjson"), nd.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Observation.ndjson"), fix, 0o644); err != nil {
		t.Fatal(err)
	}
	rows := filepath.Join(t.TempDir(), "rows.ndjson")
	if code, _, errs := runCmd(t, "cohort", filepath.Join(dir, "first.ndjson"), filepath.Join(dir, "Observation.ndjson"), "--out", rows, "--as-of", "2025-12-01"); code != 0 {
		t.Fatalf("cohort exit %d: %s", code, errs)
	}
	got, err := os.ReadFile(rows)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"corrected_by":{`) || strings.Contains(string(got), `"creatinine":{"value":3.5`) {
		t.Errorf("cohort row does not use the correction:\n%s", got)
	}
}

// The import summary names each correction: the id, the patient, the
// value stored before and the value sent, each in the unit the source
// reported it in (tester's finding: it said "Corrected by the source: 1
// value" and named none); --json lists them under "corrections"; and a
// final re-send with other content names the stored value and the one
// sent.
func TestImportCorrectionSummaryNamesValues(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/retract/first.json"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	// The same creatinine corrected to 88 µmol/L (1.00 mg/dL).
	fix := filepath.Join(t.TempDir(), "fix.ndjson")
	line := `{"resourceType": "Observation", "id": "cr2", "status": "corrected", "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]}, ` +
		`"subject": {"reference": "Patient/c1"}, "effectiveDateTime": "2025-11-03", "valueQuantity": {"value": 88, "unit": "umol/L", "system": "http://unitsofmeasure.org", "code": "umol/L"}}` + "\n"
	if err := os.WriteFile(fix, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	code, sum := importJSON(t, db, fix)
	if code != 0 || len(sum.Corrections) != 1 {
		t.Fatalf("import --json exit %d, corrections %+v; want 1", code, sum.Corrections)
	}
	c := sum.Corrections[0]
	if c.ID != "cr2" || c.PatientID != "c1" || c.Status != "corrected" || c.Line != 1 || c.Analyte != "creatinine" ||
		c.Replaced.Value != 3.5 || c.Replaced.Unit != "mg/dL" || c.Sent.Value != 88 || c.Sent.Unit != "umol/L" ||
		c.Replaced.Time != "2025-11-03T00:00:00Z" || c.Sent.Time != "2025-11-03T00:00:00Z" {
		t.Errorf("correction listed as %+v", c)
	}
	want := "Observation/cr2 (patient c1): creatinine 3.50 mg/dL on 2025-11-03 replaced by 88 µmol/L (status corrected; " + fix + ":1)"
	if c.Text != want {
		t.Errorf("correction text %q, want %q", c.Text, want)
	}

	// The text summary, on a store that has not seen the correction.
	db2 := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db2, "testdata/retract/first.json"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	code, out, errs := runCmd(t, "import", "--db", db2, fix)
	if code != 0 || !strings.Contains(out, "Corrected by the source (1):\n  "+want+"\n") {
		t.Errorf("import summary (exit %d, %s) does not list the correction %q:\n%s", code, errs, want, out)
	}

	// A correction back to the value first stored, while the 88 µmol/L is
	// in force, says so (not "3.50 replaced by 3.50").
	back := filepath.Join(t.TempDir(), "back.ndjson")
	line = strings.Replace(strings.Replace(line, `"value": 88`, `"value": 3.5`, 1), `"umol/L"`, `"mg/dL"`, 2)
	if err := os.WriteFile(back, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCmd(t, "import", "--db", db, back)
	want = "Observation/cr2 (patient c1): creatinine back to the value first stored, 3.50 mg/dL on 2025-11-03, in place of the correction in force (status corrected; " +
		back + ":1)"
	if code != 0 || !strings.Contains(out, "Corrected by the source (1):\n  "+want+"\n") {
		t.Errorf("a correction back to the stored value (exit %d, %s): want %q:\n%s", code, errs, want, out)
	}

	code, out, _ = runCmd(t, "import", "--db", db, "testdata/correct/final-resend.ndjson")
	if code != 2 || !strings.Contains(out, "stored with other content (creatinine 3.50 mg/dL on 2025-11-03; this file sends 2.00 mg/dL)") {
		t.Errorf("a final re-send with other content: exit %d; want the stored and sent values named:\n%s", code, out)
	}
}
