package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// Trial 3 #4: the renal response of a child is judged by the rule's adult
// UPCR thresholds, and says so. The same record (class IV LN, mycophenolate,
// UPCR 1.5 -> 0.38 g/g at 9 months, creatinine 0.5 mg/dL with height
// measured) for a girl born 2009 (11 at the UPCR) and for a woman born
// 1990: KDIGO 2024 LN defines complete response in children as proteinuria
// < 2 mg/kg/day or < 300 mg/m²/day on a 24-h urine (lupus.md §2.2), so the
// child's result carries the warning and the adult's does not.
func TestChildResponseSaysAdultThresholds(t *testing.T) {
	for _, tc := range []struct {
		birth string
		child bool
	}{{"2009-06-01", true}, {"1990-06-01", false}} {
		b := newPatient(t, "child-thresholds", tc.birth, record.Female).cond(record.LupusNephritis, "2019-12-01", "IV")
		b.series(units.Height, units.Cm, "2019-12-01", 145.0, "2020-09-01", 148.0)
		for _, d := range []string{"2019-12-20", "2020-03-15", "2020-06-15", "2020-10-10"} {
			b.obs(units.Creatinine, d, 0.5, units.MgPerDL)
		}
		b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
		b.series(units.PCR, units.GPerG, "2020-01-10", 1.5, "2020-10-15", 0.38)
		a := assess.Assess(b.timeline(), day("2020-11-01"), assess.DefaultConfig())
		r := a.Lupus.Response
		if r == nil || r.Response == nil || *r.Response != lupus.ResponseComplete {
			t.Fatalf("born %s: response %+v; missing %+v", tc.birth, r, a.Missing)
		}
		warned := false
		for _, w := range r.Warnings {
			warned = warned || strings.HasPrefix(w, lupus.ChildThresholdsWarning) && strings.Contains(w, "< 2 mg/kg/day or < 300 mg/m²/day")
		}
		labelled := strings.HasSuffix(r.Criteria[0].Name, "(adult threshold)")
		if warned != tc.child || labelled != tc.child {
			t.Errorf("born %s: child warning %v, adult label %v (criterion %q), want %v; warnings %q", tc.birth, warned, labelled, r.Criteria[0].Name, tc.child, r.Warnings)
		}
	}
}
