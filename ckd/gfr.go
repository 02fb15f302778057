package ckd

import (
	"fmt"
	"math"
	"strconv"
)

// G is a KDIGO GFR category.
type G int

// GFR categories, KDIGO 2012 Table 5 (kept in KDIGO 2024).
const (
	G1  G = iota + 1 // normal or high, >= 90
	G2               // mildly decreased, 60–89
	G3a              // mildly to moderately decreased, 45–59
	G3b              // moderately to severely decreased, 30–44
	G4               // severely decreased, 15–29
	G5               // kidney failure, < 15
)

var gNames = [...]string{G1: "G1", G2: "G2", G3a: "G3a", G3b: "G3b", G4: "G4", G5: "G5"}

// String returns the category's name ("G3a").
func (g G) String() string {
	if g < G1 || g > G5 {
		return "G?"
	}
	return gNames[g]
}

// MarshalText writes the category's name, so JSON shows "G3a".
func (g G) MarshalText() ([]byte, error) {
	if g < G1 || g > G5 {
		return nil, fmt.Errorf("ckd: invalid GFR category %d", int(g))
	}
	return []byte(gNames[g]), nil
}

// GCategory returns the KDIGO GFR category of an eGFR in mL/min/1.73 m2,
// using half-open intervals with inclusive lower bounds: [90,∞) G1, [60,90)
// G2, [45,60) G3a, [30,45) G3b, [15,30) G4, [0,15) G5 (KDIGO 2012 Table 5;
// KDIGO 2024). It classifies the unrounded value: 59.6 is G3a even though a
// report rounds it to 60. A negative, NaN or infinite eGFR is an *InputError.
func GCategory(egfr float64) (G, error) {
	switch {
	case math.IsNaN(egfr) || math.IsInf(egfr, 0) || egfr < 0:
		return 0, &InputError{Field: "egfr", Value: strconv.FormatFloat(egfr, 'g', -1, 64), Want: "a finite number >= 0 (mL/min/1.73 m2)"}
	case egfr >= 90:
		return G1, nil
	case egfr >= 60:
		return G2, nil
	case egfr >= 45:
		return G3a, nil
	case egfr >= 30:
		return G3b, nil
	case egfr >= 15:
		return G4, nil
	}
	return G5, nil
}

// GCategoryMinAge is the age, in completed years, from which the KDIGO GFR
// categories G1–G5 apply. Under 2 years GFR is normally lower and still
// maturing (even indexed to body surface area), so KDIGO judges a young
// child's GFR against age-appropriate normal values, not against the
// categories (KDIGO 2012 CKD guideline chapter 1, paediatric considerations:
// GFR categories for children 2 years and older; kept in the KDIGO 2024 CKD
// guideline, Kidney Int 2024;105(4S):S117-S314). No CKD stage, heat-map risk
// or G-based rule is built on an eGFR of a child under 2.
const GCategoryMinAge = 2

// GCategoryApplies reports whether the KDIGO GFR categories apply at an age
// of ageYears: from GCategoryMinAge (2 years), for the reasons and sources
// given there. The report (age in completed years at the eGFR) and the
// calculators (age as given) both ask it; under 2 the reason to show is
// GCategoryUnder2.
func GCategoryApplies(ageYears float64) bool { return ageYears >= GCategoryMinAge }

// GCategoryUnder2 says why a child under GCategoryMinAge has no G category,
// citing the guideline (user-visible text).
const GCategoryUnder2 = "the KDIGO GFR categories G1-G5 apply from 2 years of age; under 2 years GFR is normally lower and still maturing, so it is compared with age-appropriate normal values instead (KDIGO 2024 CKD guideline, Kidney Int 2024;105(4S):S117-S314)"
