package egfr

import "math"

const (
	ln141   = 4.948759890378168     // math.Log(141)
	ln141F  = 4.9665998085064995    // math.Log(141 * 1.018) = math.Log(143.538), female
	ln1_159 = 0.1475575643576147    // math.Log(1.159), legacy race coefficient
	ln0_993 = -0.007024614936964466 // math.Log(0.993)
)

// CKDEPI2009 returns eGFR in mL/min/1.73 m2 by the CKD-EPI 2009 creatinine
// equation, kept to reproduce historical values:
//
//	141 x min(Scr/k,1)^a x max(Scr/k,1)^-1.209 x 0.993^age x 1.018 [female] x 1.159 [black]
//	female k = 0.7, a = -0.329; male k = 0.9, a = -0.411
//
// The female constant is 141 x 1.018 = 143.538, as in the paper's single
// equation; the paper's Table 2 prints it rounded to 144, which some
// implementations (kidney.epi) use (0.32 % higher).
//
// Source: Levey AS et al. A new equation to estimate glomerular filtration
// rate. Ann Intern Med 2009;150:604-612,
// doi:10.7326/0003-4819-150-9-200905050-00006. Population: adults (18 years
// and over). Superseded by CKD-EPI 2021 (NKF-ASN 2021, KDIGO 2024), which has
// no race coefficient; black applies the legacy 1.159.
//
// Inputs are not validated; a sex other than Female or Male returns NaN.
func CKDEPI2009(scrMgDL, age float64, sex Sex, black bool) float64 {
	var lnK, invK, a float64
	switch sex {
	case Female:
		lnK, invK, a = ln141F, 1/0.7, -0.329
	case Male:
		lnK, invK, a = ln141, 1/0.9, -0.411
	default:
		return math.NaN()
	}
	if black {
		lnK += ln1_159
	}
	x := scrMgDL * invK // Scr/k; the product is continuous at x = 1, so rounding cannot jump
	p := -1.209
	if x < 1 {
		p = a
	}
	return math.Exp(lnK + p*math.Log(x) + age*ln0_993)
}

func ckdEPI2009Equation() Equation {
	return adult(Equation{
		Name:   "ckd-epi-2009",
		Title:  "CKD-EPI 2009 creatinine (legacy)",
		Source: "Levey AS et al. Ann Intern Med 2009;150:604-612, doi:10.7326/0003-4819-150-9-200905050-00006",
		Needs:  FieldCreatinine | FieldSex,
		Legacy: true,
		compute: func(c canon) float64 {
			return CKDEPI2009(c.scr, c.age, c.sex, c.black)
		},
	})
}
