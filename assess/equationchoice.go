package assess

// CreatinineEquation returns the creatinine equation c assigns to a patient
// aged wholeYears completed years at the sample: ChildEquation below 18
// years, AdultEquation from 18. CKD-EPI 2021 (the default adult equation) was
// developed and validated in adults 18 years and over (Inker LA et al. N Engl
// J Med 2021;385:1737-49); CKiD U25 (the default child equation) from 1 to 25
// years (Pierce CB et al. Kidney Int 2021;99:948-956). The assessment and the
// egfr calculator both choose through this function.
func (c Config) CreatinineEquation(wholeYears int) string {
	if wholeYears < 18 {
		return c.ChildEquation
	}
	return c.AdultEquation
}

// CystatinFallback returns the cystatin C equation used instead of the
// child creatinine equation crEq when no height is known: CKiD U25 has a
// cystatin C equation that needs no height (Pierce 2021), the others have
// none (""). The assessment and the egfr calculator both fall back through
// this function.
func CystatinFallback(crEq string) string {
	if crEq == "ckid-u25" {
		return "ckid-u25-cys"
	}
	return ""
}

// CombinedEquation returns the creatinine-cystatin C equation c uses for a
// creatinine with a cystatin C of the same day at wholeYears completed
// years: AdultCystatinEquation from 18 years ("" when switched off), and ""
// below 18, where the report keeps the child creatinine equation (and
// CystatinFallback without a height). KDIGO 2024 (Kidney Int
// 2024;105(4S):S117-S314) Recommendation 1.1.2.1: in adults, where cystatin
// C is available the GFR category is estimated from creatinine and
// cystatin C together (eGFRcr-cys); Recommendation 1.2.2.1: eGFRcr-cys
// where eGFRcr is less accurate and GFR affects clinical decisions. The
// assessment and the egfr calculator both choose through this function.
func (c Config) CombinedEquation(wholeYears int) string {
	if wholeYears < 18 {
		return ""
	}
	return c.AdultCystatinEquation
}
