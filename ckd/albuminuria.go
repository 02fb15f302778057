package ckd

import (
	"fmt"

	"renalwatch/units"
)

// A is a KDIGO albuminuria category.
type A int

// Albuminuria categories, KDIGO 2012 Table 6 (kept in KDIGO 2024).
const (
	A1 A = iota + 1 // normal to mildly increased: ACR < 30 mg/g (< 3 mg/mmol)
	A2              // moderately increased: ACR 30–299 mg/g (3–29 mg/mmol)
	A3              // severely increased: ACR >= 300 mg/g (>= 30 mg/mmol)
)

var aNames = [...]string{A1: "A1", A2: "A2", A3: "A3"}

// ACategoryUnder2 is the caveat of an A category given for a ratio of a
// child under 2 years (GCategoryMinAge; user-visible text). The A
// thresholds (ACR 3 and 30 mg/mmol, PCR 15 and 50 mg/mmol; KDIGO 2012
// Tables 6-7, kept in KDIGO 2024) are adult values, used for children
// from 2 years. KDIGO counts as kidney damage in a child a urine protein
// or albumin excretion above the normal value for age (KDIGO 2024 CKD
// guideline, criteria for CKD), and normal urine protein is higher in
// infancy: a spot UPCR below 0.5 mg/mg from 6 to 24 months, below 0.2
// mg/mg from 2 years (K/DOQI paediatric CKD guideline, Hogg RJ et al.
// Pediatrics 2003;111:1416-1421). So the category is kept, as the ratio's
// position against the adult thresholds, and this caveat goes with it: an
// infant's UPCR of 0.3 g/g reads A2 and may be normal for age.
const ACategoryUnder2 = adultRatioThresholdsUnder2 + ", so this category may overstate the proteinuria"

// AReferralUnder2 is the same caveat for the KDIGO 2012 rec 5.1.1 referral
// criterion (ACR >= 30 mg/mmol, PCR >= 50 mg/mmol: the A3 threshold) met
// by a ratio of a child under 2 years. The referral threshold, PCR 0.5
// g/g, is the upper limit of normal from 6 to 24 months itself (Hogg
// 2003), so no ratio at or above it is normal for age there and the
// criterion is not withheld; but it is an adult threshold, and the child's
// own normal is the measure.
const AReferralUnder2 = adultRatioThresholdsUnder2 + ", so the adult referral threshold may overstate the proteinuria"

// adultRatioThresholdsUnder2 is the common part of ACategoryUnder2 and
// AReferralUnder2 (user-visible text).
const adultRatioThresholdsUnder2 = "the KDIGO albuminuria categories A1-A3 use adult thresholds (ACR 3 and 30 mg/mmol, PCR 15 and 50 mg/mmol), applied to children from 2 years; KDIGO 2024 judges a child's albuminuria or proteinuria against the normal value for age (KDIGO 2024 CKD guideline, Kidney Int 2024;105(4S):S117-S314), and normal urine protein is higher under 2 years (spot UPCR below 0.5 mg/mg from 6 to 24 months, below 0.2 mg/mg from 2 years: K/DOQI paediatric CKD guideline, Hogg RJ et al. Pediatrics 2003;111:1416-1421)"

// String returns the category's name ("A2").
func (a A) String() string {
	if a < A1 || a > A3 {
		return "A?"
	}
	return aNames[a]
}

// MarshalText writes the category's name, so JSON shows "A2".
func (a A) MarshalText() ([]byte, error) {
	if a < A1 || a > A3 {
		return nil, fmt.Errorf("ckd: invalid albuminuria category %d", int(a))
	}
	return []byte(aNames[a]), nil
}

// cut holds a guideline's A2 and A3 lower bounds in one reporting unit.
type cut struct {
	unit   units.Unit
	a2, a3 float64
}

