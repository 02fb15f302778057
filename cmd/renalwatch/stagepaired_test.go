package main

import (
	"strings"
	"testing"
)

// Under --units the stage command never shows a ratio converted into
// another KDIGO A category than its own (trial 4 #4): KDIGO 2012 Tables
// 6-7 pair 30 mg/g with 3 mg/mmol and 150 mg/g (UPCR) with 15 mg/mmol;
// they are not conversions, so 29 mg/g (A1) is 3.3 mg/mmol (A2 by the
// mg/mmol thresholds). A conversion that keeps the category is shown.
func TestStageRatioKeepsCategoryUnderUnits(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		want, deny string
	}{
		{[]string{"--acr", "29mg/g", "--units", "si"}, "A1 (ACR 29 mg/g; not shown as 3.3 mg/mmol, another category by KDIGO's mg/mmol thresholds)", "A1 (ACR 3.3"},
		{[]string{"--pcr", "0.48g/g", "--units", "si"}, "A2 (from PCR 0.48 g/g; not shown as 54.3 mg/mmol", "PCR 54.3 mg/mmol;"},
		{[]string{"--acr", "3.2mg/mmol", "--units", "conventional"}, "A2 (ACR 3.2 mg/mmol; not shown as 28 mg/g", "ACR 28 mg/g;"},
		{[]string{"--acr", "40mg/g", "--units", "si"}, "A2 (ACR 4.5 mg/mmol; 40 mg/g as given)", "not shown"},
	} {
		code, out, errs := runCmd(t, append([]string{"stage", "--egfr", "50"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errs)
		}
		if !strings.Contains(out, tc.want) || strings.Contains(out, tc.deny) {
			t.Errorf("%v: output\n%s\nwant %q and not %q", tc.args, out, tc.want, tc.deny)
		}
	}
}
