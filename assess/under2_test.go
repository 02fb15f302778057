package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// The KDIGO GFR categories G1-G5 apply from 2 years of age: under 2 years
// GFR is normally lower and still maturing (KDIGO 2012 CKD guideline
// chapter 1, paediatric considerations, kept in KDIGO 2024). A child of 15
// months with CKiD U25 eGFR 78 (G2 by the adult bands) and eGFR 25 (G4)
// gets no G category, no heat-map risk, no ckd-g4 alert and no eGFR < 60
// persistence, and the stage says why.
func TestNoGCategoryUnder2Years(t *testing.T) {
	for _, tc := range []struct {
		name string
		scr  float64 // mg/dL at 76 cm: 0.35 gives CKiD U25 78, 1.1 gives 25
	}{{"G2 by adult bands", 0.35}, {"G4 by adult bands", 1.1}} {
		t.Run(tc.name, func(t *testing.T) {
			b := newPatient(t, "baby", "2025-06-01", record.Male).
				obs(units.Height, "2026-05-01", 74, units.Cm).
				obs(units.Creatinine, "2026-06-01", tc.scr, units.MgPerDL).
				obs(units.Height, "2026-09-01", 76, units.Cm).
				obs(units.Creatinine, "2026-09-01", tc.scr, units.MgPerDL).
				obs(units.PCR, "2026-09-01", 1.2, units.GPerG)
			a := assess.Assess(b.timeline(), day("2026-12-01"), assess.DefaultConfig())
			if a.Kidney.EGFR == nil {
				t.Fatalf("no eGFR at 15 months; CKiD U25 is validated from 1 year (Pierce 2021)")
			}
			st := a.Kidney.Stage
			if st.G != nil || st.Risk != nil {
				t.Errorf("stage G %v risk %v at 15 months, want none (KDIGO: categories from 2 years)", st.G, st.Risk)
			}
			if !strings.Contains(st.GNotApplicable, "age 15 months") || !strings.Contains(st.GNotApplicable, "KDIGO 2024") {
				t.Errorf("g_not_applicable = %q, want the age and the KDIGO 2024 citation", st.GNotApplicable)
			}
			if st.Persistence.EGFR.Persistent {
				t.Errorf("eGFR persistence %+v under 2 years", st.Persistence.EGFR)
			}
			if st.A == nil || *st.A != ckd.A3 {
				t.Errorf("A = %v, want A3 from the UPCR", st.A)
			}
			for _, al := range a.Alerts {
				if al.Code == assess.AlertCKDG4 || al.Code == assess.AlertCKDG5 {
					t.Errorf("alert %s at 15 months: %s", al.Code, al.Message)
				}
			}
		})
	}
	// From 2 years the categories apply again.
	b := newPatient(t, "toddler", "2024-06-01", record.Male).
		obs(units.Height, "2026-09-01", 88, units.Cm).
		obs(units.Creatinine, "2026-09-01", 0.35, units.MgPerDL)
	a := assess.Assess(b.timeline(), day("2026-12-01"), assess.DefaultConfig())
	if a.Kidney.Stage.G == nil || a.Kidney.Stage.GNotApplicable != "" {
		t.Errorf("2 years 3 months: G %v, g_not_applicable %q; want a category", a.Kidney.Stage.G, a.Kidney.Stage.GNotApplicable)
	}
}

// CKiD U25 and bedside Schwartz were developed from 1 year of age (Pierce
// CB et al. Kidney Int 2021;99:948-956; kidney.md §2.8-2.9): a creatinine
// of a 9-month-old gives no eGFR, and the series says why.
func TestNoEGFRUnder1Year(t *testing.T) {
	b := newPatient(t, "infant", "2025-06-01", record.Female).
		obs(units.Height, "2026-03-01", 70, units.Cm).
		obs(units.Creatinine, "2026-03-01", 0.3, units.MgPerDL)
	a := assess.Assess(b.timeline(), day("2026-03-15"), assess.DefaultConfig())
	if a.Kidney.EGFR != nil {
		t.Errorf("eGFR %v at 9 months, want none (validated from 1 year)", a.Kidney.EGFR.Value)
	}
	ep := a.Kidney.Series.At(0)
	if !strings.Contains(ep.Reason, "9 months old") || !strings.Contains(ep.Reason, "1-25 years") {
		t.Errorf("series reason = %q, want the age and the validated range", ep.Reason)
	}
}
