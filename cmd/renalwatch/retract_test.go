package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A lupus nephritis and a creatinine re-sent as entered in error (trial 3
// #2): the import lists them under "Retracted by the source", not among
// skipped resources, and the report stops using them and lists them under
// "Not used" with value, date and id. Before, the retraction was skipped
// and the stored creatinine of 3.5 mg/dL kept staging the patient G3b-G4
// with the lupus rules on.
func TestImportRetractionReport(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/retract/first.json"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	code, out, errs := runCmd(t, "import", "--db", db, "testdata/retract/retraction.json")
	if code != 0 {
		t.Fatalf("import of the retraction exit %d: %s", code, errs)
	}
	for _, want := range []string{
		// Counted as retracted (it read "unchanged 0" and no count in the
		// text; a retraction is not an unchanged item).
		"read 2, imported 0, unchanged 0, duplicates 0, retracted 2, rejected 0",
		"Retracted by the source (2):",
		"Condition/ln (patient c1; as sent: 68815009, Lupus nephritis, 2025-01-01): verificationStatus entered-in-error",
		"Observation/cr2 (patient c1; as sent: 2160-0, 3.5 mg/dL, 2025-11-03): status entered-in-error",
		"no longer used by reports",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import summary lacks %q:\n%s", want, out)
		}
	}
	_, sum := importJSON(t, db, "testdata/retract/retraction.json")
	if sum.Totals.Retractions != 0 || sum.Totals.Unchanged != 2 {
		t.Errorf("the same retractions again: %+v; want 2 unchanged (already stored)", sum.Totals)
	}
	if len(sum.Retracted) != 2 || sum.Retracted[1].Status != "entered-in-error" || sum.Retracted[1].Element != "status" {
		t.Errorf("--json retracted = %+v; want status \"entered-in-error\" (not \"status entered-in-error\"), element \"status\"", sum.Retracted)
	}
	if strings.Contains(out, "Skipped by rule") {
		t.Errorf("the retractions are filed among skipped resources:\n%s", out)
	}
	code, out, errs = runCmd(t, "report", "c1", "--db", db, "--as-of", "2025-12-01")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"eGFR      85 mL/min/1.73 m² on 2025-10-03",
		"Not used\n",
		"Diagnosis lupus nephritis on 2025-01-01 (Condition/ln): retracted by the source (verificationStatus entered-in-error): kept in the store, not used in this assessment",
		"Creatinine 3.50 mg/dL on 2025-11-03 (Observation/cr2): retracted by the source (status entered-in-error)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\nLupus\n") || strings.Contains(out, "UPCR in the record") {
		t.Errorf("the report still applies the lupus rules of the retracted diagnosis:\n%s", out)
	}
	code, out, _ = runCmd(t, "report", "c1", "--db", db, "--as-of", "2025-12-01", "--json")
	if code != 0 || !strings.Contains(out, `"not_used": [`) || !strings.Contains(out, `"id": "Observation/cr2"`) {
		t.Errorf("report --json exit %d lacks not_used:\n%s", code, out)
	}
}
