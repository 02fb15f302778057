package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// The A category rests on the most recent ACR or UPCR (KDIGO 2024 CKD
// guideline: albuminuria categories of the current measurement; UPCR by
// its approximate equivalents 150/500 mg/g), the ACR on the same day (the
// preferred measure, Sumida 2020). An ACR of 20 mg/g (A1) from January
// does not outrank a UPCR of 2.1 g/g (2100 mg/g >= 500: A3) from November,
// and the KFRE takes the ACR estimated from that UPCR.
func TestACategoryFromMostRecentRatio(t *testing.T) {
	for _, tc := range []struct {
		name     string
		acrDay   string
		pcrDay   string
		wantA    ckd.A
		wantSrc  string
		wantDate string
		wantKFRE string
	}{
		{"newer UPCR", "2026-01-10", "2026-11-01", ckd.A3, "pcr", "2026-11-01", "estimated"},
		{"newer ACR", "2026-11-01", "2026-01-10", ckd.A1, "acr", "2026-11-01", "measured"},
		{"same day: ACR preferred", "2026-11-01", "2026-11-01", ckd.A1, "acr", "2026-11-01", "measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newPatient(t, "p1", "1970-01-01", record.Female).
				obs(units.Creatinine, "2026-01-10", 1.4, units.MgPerDL).
				obs(units.Creatinine, "2026-11-01", 1.5, units.MgPerDL).
				obs(units.ACR, tc.acrDay, 20, units.MgPerG).
				obs(units.PCR, tc.pcrDay, 2.1, units.GPerG)
			a := assess.Assess(b.timeline(), day("2026-12-01"), assess.DefaultConfig())
			st := a.Kidney.Stage
			if st.A == nil || *st.A != tc.wantA || st.ASource != tc.wantSrc || st.ADate == nil || !st.ADate.Equal(day(tc.wantDate)) {
				t.Fatalf("A %v from %q on %v; want %v from %s on %s", st.A, st.ASource, st.ADate, tc.wantA, tc.wantSrc, tc.wantDate)
			}
			if a.Kidney.KFRE == nil || a.Kidney.KFRE.ACRSource != tc.wantKFRE {
				t.Fatalf("KFRE %+v, want acr_source %s", a.Kidney.KFRE, tc.wantKFRE)
			}
		})
	}
}

// A UPCR of 140 mg/g (< 150: A1 by KDIGO's PCR equivalents) after an ACR
// of 48 mg/g (A2): the stage follows the newer UPCR and warns that a low
// UPCR does not exclude A2 (Sumida 2020: PCR and ACR agree poorly at low
// values).
func TestALowUPCRAfterA2ACRWarns(t *testing.T) {
	b := newPatient(t, "p1", "1970-01-01", record.Female).
		obs(units.Creatinine, "2025-12-11", 0.8, units.MgPerDL).
		obs(units.ACR, "2025-09-11", 48, units.MgPerG).
		obs(units.PCR, "2025-12-11", 0.14, units.GPerG)
	a := assess.Assess(b.timeline(), day("2026-01-15"), assess.DefaultConfig())
	st := a.Kidney.Stage
	if st.A == nil || *st.A != ckd.A1 || st.ASource != "pcr" {
		t.Fatalf("A %v from %q, want A1 from the newer UPCR", st.A, st.ASource)
	}
	want := "the older ACR of 2025-09-11 (48 mg/g) was A2"
	found := false
	for _, w := range st.Warnings {
		found = found || strings.Contains(w, want)
	}
	if !found {
		t.Errorf("stage warnings %q, want one with %q", st.Warnings, want)
	}
}
