package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// bpPatient is an adult with CKD, optionally with a functioning transplant,
// and one standardised office systolic BP.
func bpPatient(t *testing.T, birth string, transplant bool, sbp float64) assess.Assessment {
	t.Helper()
	b := newPatient(t, "bp", birth, record.Female).
		cond(record.CKD, "2018-01-01", "").
		obs(units.Creatinine, "2025-11-01", 1.0, units.MgPerDL).
		obs(units.SystolicBP, "2025-11-01", sbp, units.MmHg)
	if transplant {
		b.replacement(record.KidneyTransplant, "2020-05-01", "")
	}
	return assess.Assess(b.timeline(), day("2025-12-01"), assess.DefaultConfig())
}

func bpAlert(a assess.Assessment) (assess.Alert, bool) {
	for _, al := range a.Alerts {
		if al.Code == assess.AlertBPAboveTarget {
			return al, true
		}
	}
	return assess.Alert{}, false
}

// KDIGO 2021 BP in CKD rec 4.1.1: adult kidney transplant recipients target
// < 130/80 mmHg; rec 3.1.1: other adults with CKD < 120 mmHg systolic.
func TestBPTargetTransplantRecipient(t *testing.T) {
	cases := []struct {
		transplant bool
		sbp        float64
		alert      bool
		target     string
	}{
		{true, 126, false, ""},         // the tester's case: below 130
		{true, 129.9, false, ""},       // just below 130
		{true, 130, true, "130 mmHg"},  // at the target: not below it
		{false, 126, true, "120 mmHg"}, // no transplant: rec 3.1.1
		{false, 119.9, false, ""},      // below 120
		{false, 120, true, "120 mmHg"}, // at 120
	}
	for _, c := range cases {
		a := bpPatient(t, "1970-01-01", c.transplant, c.sbp)
		al, ok := bpAlert(a)
		if ok != c.alert {
			t.Errorf("transplant=%v SBP %v: alert %v, want %v (%+v)", c.transplant, c.sbp, ok, c.alert, al)
			continue
		}
		if !ok {
			continue
		}
		if !strings.Contains(al.Message, "target of "+c.target) {
			t.Errorf("transplant=%v SBP %v: message %q lacks target %s", c.transplant, c.sbp, al.Message, c.target)
		}
		wantRec := "rec 3.1.1"
		if c.transplant {
			wantRec = "rec 4.1.1"
		}
		if !strings.Contains(al.Source, wantRec) {
			t.Errorf("transplant=%v: source %q, want %s", c.transplant, al.Source, wantRec)
		}
	}
}

// Children: KDIGO 2021 rec 5.1.1 targets 24-h MAP by ABPM, which is not
// assessed, so neither the adult nor the transplant office target applies.
func TestBPTargetChildTransplantNotJudged(t *testing.T) {
	a := bpPatient(t, "2012-01-01", true, 140)
	if al, ok := bpAlert(a); ok {
		t.Fatalf("child with a transplant got %s", al.Message)
	}
	for _, m := range a.Missing {
		if m.Path == "alerts."+assess.AlertBPAboveTarget && strings.Contains(m.Reason, "rec 5.1.1") {
			return
		}
	}
	t.Errorf("missing %+v does not say why the child's BP is not judged", a.Missing)
}
