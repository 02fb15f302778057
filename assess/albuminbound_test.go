package assess

import (
	"testing"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// TestBoundCategory: a ratio reported only as a bound classifies when every
// value it allows lies in one KDIGO category. Thresholds: KDIGO 2012 Table 6
// (ACR A1 < 3 mg/mmol, < 30 mg/g; A3 > 30 mg/mmol, KDIGO 2024 >= 30) and
// Table 7 (PCR A1 < 15 mg/mmol, < 150 mg/g; A3 >= 50 mg/mmol, >= 500 mg/g).
func TestBoundCategory(t *testing.T) {
	for _, tt := range []struct {
		cat  func(units.Quantity) (ckd.A, error)
		cmp  record.Comparator
		q    units.Quantity
		want string // "" when the bound spans categories
	}{
		{ckd.ACategory, record.Less, units.Q(3, units.MgPerMmol), "A1"}, // trial-cli #3
		{ckd.ACategory, record.Less, units.Q(30, units.MgPerG), "A1"},
		{ckd.ACategory, record.LessOrEqual, units.Q(3, units.MgPerMmol), ""}, // 3 is A2
		{ckd.ACategory, record.LessOrEqual, units.Q(2.9, units.MgPerMmol), "A1"},
		{ckd.ACategory, record.Less, units.Q(3.1, units.MgPerMmol), ""},
		{ckd.ACategory, record.Less, units.Q(30, units.MgPerMmol), ""}, // A1 or A2
		{ckd.ACategory, record.Greater, units.Q(30, units.MgPerMmol), "A3"},
		{ckd.ACategory, record.GreaterOrEqual, units.Q(300, units.MgPerG), "A3"},
		{ckd.ACategory, record.Greater, units.Q(29.9, units.MgPerMmol), ""},
		{ckd.ACategory, record.Greater, units.Q(3, units.MgPerMmol), ""},
		{ckd.ACategoryFromPCR, record.Less, units.Q(15, units.MgPerMmol), "A1"},
		{ckd.ACategoryFromPCR, record.Less, units.Q(150, units.MgPerG), "A1"},
		{ckd.ACategoryFromPCR, record.Less, units.Q(0.15, units.GPerG), "A1"},
		{ckd.ACategoryFromPCR, record.Less, units.Q(50, units.MgPerMmol), ""},
		{ckd.ACategoryFromPCR, record.GreaterOrEqual, units.Q(500, units.MgPerG), "A3"},
		{ckd.ACategoryFromPCR, record.Exact, units.Q(500, units.MgPerG), ""},
	} {
		c, ok := boundCategory(tt.cat, tt.cmp, tt.q)
		got := ""
		if ok {
			got = c.String()
		}
		if got != tt.want {
			t.Errorf("%s%v: %q, want %q", tt.cmp, tt.q, got, tt.want)
		}
	}
}