// acrCuts are the KDIGO ACR thresholds in each unit a laboratory reports:
// 30/300 mg/g, 3/30 mg/mmol (KDIGO 2012 Table 6, unchanged in KDIGO 2024),
// and 0.03/0.3 g/g (the mg/g values in g/g).
// The guideline prints the mg/mmol values as their own thresholds; they are
// not conversions of the mg/g ones (3 mg/mmol = 26.5 mg/g).
var acrCuts = [...]cut{
	{units.MgPerG, 30, 300},
	{units.MgPerMmol, 3, 30},
	{units.GPerG, 0.03, 0.3},
}

// pcrCuts are the KDIGO protein-to-creatinine ratio equivalents of the
// albuminuria categories: 150/500 mg/g, 15/50 mg/mmol (KDIGO 2012 Table 7,
// "approximate equivalents"; the same values in kidney.epi), and 0.15/0.5
// g/g.
var pcrCuts = [...]cut{
	{units.MgPerG, 150, 500},
	{units.MgPerMmol, 15, 50},
	{units.GPerG, 0.15, 0.5},
}

// ACategory returns the KDIGO albuminuria category of a urine
// albumin-to-creatinine ratio given in mg/g, mg/mmol or g/g.
//
// Lower bounds are inclusive (KDIGO 2024 writes A2 as 30–299 mg/g and A3 as
// >= 300 mg/g; kidney.epi codes the same): 30 mg/g is A2, 300 mg/g is A3,
// 3 mg/mmol is A2, 30 mg/mmol is A3. The ratio is compared with the
// guideline's threshold in the unit it was reported in, never after a
// conversion: 3 mg/mmol is A2 although 3 × 8.84 = 26.5 mg/g would be A1.
//
// The quantity is validated as units.ACR first; a unit that does not fit or
// an implausible value is returned as the units package's typed error.
func ACategory(acr units.Quantity) (A, error) {
	return categorize("acr", units.ACR, acr, acrCuts[:])
}

// ACategoryFromPCR returns the KDIGO albuminuria category implied by a urine
// protein-to-creatinine ratio, using KDIGO's PCR equivalents with inclusive
// lower bounds: < 150 mg/g (< 15 mg/mmol) A1, 150–499 mg/g (15–49 mg/mmol)
// A2, >= 500 mg/g (>= 50 mg/mmol) A3 (KDIGO 2012 Table 7). As with ACR the
// ratio is compared in the unit it was reported in. These PCR bands are
// approximate equivalents of the ACR categories; an ACR is preferred when
// both exist.
func ACategoryFromPCR(pcr units.Quantity) (A, error) {
	return categorize("pcr", units.PCR, pcr, pcrCuts[:])
}

func categorize(field string, an units.Analyte, q units.Quantity, cuts []cut) (A, error) {
	if !an.Accepts(q) {
		_, err := an.Normalize(field, q) // the error
		return 0, err
	}
	for _, c := range cuts {
		if c.unit != q.Unit {
			continue
		}
		switch {
		case q.Value >= c.a3:
			return A3, nil
		case q.Value >= c.a2:
			return A2, nil
		}
		return A1, nil
	}
	// Normalize accepted a unit this table lacks: the tables are out of step.
	return 0, &units.UnitError{Field: field, Analyte: an, From: q.Unit, Accepted: []units.Unit{units.MgPerG, units.MgPerMmol, units.GPerG}}
}

// A2From is the lower bound of A2 for a ratio of analyte an (units.ACR
// or units.PCR) in unit u: ACR 30 mg/g, 3 mg/mmol, 0.03 g/g (KDIGO 2012
// Table 6); UPCR 150 mg/g, 15 mg/mmol, 0.15 g/g (KDIGO 2012 Table 7), the
// thresholds ACategory and ACategoryFromPCR apply. ok is false for
// another analyte or unit.
func A2From(an units.Analyte, u units.Unit) (q units.Quantity, ok bool) {
	cuts := acrCuts[:]
	switch an {
	case units.ACR:
	case units.PCR:
		cuts = pcrCuts[:]
	default:
		return q, false
	}
	for _, c := range cuts {
		if c.unit == u {
			return units.Q(c.a2, u), true
		}
	}
	return q, false
}
