package assess_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/record"
)

// castsPatient: the relapsePatient reaches a partial response on 2022-10-05
// (4000 -> 1500 mg/g, 62.5% lower and < 3000 mg/g, KDIGO 2024 LN); on
// 2023-01-05 the UPCR is 1600 mg/g, no Table 29 UPCR rise (from a baseline
// > 1000 mg/g moderate needs a 2-fold rise) and creatinine is unchanged, so
// only the casts present on 2023-01-05 could make it a mild relapse (KDIGO
// 2012 GN guideline Table 29: "recurrence of ≥ 1 RBC or WBC cast").
func castsPatient(t *testing.T) *builder {
	b := relapsePatient(t, "2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 1600.0)
	b.finding("2022-05-01", true, record.FindingUrinaryCasts)
	b.finding("2023-01-05", true, record.FindingUrinaryCasts)
	return b
}

// TestCastsPersistingAreNoFlare: casts recorded before the response and at
// 2023-01-05, never recorded absent in between, are persisting activity:
// the casts criterion is not met and there is no mild flare.
func TestCastsPersistingAreNoFlare(t *testing.T) {
	a := assess.Assess(castsPatient(t).timeline(), day("2023-01-20"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{}, flareDatesOf(a)); diff != "" {
		t.Errorf("flares (-want +got):\n%s", diff)
	}
	if hasAlert(a, assess.AlertRenalFlare) {
		t.Error("renal-flare alert for persisting casts")
	}
}

// TestCastsRecurringAreMildFlare: the same patient with casts recorded
// absent at the response visit (2022-10-05) and back on 2023-01-05 has a
// recurrence: a mild relapse whose casts criterion is met.
func TestCastsRecurringAreMildFlare(t *testing.T) {
	b := castsPatient(t)
	b.finding("2022-10-05", false, record.FindingUrinaryCasts)
	a := assess.Assess(b.timeline(), day("2023-01-20"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{"2023-01-05"}, flareDatesOf(a)); diff != "" {
		t.Fatalf("flares (-want +got):\n%s", diff)
	}
	f := a.Lupus.Flares[0]
	if f.Severity == nil || *f.Severity != "mild" {
		t.Errorf("severity %v, want mild", f.Severity)
	}
	found := false
	for _, c := range f.Criteria {
		if c.Name == "mild: recurrence of ≥ 1 RBC or WBC cast (no infection)" {
			found = true
			if c.Met == nil || !*c.Met {
				t.Errorf("casts criterion %+v, want met", c)
			}
			if want := "casts at the flare visit after a cast-free result since the prior response"; c.Detail != want {
				t.Errorf("casts detail %q, want %q", c.Detail, want)
			}
		}
		if c.Name == "mild: glomerular haematuria from < 5 to > 15 RBC/hpf" && c.Detail != "no urine RBC at both visits" {
			t.Errorf("haematuria detail %q names no record field", c.Detail)
		}
	}
	if !found {
		t.Error("no casts criterion")
	}
}
