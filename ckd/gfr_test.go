package ckd

import "testing"

func TestGCategory(t *testing.T) {
	const src = "KDIGO 2012 Table 5 (inclusive lower bounds)"
	tests := []struct {
		egfr float64
		want G
	}{
		{120, G1}, {90, G1}, {89.999, G2}, {60, G2}, {59.999, G3a}, {45, G3a},
		{44.999, G3b}, {30, G3b}, {29.999, G4}, {15, G4}, {14.999, G5}, {0, G5},
	}
	for _, tt := range tests {
		got, err := GCategory(tt.egfr)
		if err != nil || got != tt.want {
			t.Errorf("GCategory(%v) = %v, %v; want %v (%s)", tt.egfr, got, err, tt.want, src)
		}
	}
	for _, bad := range []float64{-1, nan(), inf()} {
		if g, err := GCategory(bad); err == nil {
			t.Errorf("GCategory(%v) = %v, want an error", bad, g)
		}
	}
}

func TestGMarshalText(t *testing.T) {
	b, err := G3a.MarshalText()
	if err != nil || string(b) != "G3a" {
		t.Errorf("G3a.MarshalText() = %q, %v", b, err)
	}
	if _, err := G(0).MarshalText(); err == nil {
		t.Error("G(0).MarshalText() succeeded, want an error")
	}
}

// TestGCategoryApplies: the KDIGO GFR categories apply from 2 years of age
// (KDIGO 2012 chapter 1 paediatric considerations, kept in KDIGO 2024), the
// one rule the report and the calculators ask.
func TestGCategoryApplies(t *testing.T) {
	for age, want := range map[float64]bool{0.1: false, 1: false, 1.5: false, 1.99: false, 2: true, 2.5: true, 54: true} {
		if got := GCategoryApplies(age); got != want {
			t.Errorf("GCategoryApplies(%v) = %v, want %v", age, got, want)
		}
	}
}
