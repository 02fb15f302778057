package ckd

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestHeatMapRisk(t *testing.T) {
	// The whole grid, row by row, as drawn in KDIGO 2012 Figure 9 (green,
	// yellow, orange, red) and kept in the KDIGO 2024 heat map; the same cells
	// as kidney.epi nephro.kdigo_risk_category and the openEHR GDL
	// CKD_classification tests (lupus.md §7.3, kidney.md §4).
	const src = "KDIGO 2012 Figure 9 (unchanged in the KDIGO 2024 heat map)"
	L, M, H, V := RiskLow, RiskModerate, RiskHigh, RiskVeryHigh
	want := map[G][3]Risk{
		G1:  {L, M, H},
		G2:  {L, M, H},
		G3a: {M, H, V},
		G3b: {H, V, V},
		G4:  {V, V, V},
		G5:  {V, V, V},
	}
	n := 0
	for g, row := range want {
		for i, w := range row {
			a := A(i + 1)
			got, err := HeatMapRisk(g, a)
			if err != nil || got != w {
				t.Errorf("HeatMapRisk(%v, %v) = %v, %v; want %v (%s)", g, a, got, err, w, src)
			}
			n++
		}
	}
	if n != 18 {
		t.Fatalf("checked %d cells, want 18", n)
	}
}

// TestHeatMapBoundaries runs eGFR and ACR values at every cut-off through
// GCategory, ACategory and HeatMapRisk together.
func TestHeatMapBoundaries(t *testing.T) {
	const src = "KDIGO 2012 Tables 5-6, Figure 9 (inclusive lower bounds)"
	tests := []struct {
		egfr, acr float64 // mL/min/1.73 m2, mg/g
		want      Risk
	}{
		{90, 29.9, RiskLow}, {89.9, 29.9, RiskLow},
		{60, 29.9, RiskLow}, {59.9, 29.9, RiskModerate},
		{45, 29.9, RiskModerate}, {44.9, 29.9, RiskHigh},
		{30, 29.9, RiskHigh}, {29.9, 29.9, RiskVeryHigh},
		{15, 29.9, RiskVeryHigh}, {14.9, 29.9, RiskVeryHigh},
		{90, 30, RiskModerate}, {60, 30, RiskModerate}, {59.9, 30, RiskHigh},
		{45, 30, RiskHigh}, {44.9, 30, RiskVeryHigh},
		{90, 299.9, RiskModerate}, {90, 300, RiskHigh},
		{60, 300, RiskHigh}, {59.9, 300, RiskVeryHigh},
	}
	for _, tt := range tests {
		g, err := GCategory(tt.egfr)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ACategory(q(tt.acr))
		if err != nil {
			t.Fatal(err)
		}
		got, err := HeatMapRisk(g, a)
		if err != nil || got != tt.want {
			t.Errorf("eGFR %v, ACR %v mg/g: %v %v -> %v, %v; want %v (%s)", tt.egfr, tt.acr, g, a, got, err, tt.want, src)
		}
	}
}

func TestHeatMapRiskRejects(t *testing.T) {
	for _, c := range []struct {
		g G
		a A
	}{{0, A1}, {7, A1}, {G1, 0}, {G1, 4}} {
		if r, err := HeatMapRisk(c.g, c.a); !errors.Is(err, ErrInput) {
			t.Errorf("HeatMapRisk(%d, %d) = %v, %v; want ErrInput", int(c.g), int(c.a), r, err)
		}
	}
}

func TestRiskJSON(t *testing.T) {
	b, err := json.Marshal(map[string]Risk{"risk": RiskVeryHigh})
	if err != nil || string(b) != `{"risk":"very high"}` {
		t.Errorf("json = %s, %v", b, err)
	}
	for r, want := range map[Risk]string{RiskLow: "low", RiskModerate: "moderate", RiskHigh: "high", RiskVeryHigh: "very high"} {
		if r.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(r), r.String(), want)
		}
	}
	if _, err := Risk(0).MarshalText(); err == nil {
		t.Error("Risk(0).MarshalText() succeeded, want an error")
	}
}

func TestGCategoryTypedError(t *testing.T) {
	_, err := GCategory(nan())
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "egfr" || !errors.Is(err, ErrInput) {
		t.Errorf("GCategory(NaN) error = %#v, want *InputError for egfr", err)
	}
}
