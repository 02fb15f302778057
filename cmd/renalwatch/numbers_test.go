package main

import (
	"strings"
	"testing"
)

// Regression (issue 8 item 8): 1e-400 was read as 0 ("creatinine 0 mg/dL
// is implausible") and 1e400 as infinity; both are "number out of range"
// with the flag that held them.
func TestCLINumbersOutOfRange(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"egfr", "--creatinine", "1e-400mg/dL", "--age", "50", "--sex", "female"}, `flag --creatinine: "1e-400mg/dL" has a number out of range`},
		{[]string{"egfr", "--creatinine", "1e400mg/dL", "--age", "50", "--sex", "female"}, `flag --creatinine: "1e400mg/dL" has a number out of range`},
		{[]string{"egfr", "--creatinine", "1mg/dL", "--age", "1e-400", "--sex", "female"}, `flag --age: number out of range: "1e-400"`},
		{[]string{"convert", "1e-400mg/dL", "--to", "umol/L"}, `"1e-400mg/dL" has a number out of range`},
	} {
		code, out, errs := runCmd(t, c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) || strings.Contains(errs, "implausible") {
			t.Errorf("%q: exit %d, stderr %q; want %q", c.args, code, errs, c.want)
		}
	}
}
