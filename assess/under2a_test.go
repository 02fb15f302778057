package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// The KDIGO A thresholds (ACR 3 and 30 mg/mmol, PCR 15 and 50 mg/mmol;
// KDIGO 2012 Tables 6-7, kept in KDIGO 2024) are adult values, and normal
// urine protein is higher under 2 years (spot UPCR < 0.5 mg/mg from 6 to
// 24 months, < 0.2 mg/mg from 2 years: Hogg RJ et al. Pediatrics
// 2003;111:1416-1421; KDIGO 2024 judges a child's proteinuria against the
// normal value for age). A UPCR of 0.3 g/g at 15 months reads A2 by the
// adult table, and may be normal for age: the category is kept with the
// caveat (stage.a_note) naming the age and the sources; at 2 years 3
// months there is no caveat.
func TestACategoryCaveatUnder2Years(t *testing.T) {
	b := newPatient(t, "baby", "2025-06-01", record.Male).
		obs(units.Height, "2026-09-01", 76, units.Cm).
		obs(units.Creatinine, "2026-09-01", 0.35, units.MgPerDL).
		obs(units.PCR, "2026-09-01", 0.3, units.GPerG)
	st := assess.Assess(b.timeline(), day("2026-12-01"), assess.DefaultConfig()).Kidney.Stage
	if st.A == nil || *st.A != ckd.A2 {
		t.Fatalf("A = %v, want A2 (UPCR 0.3 g/g is 150-500 mg/g by the adult table)", st.A)
	}
	for _, want := range []string{"age 15 months at the UPCR of 2026-09-01", "adult thresholds", "0.5 mg/mg from 6 to 24 months", "Hogg RJ et al. Pediatrics 2003", "KDIGO 2024"} {
		if !strings.Contains(st.ANote, want) {
			t.Errorf("a_note %q lacks %q", st.ANote, want)
		}
	}
	b = newPatient(t, "toddler", "2024-06-01", record.Male).
		obs(units.Height, "2026-09-01", 88, units.Cm).
		obs(units.Creatinine, "2026-09-01", 0.35, units.MgPerDL).
		obs(units.PCR, "2026-09-01", 0.3, units.GPerG)
	st = assess.Assess(b.timeline(), day("2026-12-01"), assess.DefaultConfig()).Kidney.Stage
	if st.A == nil || st.ANote != "" {
		t.Errorf("2 years 3 months: A %v, a_note %q; want A2 without the caveat", st.A, st.ANote)
	}
}

// The albuminuria-referral alert (KDIGO 2012 rec 5.1.1: PCR >= 0.5 g/g)
// compares an infant's UPCR with the adult threshold too: at 15 months a
// UPCR of 0.8 g/g raises it with the under-2 caveat (ckd.AReferralUnder2:
// normal spot UPCR is below 0.5 mg/mg from 6 to 24 months, Hogg RJ et al.
// Pediatrics 2003;111:1416-1421), the same wording as stage.a_note. The
// threshold is that upper limit of normal itself, so the alert is kept,
// not withheld. At 2 years 3 months there is no caveat.
func TestAlbuminuriaReferralCaveatUnder2Years(t *testing.T) {
	referral := func(birth string, height float64) string {
		b := newPatient(t, "child-"+birth, birth, record.Male).
			obs(units.Height, "2026-09-01", height, units.Cm).
			obs(units.Creatinine, "2026-09-01", 0.35, units.MgPerDL).
			obs(units.PCR, "2026-09-01", 0.8, units.GPerG)
		for _, al := range assess.Assess(b.timeline(), day("2026-12-01"), assess.DefaultConfig()).Alerts {
			if al.Code == assess.AlertAlbuminuriaReferral {
				return al.Message
			}
		}
		return ""
	}
	msg := referral("2025-06-01", 76)
	if msg == "" {
		t.Fatal("15 months, UPCR 0.8 g/g: no albuminuria-referral alert")
	}
	if want := "; age 15 months at the UPCR of 2026-09-01: " + ckd.AReferralUnder2; !strings.HasSuffix(msg, want) {
		t.Errorf("15 months: message %q\nwant it to end %q", msg, want)
	}
	for _, want := range []string{"0.5 mg/mg from 6 to 24 months", "Hogg RJ et al. Pediatrics 2003;111:1416-1421"} {
		if !strings.Contains(msg, want) {
			t.Errorf("15 months: message %q lacks %q", msg, want)
		}
	}
	if msg := referral("2024-06-01", 88); msg == "" || strings.Contains(msg, "Hogg") {
		t.Errorf("2 years 3 months: message %q, want the alert without the caveat", msg)
	}
}
