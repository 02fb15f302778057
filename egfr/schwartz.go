package egfr

import "renalwatch/units"

// Schwartz returns eGFR in mL/min/1.73 m2 by the bedside Schwartz equation,
//
//	0.413 x height(cm) / Scr(mg/dL)   (= 36.5 x height(cm) / Scr(umol/L))
//
// Source: Schwartz GJ et al. New equations to estimate GFR in children with
// CKD. J Am Soc Nephrol 2009;20:629-637, doi:10.1681/ASN.2008030287.
// Population: children 1-17 years with CKD, IDMS-traceable (enzymatic)
// creatinine. It needs no sex or age; age only decides whether it applies.
//
// Inputs are not validated.
func Schwartz(scrMgDL, heightCm float64) float64 {
	return 0.413 * heightCm / scrMgDL
}

func schwartzEquation() Equation {
	return Equation{
		Name:       "schwartz",
		Title:      "bedside Schwartz (2009)",
		Source:     "Schwartz GJ et al. J Am Soc Nephrol 2009;20:629-637, doi:10.1681/ASN.2008030287",
		Population: "children aged 1-17 years",
		Needs:      FieldCreatinine | FieldHeight,
		Unit:       units.MLPerMinBSA,
		MinAge:     1,
		MaxAge:     18,
		olderAlt:   "ckid-u25 (to 25 years) or ckd-epi-2021",
		compute: func(c canon) float64 {
			return Schwartz(c.scr, c.height)
		},
	}
}
