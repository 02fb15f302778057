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
