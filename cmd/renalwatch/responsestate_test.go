package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Issue 7 item 4, end to end: the hand-worked patient of
// assess.TestResponseReachedSurvivesFlare as a FHIR bundle (hand-written,
// invented): class IV LN, mycophenolate from 2020-01-15, UPCR 2.0 g/g before
// it, 0.3 g/g at 9 months (KDIGO 2024 complete response), 1.2 g/g at 15
// months (KDIGO 2012 Table 29 moderate proteinuric flare). The report says
// complete, first reached 2020-10-15, now flare since 2021-04-15, and raises
// no no-response-6m alert.
func TestReportResponseAfterFlare(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/responsestate/flare-after-complete.json"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	code, out, errs := runCmd(t, "report", "hw-flare", "--db", db, "--as-of", "2021-05-01")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Response  complete (kdigo-2024) at 12.0 months (UPCR of 2021-01-15), after induction on 2020-01-15",
		"best: complete, first reached 2020-10-15 (UPCR 0.30 g/g, month 9.0); now: flare since 2021-04-15",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// The text report shows alert messages, not codes: the no-response-6m
	// message begins "no renal response".
	if strings.Contains(out, "no renal response") {
		t.Errorf("no-response-6m raised after a complete response:\n%s", out)
	}
}
