package egfr

import (
	"fmt"
	"strconv"

	"renalwatch/units"
)

// farAboveGFR is the eGFR above which an estimate is far outside human
// physiology: measured GFR in healthy young adults averages about 107 mL/min/
// 1.73 m² (Pottel H et al. Clin Kidney J 2017;10:545-551), by the older
// reference 120-130. 200 is well beyond glomerular
// hyperfiltration (often defined as above 130-140); such a value
// almost always comes from a wrong input (a creatinine in the wrong unit, a
// height in the wrong unit), so it warns.
const farAboveGFR = 200

// ckidInputs are the input ranges the CKiD study's own code gives for the
// CKiD U25 equations (github.com/ckidstudy/CKiD_U25, R/SAS/Stata input
// notes; Pierce CB et al. Kidney Int 2021;99:948-956): height 0.6-2 m,
// creatinine 0.1-10 mg/dL, cystatin C 0.2-8 mg/L.
var ckidInputs = struct{ heightLo, heightHi, scrLo, scrHi, cysLo, cysHi float64 }{60, 200, 0.1, 10, 0.2, 8}

// rangeWarnings says when an estimate or its inputs lie outside what the
// equation was developed on or what is physiologically possible: an eGFR
// far above the physiological range, a CKiD U25 input outside the
// equation's stated input range, and a height implausible for the age
// (issue 7 item 15). Ages are checked by ageWarning.
func (e *Equation) rangeWarnings(c canon, v float64) []string {
	var w []string
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	if e.Unit == units.MLPerMinBSA && v > farAboveGFR {
		w = append(w, fmt.Sprintf("eGFR %s mL/min/1.73m2 is far above the physiological range (measured GFR in healthy young adults averages about 107, Pottel 2017; older references give 120-130): check the inputs and their units before using this number", num(v)))
	}
	switch e.Name {
	case "ckid-u25", "ckid-u25-cys", "ckid-u25-avg":
		in := ckidInputs
		out := func(what string, x, lo, hi float64, unit string) {
			if x > 0 && (x < lo || x > hi) {
				w = append(w, fmt.Sprintf("%s %s %s is outside the input range of the CKiD U25 equations (%s-%s %s, CKiD study code; Pierce 2021)", what, num(x), unit, num(lo), num(hi), unit))
			}
		}
		out("height", c.height, in.heightLo, in.heightHi, "cm")
		out("creatinine", c.scr, in.scrLo, in.scrHi, "mg/dL")
		out("cystatin C", c.cys, in.cysLo, in.cysHi, "mg/L")
	}
	if c.height > 0 {
		if s := heightForAge(c.height, c.age, c.sex); s != "" {
			w = append(w, s)
		}
	}
	return w
}

// heightForAge warns when a height is implausible for the age and sex
// (modified z-score beyond ±6 against the 2000 CDC length/stature-for-age
// charts, birth to 19 years). Without a sex the height warns only when it
// is implausible for both.
func heightForAge(heightCm, age float64, sex Sex) string {
	sexes := map[Sex][]int{Male: {0}, Female: {1}}[sex]
	who := map[Sex]string{Male: "a boy", Female: "a girl"}[sex]
	if sexes == nil {
		sexes, who = []int{0, 1}, "a child"
	}
	var z float64
	for i, s := range sexes {
		zs, ok := heightZ(heightCm, age, s)
		if !ok {
			return ""
		}
		if i == 0 || abs(zs) < abs(z) {
			z = zs
		}
	}
	if abs(z) <= implausibleHeightZ {
		return ""
	}
	return fmt.Sprintf("height %s cm is implausible for %s aged %s years (modified z-score %+.1f against the CDC 2000 growth charts; beyond ±6 is a biologically implausible value, WHO): check the height and its unit; an estimate from it is not reliable",
		strconv.FormatFloat(heightCm, 'g', 4, 64), who, strconv.FormatFloat(age, 'g', 3, 64), z)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
