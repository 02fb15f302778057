package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// Trial 3 #6: a UPCR that rose is said to have risen. KDIGO 2024 LN
// (Kidney Int 2024;105(1S):S1-S69): partial response needs a fall of
// at least 50%; UPCR 2.0 -> 2.6 g/g at 9 months (creatinine stable) is a
// 30% rise, so the shortfall reads "rose by 30%", never "fell by -30%", and
// the criterion detail says "30% increase".
func TestNoResponseShortfallSaysRise(t *testing.T) {
	b := lnPatient(t, "upcr-rose")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
	b.series(units.PCR, units.GPerG, "2020-01-10", 2.0, "2020-10-15", 2.6)
	a := assess.Assess(b.timeline(), day("2020-11-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || *r.Response != lupus.ResponseNone {
		t.Fatalf("response %+v; missing %+v", r, a.Missing)
	}
	why, _ := assess.ResponseShortfall(r)
	if !strings.Contains(why, "UPCR rose by 30% from baseline") || strings.Contains(why, "-") {
		t.Errorf("shortfall %q, want \"UPCR rose by 30%% from baseline\" and no minus sign", why)
	}
	if d := r.Criteria[2].Detail; !strings.Contains(d, "30% increase") || strings.Contains(d, "-30") {
		t.Errorf("criterion detail %q, want \"30%% increase\"", d)
	}
}

// Trial 3 #8: the eGFR trend's reason names the condition that failed.
// KDIGO 2012 CKD rec 2.1.3 (lupus.md §7.4; ckd.MinSlopeDays) judges a slope
// over at least 3 values spanning at least 90 days: three creatinines over
// 31 days fail on the span, two fail on the count.
func TestSlopeReasonNamesSpan(t *testing.T) {
	reason := func(dates ...string) string {
		b := newPatient(t, "short-span", "1970-01-01", record.Female)
		for _, d := range dates {
			b.obs(units.Creatinine, d, 1.0, units.MgPerDL)
		}
		a := assess.Assess(b.timeline(), day("2026-10-10"), assess.DefaultConfig())
		for _, m := range a.Missing {
			if m.Path == "kidney.slope" {
				return m.Reason
			}
		}
		t.Fatalf("%v: no kidney.slope reason; slope %+v", dates, a.Kidney.Slope)
		return ""
	}
	if r := reason("2026-09-02", "2026-09-15", "2026-10-03"); !strings.HasSuffix(r, "; have 3 creatinine-based, spanning only 31 days") {
		t.Errorf("3 values over 31 days: %q", r)
	}
	if r := reason("2026-09-02", "2026-10-03"); !strings.HasSuffix(r, "; have 2 creatinine-based, spanning 31 days") {
		t.Errorf("2 values: %q", r)
	}
}
