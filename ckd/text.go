package ckd

import (
	"math"
	"strconv"
)

// EGFRText formats an eGFR (mL/min/1.73 m²) for human text, without its
// unit: a whole number, as the KDIGO 2012 CKD guideline (recommendations
// 1.4.3.x on laboratory reporting: eGFR rounded to the nearest whole number,
// in mL/min/1.73 m²) advises laboratories to report it (recommendation
// number not re-checked word for word here; the whole-number rule is); below 1, two significant digits rather than 0; and when
// rounding would move the value into another G category, the unrounded
// value (4 significant digits) follows: "60 (59.71 unrounded)", because the
// category is that of the unrounded value (GCategory). It is the one eGFR
// rounding of every text output, the report's header and the assessment's
// alert messages alike (docs/report.md, "Numbers in human text").
func EGFRText(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r := math.Round(v)
	if r < 1 {
		return sig(v, 2)
	}
	s := strconv.FormatFloat(r, 'f', -1, 64)
	g, err1 := GCategory(v)
	gr, err2 := GCategory(r)
	if err1 == nil && err2 == nil && g != gr {
		s += " (" + sig(v, 4) + " unrounded)"
	}
	return s
}

// sig formats v with at most n significant digits and no exponent.
func sig(v float64, n int) string {
	if v == 0 {
		return "0"
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', n, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
