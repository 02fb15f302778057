package egfr

import "math"

const (
	ln133   = 4.890349128221754     // math.Log(133)
	ln133F  = 4.819926663925208     // math.Log(133 * 0.932), female
	ln0_996 = -0.004008021397538822 // math.Log(0.996)
)

// CKDEPI2012Cys returns eGFR in mL/min/1.73 m2 by the CKD-EPI 2012 cystatin C
// equation, which has no race term and is still recommended (KDIGO 2024):
//
//	133 x min(Scys/0.8, 1)^-0.499 x max(Scys/0.8, 1)^-1.328 x 0.996^age x 0.932 [female]
//
// Source: Inker LA et al. Estimating glomerular filtration rate from serum
// creatinine and cystatin C. N Engl J Med 2012;367:20-29,
// doi:10.1056/NEJMoa1114248. Population: adults (18 years and over).
//
// cysMgL is IFCC/ERM-DA471-calibrated cystatin C in mg/L, age in years.
// Inputs are not validated; a sex other than Female or Male returns NaN.
func CKDEPI2012Cys(cysMgL, age float64, sex Sex) float64 {
	var lnK float64
	switch sex {
	case Female:
		lnK = ln133F
	case Male:
		lnK = ln133
	default:
		return math.NaN()
	}
	y := cysMgL * (1 / 0.8)
	q := -1.328
	if y < 1 {
		q = -0.499
	}
	return math.Exp(lnK + q*math.Log(y) + age*ln0_996)
}

func ckdEPI2012CysEquation() Equation {
	return adult(Equation{
		Name:   "ckd-epi-2012-cys",
		Title:  "CKD-EPI 2012 cystatin C",
		Source: "Inker LA et al. N Engl J Med 2012;367:20-29, doi:10.1056/NEJMoa1114248",
		Needs:  FieldCystatinC | FieldSex,
		compute: func(c canon) float64 {
			return CKDEPI2012Cys(c.cys, c.age, c.sex)
		},
	})
}
