package assess_test

import (
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// The stage's A category and the serology use the same inclusive,
// whole-day windows as the values they sit beside. syn42-10's case: eGFR,
// UPCR and C3 all taken on 2025-12-07 (here at 09:00 UTC); report as of the
// end of 2026-12-07 said "G3a A?" and "no C3 … in 12 months" while the labs
// table listed that day's values. KDIGO 2024 stages G and A together (heat
// map, KDIGO 2012 Figure 9), so A is read around the eGFR's date.
func TestStageAlbuminuriaWindowBoundary(t *testing.T) {
	b := newPatient(t, "edge", "1980-01-01", record.Female).
		cond(record.LupusNephritis, "2020-01-01", "IV").
		obs(units.Creatinine, "2025-12-07", 1.2, units.MgPerDL).
		obs(units.PCR, "2025-12-07", 2.0, units.GPerG).
		obs(units.C3, "2025-12-07", 0.79, units.GPerL)
	for i := range b.b.Observations {
		b.b.Observations[i].Time = b.b.Observations[i].Time.Add(9 * time.Hour)
	}
	endOf := func(s string) time.Time { return day(s).Add(24*time.Hour - time.Nanosecond) }
	cases := []struct {
		asOf     string
		serology bool // C3 of 2025-12-07 in the 365-day window (whole days, inclusive)
	}{
		{"2026-12-06", true},
		{"2026-12-07", true},  // exactly 365 days: inclusive
		{"2026-12-08", false}, // 366 days: the eGFR is older than the window; A is read at its date
		{"2027-06-01", false},
	}
	for _, c := range cases {
		a := assess.Assess(b.timeline(), endOf(c.asOf), assess.DefaultConfig())
		st := a.Kidney.Stage
		if st.A == nil || st.A.String() != "A3" || st.ADate == nil || !st.ADate.Equal(day("2025-12-07").Add(9*time.Hour)) {
			t.Errorf("as-of %s: A = %v (%v), want A3 from the UPCR of 2025-12-07", c.asOf, st.A, st.ADate)
		}
		if got := len(a.Lupus.Serology) > 0; got != c.serology {
			t.Errorf("as-of %s: serology shown %v, want %v", c.asOf, got, c.serology)
		}
	}
}
