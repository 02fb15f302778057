package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Sex other with an ACR of 40 mg/g (trial 3 #14): no eGFR (the equations
// are sex-specific, and the eGFR line says so), but the A category, which
// does not depend on sex (KDIGO 2012 Table 6, kept in KDIGO 2024), is
// shown on a Stage line that says G is unknown. Before, the report had no
// Stage line and no A2.
func TestSexOtherShowsACategory(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/sexother/patients.csv", "testdata/sexother/labs.csv"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	code, out, errs := runCmd(t, "report", "so", "--db", db, "--as-of", "2025-11-01")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"eGFR      none (sex other: the eGFR equations are sex-specific)",
		"Stage     KDIGO G? A2 (ACR 40 mg/g on 2025-10-01), G unknown without an eGFR, risk unknown without a G category",
		// what has persisted needs no G category (A2 on one ratio)
		"Persists  A2 on a single value (repeat to confirm)",
		// trial 4 #9: not "Sex: sex other:"
		"Sex: recorded as other: the eGFR equations, the KFRE and the anaemia thresholds are sex-specific",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
