package ckd

import "fmt"

// Risk is the KDIGO heat-map risk of CKD progression and its complications
// for a G and A category pair.
type Risk int

// Heat-map risk levels (KDIGO 2012 Figure 9, kept in the KDIGO 2024 heat map): green,
// yellow, orange and red.
const (
	// RiskLow (green) is G1 or G2 with A1. Without another marker of
	// kidney damage (haematuria, sediment, imaging, histology, transplant),
	// such a patient does not have CKD at all: KDIGO colours the cell green
	// with "no CKD" in that case, and kidney.epi returns "No CKD".
	RiskLow      Risk = iota + 1
	RiskModerate      // yellow: moderately increased
	RiskHigh          // orange: high
	RiskVeryHigh      // red: very high
)

var riskNames = [...]string{RiskLow: "low", RiskModerate: "moderate", RiskHigh: "high", RiskVeryHigh: "very high"}

// String returns "low", "moderate", "high" or "very high".
func (r Risk) String() string {
	if r < RiskLow || r > RiskVeryHigh {
		return "unknown risk"
	}
	return riskNames[r]
}

// MarshalText writes the risk's name, so JSON shows "very high".
func (r Risk) MarshalText() ([]byte, error) {
	if r < RiskLow || r > RiskVeryHigh {
		return nil, fmt.Errorf("ckd: invalid heat-map risk %d", int(r))
	}
	return []byte(riskNames[r]), nil
}

// heatMap is the KDIGO prognosis grid (KDIGO 2012 Figure 9; KDIGO 2024
// heat map; kidney.epi nephro.kdigo_risk_category), indexed [G][A].
var heatMap = [...][A3 + 1]Risk{
	G1:  {A1: RiskLow, A2: RiskModerate, A3: RiskHigh},
	G2:  {A1: RiskLow, A2: RiskModerate, A3: RiskHigh},
	G3a: {A1: RiskModerate, A2: RiskHigh, A3: RiskVeryHigh},
	G3b: {A1: RiskHigh, A2: RiskVeryHigh, A3: RiskVeryHigh},
	G4:  {A1: RiskVeryHigh, A2: RiskVeryHigh, A3: RiskVeryHigh},
	G5:  {A1: RiskVeryHigh, A2: RiskVeryHigh, A3: RiskVeryHigh},
}

// HeatMapRisk returns the KDIGO heat-map risk for a GFR and an albuminuria
// category (KDIGO 2012 Figure 9, unchanged in KDIGO 2024). RiskLow for G1/G2 A1
// means "no CKD" unless another marker of kidney damage is present; the
// heat map grades risk, it does not diagnose CKD (which also needs the
// abnormality to persist for more than 3 months). An invalid category is an
// *InputError.
func HeatMapRisk(g G, a A) (Risk, error) {
	if g < G1 || g > G5 {
		return 0, &InputError{Field: "g", Value: g.String(), Want: "a GFR category G1 to G5"}
	}
	if a < A1 || a > A3 {
		return 0, &InputError{Field: "a", Value: a.String(), Want: "an albuminuria category A1 to A3"}
	}
	return heatMap[g][a], nil
}
