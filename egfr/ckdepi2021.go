package egfr

import "math"

// Natural logarithms of the CKD-EPI 2021 constants, so that each estimate
// costs one math.Log per marker and one math.Exp (TestLogConstants checks
// every literal against math.Log).
const (
	ln142    = 4.955827057601261      // math.Log(142)
	ln142F   = 4.967755628466534      // math.Log(142 * 1.012), female
	ln0_9938 = -0.0062192998139168326 // math.Log(0.9938)
	ln135    = 4.90527477843843       // math.Log(135)
	ln135F   = 4.867572911254418      // math.Log(135 * 0.963), female
	ln0_9961 = -0.0039076248310170765 // math.Log(0.9961)
)

// CKDEPI2021 returns eGFR in mL/min/1.73 m2 by the CKD-EPI 2021 race-free
// creatinine equation:
//
//	142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age x 1.012 [female]
//	female k = 0.7, a = -0.241; male k = 0.9, a = -0.302
//
// Source: Inker LA et al. New creatinine- and cystatin C-based equations to
// estimate GFR without race. N Engl J Med 2021;385:1737-49,
// doi:10.1056/NEJMoa2102953. Population: adults (18 years and over);
// recommended by NKF-ASN 2021 and KDIGO 2024.
//
// scrMgDL is IDMS-traceable serum creatinine in mg/dL and age is in years.
// Inputs are not validated (use Compute for that); a sex other than Female or
// Male returns NaN.
func CKDEPI2021(scrMgDL, age float64, sex Sex) float64 {
	var lnK, invK, a float64
	switch sex {
	case Female:
		lnK, invK, a = ln142F, 1/0.7, -0.241
	case Male:
		lnK, invK, a = ln142, 1/0.9, -0.302
	default:
		return math.NaN()
	}
	x := scrMgDL * invK // Scr/k; the product is continuous at x = 1, so rounding cannot jump
	// min(x,1)^a x max(x,1)^b has at most one factor that is not 1.
	p := -1.200
	if x < 1 {
		p = a
	}
	return math.Exp(lnK + p*math.Log(x) + age*ln0_9938)
}

// CKDEPI2021CrCys returns eGFR in mL/min/1.73 m2 by the CKD-EPI 2021 race-free
// creatinine-cystatin C equation:
//
//	135 x min(Scr/k,1)^a x max(Scr/k,1)^-0.544 x min(Scys/0.8,1)^-0.323
//	    x max(Scys/0.8,1)^-0.778 x 0.9961^age x 0.963 [female]
//	female k = 0.7, a = -0.219; male k = 0.9, a = -0.144
//
// Source: Inker LA et al. N Engl J Med 2021;385:1737-49,
// doi:10.1056/NEJMoa2102953. Population: adults (18 years and over).
//
// scrMgDL is IDMS-traceable creatinine in mg/dL, cysMgL IFCC-calibrated
// cystatin C in mg/L, age in years. Inputs are not validated; a sex other than
// Female or Male returns NaN.
func CKDEPI2021CrCys(scrMgDL, cysMgL, age float64, sex Sex) float64 {
	var lnK, invK, a float64
	switch sex {
	case Female:
		lnK, invK, a = ln135F, 1/0.7, -0.219
	case Male:
		lnK, invK, a = ln135, 1/0.9, -0.144
	default:
		return math.NaN()
	}
	x := scrMgDL * invK // Scr/k; the product is continuous at x = 1, so rounding cannot jump
	p := -0.544
	if x < 1 {
		p = a
	}
	y := cysMgL * (1 / 0.8)
	q := -0.778
	if y < 1 {
		q = -0.323
	}
	return math.Exp(lnK + p*math.Log(x) + q*math.Log(y) + age*ln0_9961)
}

func ckdEPI2021Equation() Equation {
	return adult(Equation{
		Name:   "ckd-epi-2021",
		Title:  "CKD-EPI 2021 creatinine (race-free)",
		Source: "Inker LA et al. N Engl J Med 2021;385:1737-49, doi:10.1056/NEJMoa2102953",
		Needs:  FieldCreatinine | FieldSex,
		compute: func(c canon) float64 {
			return CKDEPI2021(c.scr, c.age, c.sex)
		},
	})
}

func ckdEPI2021CysEquation() Equation {
	return adult(Equation{
		Name:   "ckd-epi-2021-cys",
		Title:  "CKD-EPI 2021 creatinine-cystatin C (race-free)",
		Source: "Inker LA et al. N Engl J Med 2021;385:1737-49, doi:10.1056/NEJMoa2102953",
		Needs:  FieldCreatinine | FieldCystatinC | FieldSex,
		compute: func(c canon) float64 {
			return CKDEPI2021CrCys(c.scr, c.cys, c.age, c.sex)
		},
	})
}
