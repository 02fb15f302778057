package main

import (
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/internal/golden"
)

// TestReportLNEvaluation: a woman with SLE and no lupus nephritis
// diagnosis or biopsy, UPCR 620 then 840 mg/g (at or above KDIGO's 500
// mg/g twice) and 12 RBC/hpf: the ln-evaluation alert (KDIGO 2024 LN
// practice point 10.1.1) in the text report (conventional and SI units),
// in --json, and in the patient list's alert filter.
func TestReportLNEvaluation(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/report/ln-evaluation.ndjson"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	for _, tc := range []struct{ name string }{{""}, {"si"}} {
		args := []string{"report", "sle-proteinuria", "--db", db, "--as-of", "2025-11-01"}
		file := "report/ln-evaluation.txt"
		if tc.name != "" {
			args = append(args, "--units", tc.name)
			file = "report/ln-evaluation." + tc.name + ".txt"
		}
		code, out, errs := runCmd(t, args...)
		if code != 0 {
			t.Fatalf("report exit %d: %s", code, errs)
		}
		golden.Assert(t, file, []byte(out))
	}
	code, out, errs := runCmd(t, "report", "sle-proteinuria", "--db", db, "--as-of", "2025-11-01", "--json")
	if code != 0 || !strings.Contains(out, `"code": "ln-evaluation"`) || !strings.Contains(out, "practice point 10.1.1") {
		t.Errorf("--json exit %d (%s): no ln-evaluation alert in\n%s", code, errs, out)
	}
	code, out, errs = runCmd(t, "patients", "--db", db, "--as-of", "2025-11-01", "--filter", "alert=ln-evaluation", "--format", "csv")
	if code != 0 || !strings.Contains(out, "sle-proteinuria") {
		t.Errorf("patients --filter alert=ln-evaluation exit %d (%s):\n%s", code, errs, out)
	}
}
