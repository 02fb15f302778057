package egfr

import (
	"math"

	"renalwatch/units"
)

const (
	ln107_3 = 4.675628649636653    // math.Log(107.3)
	ln0_990 = -0.01005033585350145 // math.Log(0.990)
	ln62    = 4.127134385045092    // math.Log(62), adult female Q in umol/L
	ln80    = 4.382026634673881    // math.Log(80), adult male Q in umol/L
	ln88_4  = 4.481871969643597    // math.Log(88.4), umol/L per mg/dL of creatinine
)

// EKFC returns eGFR in mL/min/1.73 m2 by the European Kidney Function
// Consortium creatinine equation:
//
//	107.3 x (Scr/Q)^a x 0.990^(age-40) [only when age > 40]
//	a = -0.322 when Scr/Q < 1, else -1.132
//
// Q is the median creatinine of healthy people of that age and sex, defined in
// umol/L: for age > 25, 62 (female) and 80 (male) umol/L (0.7014 and 0.9050
// mg/dL; the rounded 0.70/0.90 mg/dL that some implementations use differ by
// up to 0.6 %); for 2-25 years ln Q is a polynomial in age:
//
//	male:   ln Q = 3.200 + 0.259 age - 0.543 ln(age) - 0.00763 age^2 + 0.0000790 age^3
//	female: ln Q = 3.080 + 0.177 age - 0.223 ln(age) - 0.00596 age^2 + 0.0000686 age^3
//
// Source: Pottel H et al. Development and validation of a modified full age
// spectrum creatinine-based equation to estimate glomerular filtration rate.
// Ann Intern Med 2021;174:183-191, doi:10.7326/M20-4366. Population: full
// age spectrum from 2 years, developed in European cohorts (the Q values for
// people of African descent are not implemented).
//
// Inputs are not validated; a sex other than Female or Male returns NaN.
func EKFC(scrMgDL, age float64, sex Sex) float64 {
	var lnQ float64 // ln Q in umol/L
	switch {
	case sex != Female && sex != Male:
		return math.NaN()
	case age > 25 && sex == Female:
		lnQ = ln62
	case age > 25:
		lnQ = ln80
	case sex == Female:
		lnQ = 3.080 + age*(0.177+age*(-0.00596+age*0.0000686)) - 0.223*math.Log(age)
	default:
		lnQ = 3.200 + age*(0.259+age*(-0.00763+age*0.0000790)) - 0.543*math.Log(age)
	}
	// ln(Scr/Q) with Scr in mg/dL and Q in umol/L.
	lx := math.Log(scrMgDL) + ln88_4 - lnQ
	return ekfcFrom(lx, age)
}

// EKFCCys returns eGFR in mL/min/1.73 m2 by the EKFC cystatin C equation,
// which needs neither sex nor race:
//
//	107.3 x (Scys/Q)^a x 0.990^(age-40) [only when age > 40], a as in EKFC
//	Q = 0.83 mg/L up to 50 years; 0.83 + 0.005 x (age - 50) above 50
//
// Source: Pottel H, Björk J, Rule AD, et al. Cystatin C-based equation to
// estimate GFR without the inclusion of race and sex. N Engl J Med
// 2023;388:333-343, doi:10.1056/NEJMoa2203769. Population: adults; a later
// paediatric validation (Pottel et al., about 2024) keeps Q = 0.83 mg/L from 2
// years, which this function follows.
//
// cysMgL is IFCC/ERM-DA471-calibrated cystatin C in mg/L. Inputs are not
// validated.
func EKFCCys(cysMgL, age float64) float64 {
	q := 0.83
	if age > 50 {
		q = 0.83 + 0.005*(age-50)
	}
	// One logarithm of the ratio rather than two (ln Scys - ln Q).
	return ekfcFrom(math.Log(cysMgL/q), age)
}

// ekfcFrom finishes the EKFC form from lx = ln(marker/Q).
func ekfcFrom(lx, age float64) float64 {
	a := -1.132
	if lx < 0 {
		a = -0.322
	}
	s := ln107_3 + a*lx
	if age > 40 {
		s += (age - 40) * ln0_990
	}
	return math.Exp(s)
}

func ekfcEquation() Equation {
	return Equation{
		Name:       "ekfc",
		Title:      "EKFC creatinine (European Kidney Function Consortium)",
		Source:     "Pottel H et al. Ann Intern Med 2021;174:183-191, doi:10.7326/M20-4366",
		Population: "the full age spectrum from 2 years",
		Needs:      FieldCreatinine | FieldSex,
		Unit:       units.MLPerMinBSA,
		MinAge:     2,
		compute: func(c canon) float64 {
			return EKFC(c.scr, c.age, c.sex)
		},
	}
}

func ekfcCysEquation() Equation {
	return Equation{
		Name:       "ekfc-cys",
		Title:      "EKFC cystatin C (sex- and race-free)",
		Source:     "Pottel H et al. N Engl J Med 2023;388:333-343, doi:10.1056/NEJMoa2203769",
		Population: "the full age spectrum from 2 years (paediatric extension keeps Q = 0.83 mg/L)",
		Needs:      FieldCystatinC,
		Unit:       units.MLPerMinBSA,
		MinAge:     2,
		compute: func(c canon) float64 {
			return EKFCCys(c.cys, c.age)
		},
	}
}
