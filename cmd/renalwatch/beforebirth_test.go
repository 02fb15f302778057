package main

import (
	"strings"
	"testing"
)

// An as-of before the birth date is refused by report (exit 2, naming both
// dates) and listed by patients as "not born by as-of", with nothing
// computed. ln-class-iv-g4 is born 1992-04-18 in the demo.
func TestAsOfBeforeBirth(t *testing.T) {
	demoNow(t)
	db := demoDB(t)
	code, out, errs := runCmd(t, "report", "ln-class-iv-g4", "--db", db, "--as-of", "1900-01-01")
	if code != 2 || out != "" || !strings.Contains(errs, "--as-of 1900-01-01 is before the birth date") || !strings.Contains(errs, "(1992-04-18)") {
		t.Errorf("report before birth: exit %d, out %q, err %q", code, out, errs)
	}
	// The birth date itself is assessed.
	if code, _, errs := runCmd(t, "report", "ln-class-iv-g4", "--db", db, "--as-of", "1992-04-18"); code != 0 {
		t.Errorf("report on the birth date: exit %d: %s", code, errs)
	}
	code, out, errs = runCmd(t, "patients", "--db", db, "--as-of", "1992-04-17")
	if code != 0 {
		t.Fatalf("patients: exit %d: %s", code, errs)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "ln-class-iv-g4 ") && !strings.Contains(line, "1992-04-18 (not born by as-of)") {
			t.Errorf("patients row %q does not say not born", line)
		}
		if strings.HasPrefix(line, "dialysis ") && strings.Contains(line, "not born") {
			t.Errorf("patients row %q: born 1975", line)
		}
	}
	if !strings.Contains(out, "ln-class-iv-g4 ") {
		t.Errorf("patients output lacks the patient:\n%s", out)
	}
}
