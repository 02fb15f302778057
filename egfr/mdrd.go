package egfr

import "math"

const (
	ln175   = 5.1647859739235145  // math.Log(175)
	ln186   = 5.225746673713202   // math.Log(186)
	ln0_742 = -0.2984060358147566 // math.Log(0.742), female
	ln1_212 = 0.1922718876471227  // math.Log(1.212), legacy race coefficient
)

// MDRD returns eGFR in mL/min/1.73 m2 by the 4-variable MDRD Study equation
// re-expressed for IDMS-traceable creatinine:
//
//	175 x Scr^-1.154 x age^-0.203 x 0.742 [female] x 1.212 [black]
//
// Source: Levey AS et al. Using standardized serum creatinine values in the
// Modification of Diet in Renal Disease study equation for estimating
// glomerular filtration rate. Ann Intern Med 2006;145:247-254. Population:
// adults (18 years and over) with CKD; imprecise above 60 mL/min/1.73 m2.
// Superseded by CKD-EPI 2021; black applies the legacy 1.212.
//
// Inputs are not validated; a sex other than Female or Male returns NaN.
func MDRD(scrMgDL, age float64, sex Sex, black bool) float64 {
	return mdrd(ln175, scrMgDL, age, sex, black)
}

// MDRD186 returns eGFR in mL/min/1.73 m2 by the original 4-variable MDRD
// equation for creatinine not traceable to IDMS:
//
//	186 x Scr^-1.154 x age^-0.203 x 0.742 [female] x 1.212 [black]
//
// Source: Levey AS et al. J Am Soc Nephrol 2000;11:155A (abstract), the
// 4-variable form of Levey AS et al. Ann Intern Med 1999;130:461-470.
// Population: adults (18 years and over) with CKD. Use only for historical
// non-IDMS values; kidney.epi's egfr.mdrd4 and transplantr's mdrd() default to
// this constant.
//
// Inputs are not validated; a sex other than Female or Male returns NaN.
func MDRD186(scrMgDL, age float64, sex Sex, black bool) float64 {
	return mdrd(ln186, scrMgDL, age, sex, black)
}

func mdrd(lnK, scr, age float64, sex Sex, black bool) float64 {
	switch sex {
	case Female:
		lnK += ln0_742
	case Male:
	default:
		return math.NaN()
	}
	if black {
		lnK += ln1_212
	}
	return math.Exp(lnK - 1.154*math.Log(scr) - 0.203*math.Log(age))
}

func mdrdEquation() Equation {
	return adult(Equation{
		Name:   "mdrd",
		Title:  "MDRD 4-variable, IDMS-traceable creatinine (175, legacy)",
		Source: "Levey AS et al. Ann Intern Med 2006;145:247-254",
		Needs:  FieldCreatinine | FieldSex,
		Legacy: true,
		compute: func(c canon) float64 {
			return MDRD(c.scr, c.age, c.sex, c.black)
		},
	})
}

func mdrd186Equation() Equation {
	return adult(Equation{
		Name:   "mdrd-186",
		Title:  "MDRD 4-variable, non-IDMS creatinine (186, legacy)",
		Source: "Levey AS et al. J Am Soc Nephrol 2000;11:155A; Ann Intern Med 1999;130:461-470",
		Needs:  FieldCreatinine | FieldSex,
		Legacy: true,
		compute: func(c canon) float64 {
			return MDRD186(c.scr, c.age, c.sex, c.black)
		},
	})
}
