package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportBundleReimported imports a demonstration patient's "report
// --fhir" Bundle again: into a store holding only the patient, and into
// the store of the record it was made from. Its eGFRs were computed by
// RenalWatch (urn:renalwatch:egfr-equation); the report never calls them
// laboratory-reported, lists them under "Not used" in one line with that
// reason (and with --json one entry each), and
// with the record computes the same eGFR as before. The old reader took
// them for laboratory eGFRs ("reported by the laboratory: LOINC 98979-8").
func TestReportBundleReimported(t *testing.T) {
	demoNow(t)
	const id = "ln-class-iv-g4"
	dir := t.TempDir()
	full, bundle := demoReportBundle(t, dir, id)
	report := func(db string, args ...string) string {
		t.Helper()
		code, out, errs := runCmd(t, append([]string{"report", id, "--db", db, "--as-of", demoAsOf}, args...)...)
		if code != 0 {
			t.Fatalf("report %v: exit %d: %s", args, code, errs)
		}
		return out
	}
	before := report(full, "--json")

	// The patient alone (its Patient resource), then the report Bundle.
	var src struct {
		ResourceType string            `json:"resourceType"`
		Type         string            `json:"type"`
		Entry        []json.RawMessage `json:"entry"`
	}
	raw, err := os.ReadFile("../../demo/data/" + id + ".json")
	if err != nil || json.Unmarshal(raw, &src) != nil {
		t.Fatalf("demo data: %v", err)
	}
	var keep []json.RawMessage
	for _, e := range src.Entry {
		if strings.Contains(string(e), `"resourceType": "Patient"`) || strings.Contains(string(e), `"resourceType":"Patient"`) {
			keep = append(keep, e)
		}
	}
	if len(keep) != 1 {
		t.Fatalf("%d Patient entries in the demo data", len(keep))
	}
	src.Entry = keep
	pat, _ := json.Marshal(src)
	patFile := filepath.Join(dir, "patient.json")
	writeFile(t, patFile, string(pat))
	alone := filepath.Join(dir, "alone.db")
	code, sum, errs := runCmd(t, "import", "--db", alone, patFile, bundle)
	if code != 0 {
		t.Fatalf("import: %s", errs)
	}
	if !strings.Contains(sum, "eGFR computed by RenalWatch in an earlier report") {
		t.Errorf("the import summary does not say the Bundle's eGFRs were computed by RenalWatch:\n%s", sum)
	}
	text := report(alone)
	if strings.Contains(text, "reported by the laboratory") || strings.Contains(text, "laboratory-reported, ") {
		t.Errorf("a RenalWatch eGFR read back is shown as a laboratory eGFR:\n%s", text)
	}
	for _, want := range []string{
		"  eGFR      none\n",
		"\nNot used\n  20 eGFRs computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, 2020-05-28 to 2026-09-17: not laboratory results: not used; the creatinine they were computed from is not in the record (import the laboratory's creatinine to have those dates assessed): 84 mL/min/1.73 m² on 2020-05-28, 95 on 2020-09-10, ",
		", 29 on 2026-07-16, 27 on 2026-09-17\n\n",
		"eGFRs computed by RenalWatch in an earlier report (latest 27 mL/min/1.73 m² on 2026-09-17, listed under Not used)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report of the patient and its Bundle lacks %q:\n%s", want, text)
		}
	}
	var got struct {
		Kidney struct {
			EGFR json.RawMessage `json:"egfr"`
		} `json:"kidney"`
		NotUsed []struct {
			What     string `json:"what"`
			Origin   string `json:"origin"`
			Equation string `json:"equation"`
			Reason   string `json:"reason"`
		} `json:"not_used"`
	}
	if err := json.Unmarshal([]byte(report(alone, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	if string(got.Kidney.EGFR) != "null" || len(got.NotUsed) != 20 {
		t.Fatalf("kidney.egfr %s, %d not_used: want null and the Bundle's 20 eGFRs, one entry each", got.Kidney.EGFR, len(got.NotUsed))
	}
	for _, n := range got.NotUsed {
		if n.What != "egfr" || n.Origin != "renalwatch-report" || n.Equation != "ckd-epi-2021" {
			t.Errorf("not_used %+v: want egfr, origin renalwatch-report, equation ckd-epi-2021", n)
		}
	}

	// With the record: the same eGFR as before the Bundle came back, and
	// each eGFR of the Bundle under Not used beside its creatinine.
	if code, _, errs := runCmd(t, "import", "--db", full, bundle); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	after := report(full, "--json")
	var b, a struct {
		Kidney json.RawMessage `json:"kidney"`
		Alerts json.RawMessage `json:"alerts"`
	}
	if json.Unmarshal([]byte(before), &b) != nil || json.Unmarshal([]byte(after), &a) != nil {
		t.Fatal("report --json")
	}
	if string(a.Kidney) != string(b.Kidney) || string(a.Alerts) != string(b.Alerts) {
		t.Errorf("the record's assessment changed when its own report Bundle was imported:\nbefore %s\nafter  %s", b.Kidney, a.Kidney)
	}
	// The CSV export leaves them out: a row would read back as a
	// laboratory eGFR.
	if csv := report(full, "--format", "csv"); strings.Contains(csv, ",egfr,") || !strings.Contains(csv, ",creatinine,") {
		t.Errorf("CSV export with RenalWatch's eGFRs in the store:\n%s", csv)
	}
	// One line for the 20, not one each (which buried the other Not used
	// lines).
	if text := report(full); !strings.Contains(text, "\nNot used\n  20 eGFRs computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, 2020-05-28 to 2026-09-17: not laboratory results: not used; each date's eGFR is computed afresh from its creatinine in the record\n\n") {
		t.Errorf("with the record, Not used does not say in one line that each eGFR is computed afresh:\n%s", text)
	}
}

// demoReportBundle imports demonstration patient id into dir/full.db and
// writes its 'report --fhir' Bundle (as of demoAsOf) to
// dir/report.fhir.json, returning both paths.
func demoReportBundle(t *testing.T, dir, id string) (full, bundle string) {
	t.Helper()
	full = filepath.Join(dir, "full.db")
	if code, _, errs := runCmd(t, "import", "--db", full, "../../demo/data/"+id+".json"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	code, out, errs := runCmd(t, "report", id, "--db", full, "--as-of", demoAsOf, "--fhir")
	if code != 0 {
		t.Fatalf("report --fhir: %s", errs)
	}
	bundle = filepath.Join(dir, "report.fhir.json")
	writeFile(t, bundle, out)
	return full, bundle
}
