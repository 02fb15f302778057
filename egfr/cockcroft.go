package egfr

import (
	"math"

	"renalwatch/units"
)

// CockcroftGault returns creatinine clearance in mL/min (not indexed to body
// surface area) by the Cockcroft-Gault equation:
//
//	(140 - age) x weight(kg) / (72 x Scr(mg/dL)) x 0.85 [female]
//
// Source: Cockcroft DW, Gault MH. Prediction of creatinine clearance from
// serum creatinine. Nephron 1976;16:31-41, doi:10.1159/000180580.
// Population: adults (derived in 249 hospitalised patients aged 18-92 years,
// almost all men; the 0.85 for women was a suggested adjustment rather than
// a fitted coefficient). It predates IDMS-standardised creatinine and is
// used mainly for drug dosing; it is not a GFR and has no KDIGO G category.
//
// Inputs are not validated; a sex other than Female or Male returns NaN.
func CockcroftGault(scrMgDL, weightKg, age float64, sex Sex) float64 {
	v := (140 - age) * weightKg / (72 * scrMgDL)
	switch sex {
	case Female:
		return v * 0.85
	case Male:
		return v
	}
	return math.NaN()
}

func cockcroftGaultEquation() Equation {
	return adult(Equation{
		Name:   "cockcroft-gault",
		Title:  "Cockcroft-Gault creatinine clearance (not indexed to 1.73 m2)",
		Source: "Cockcroft DW, Gault MH. Nephron 1976;16:31-41, doi:10.1159/000180580",
		Needs:  FieldCreatinine | FieldWeight | FieldSex,
		Unit:   units.MLPerMin,
		compute: func(c canon) float64 {
			return CockcroftGault(c.scr, c.weight, c.age, c.sex)
		},
	})
}
