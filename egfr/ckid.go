package egfr

import (
	"math"

	"renalwatch/units"
)

const (
	ln1_008 = 0.007968169649176881  // math.Log(1.008)
	ln1_045 = 0.04401688541677426   // math.Log(1.045)
	ln1_023 = 0.02273948696948934   // math.Log(1.023)
	ln1_011 = 0.010939940038334263  // math.Log(1.011)
	ln0_960 = -0.040821994520255166 // math.Log(0.960)
	ln1_004 = 0.003992021269537457  // math.Log(1.004)
	ln0_974 = -0.026343975339601977 // math.Log(0.974)
	ln39_0  = 3.6635616461296463    // math.Log(39.0)
	ln36_1  = 3.586292865338835     // math.Log(36.1)
	ln87_2  = 4.468204330914934     // math.Log(87.2)
	ln79_9  = 4.380775852772229     // math.Log(79.9)
)

// CKiDU25Cr returns eGFR in mL/min/1.73 m2 by the CKiD U25 creatinine
// equation, eGFR = K x height(m) / Scr(mg/dL), with K by sex and age:
//
//	male:   age < 12: 39.0 x 1.008^(age-12); 12 <= age < 18: 39.0 x 1.045^(age-12); 18+: 50.8
//	female: age < 12: 36.1 x 1.008^(age-12); 12 <= age < 18: 36.1 x 1.023^(age-12); 18+: 41.4
//
// Source: Pierce CB et al. Age- and sex-dependent clinical equations to
// estimate glomerular filtration rates in children and young adults with
// chronic kidney disease. Kidney Int 2021;99:948-956,
// doi:10.1016/j.kint.2020.10.047; K as in the CKiD study's own R, SAS and
// Stata code (github.com/ckidstudy/CKiD_U25). Population: 1-25 years.
// kidney.epi uses constant K 41.8 (male) / 37.6 (female) from 15 to 18 years,
// which differs from the CKiD code.
//
// heightCm is in cm. Inputs are not validated; a sex other than Female or
// Male returns NaN.
func CKiDU25Cr(scrMgDL, heightCm, age float64, sex Sex) float64 {
	k := ckidKCr(age, sex)
	return k * heightCm / (100 * scrMgDL)
}

// CKiDU25Cys returns eGFR in mL/min/1.73 m2 by the CKiD U25 cystatin C
// equation, eGFR = K / CysC(mg/L), with K by sex and age:
//
//	male:   age < 15: 87.2 x 1.011^(age-15); 15 <= age < 18: 87.2 x 0.960^(age-15); 18+: 77.1
//	female: age < 12: 79.9 x 1.004^(age-12); 12 <= age < 18: 79.9 x 0.974^(age-12); 18+: 68.3
//
// Source: Pierce CB et al. Kidney Int 2021;99:948-956,
// doi:10.1016/j.kint.2020.10.047, K as in the CKiD study's code. Population:
// 1-25 years. Cystatin C must be IFCC-calibrated (a non-calibrated Siemens
// value x 1.17 approximates it, per CKiD). kidney.epi uses 41.4 (the
// creatinine K) for women 18 and over instead of 68.3.
//
// Inputs are not validated; a sex other than Female or Male returns NaN.
func CKiDU25Cys(cysMgL, age float64, sex Sex) float64 {
	return ckidKCys(age, sex) / cysMgL
}

// CKiDU25Avg returns the mean of CKiDU25Cr and CKiDU25Cys, the combined CKiD
// U25 estimate (Pierce 2021; CKiD code "eGFRU25ave").
func CKiDU25Avg(scrMgDL, cysMgL, heightCm, age float64, sex Sex) float64 {
	return (CKiDU25Cr(scrMgDL, heightCm, age, sex) + CKiDU25Cys(cysMgL, age, sex)) / 2
}

// ckidKCr is the CKiD U25 creatinine K; NaN for an invalid sex.
func ckidKCr(age float64, sex Sex) float64 {
	switch {
	case sex == Male && age < 12:
		return math.Exp(ln39_0 + (age-12)*ln1_008)
	case sex == Male && age < 18:
		return math.Exp(ln39_0 + (age-12)*ln1_045)
	case sex == Male:
		return 50.8
	case sex == Female && age < 12:
		return math.Exp(ln36_1 + (age-12)*ln1_008)
	case sex == Female && age < 18:
		return math.Exp(ln36_1 + (age-12)*ln1_023)
	case sex == Female:
		return 41.4
	}
	return math.NaN()
}

// ckidKCys is the CKiD U25 cystatin C K; NaN for an invalid sex. Note the
// male split at 15 years, the female one at 12.
func ckidKCys(age float64, sex Sex) float64 {
	switch {
	case sex == Male && age < 15:
		return math.Exp(ln87_2 + (age-15)*ln1_011)
	case sex == Male && age < 18:
		return math.Exp(ln87_2 + (age-15)*ln0_960)
	case sex == Male:
		return 77.1
	case sex == Female && age < 12:
		return math.Exp(ln79_9 + (age-12)*ln1_004)
	case sex == Female && age < 18:
		return math.Exp(ln79_9 + (age-12)*ln0_974)
	case sex == Female:
		return 68.3
	}
	return math.NaN()
}

func ckid(e Equation) Equation {
	e.Source = "Pierce CB et al. Kidney Int 2021;99:948-956, doi:10.1016/j.kint.2020.10.047"
	e.Population = "children and young adults aged 1-25 years"
	e.Unit = units.MLPerMinBSA
	e.MinAge, e.MaxAge = 1, 26
	// Name an adult alternative that uses the same markers.
	switch cr, cys := e.Needs&FieldCreatinine != 0, e.Needs&FieldCystatinC != 0; {
	case cr && cys:
		e.olderAlt = "ckd-epi-2021-cys"
	case cys:
		e.olderAlt = "ckd-epi-2012-cys or ekfc-cys"
	default:
		e.olderAlt = "ckd-epi-2021"
	}
	return e
}

func ckidU25CrEquation() Equation {
	return ckid(Equation{
		Name:  "ckid-u25",
		Title: "CKiD U25 creatinine",
		Needs: FieldCreatinine | FieldHeight | FieldSex,
		compute: func(c canon) float64 {
			return CKiDU25Cr(c.scr, c.height, c.age, c.sex)
		},
	})
}

func ckidU25CysEquation() Equation {
	return ckid(Equation{
		Name:  "ckid-u25-cys",
		Title: "CKiD U25 cystatin C",
		Needs: FieldCystatinC | FieldSex,
		compute: func(c canon) float64 {
			return CKiDU25Cys(c.cys, c.age, c.sex)
		},
	})
}

func ckidU25AvgEquation() Equation {
	return ckid(Equation{
		Name:  "ckid-u25-avg",
		Title: "CKiD U25 creatinine-cystatin C (mean of the two estimates)",
		Needs: FieldCreatinine | FieldCystatinC | FieldHeight | FieldSex,
		compute: func(c canon) float64 {
			return CKiDU25Avg(c.scr, c.cys, c.height, c.age, c.sex)
		},
	})
}
