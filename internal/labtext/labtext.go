// Package labtext formats measured values as a clinical laboratory
// reports them: the one table of display precision by analyte and unit
// (docs/report.md, "Numbers in human text"). It is shared by the
// assessment's messages (package assess) and the text layer
// (internal/textfmt), so a value reads the same in an alert and in the
// labs table.
package labtext

import (
	"math"
	"strconv"
	"strings"

	"renalwatch/units"
)

// labDecimals is the one table of display precision for measured values:
// the decimals a clinical laboratory reports each analyte with, by the
// unit shown. A laboratory reports a value to the precision its assay
// resolves; more digits than the assay's analytical precision mislead (an
// imported creatinine of 2.68112 mg/dL claims a precision of 0.00001 mg/dL
// that no assay has; a blood pressure of 191.108 mmHg, 0.001 mmHg). The
// decimals are those of routine laboratory reports and of the guideline
// thresholds quoted against them (KDIGO 2012 CKD: creatinine 0.01 mg/dL,
// whole µmol/L; KDIGO 2024 CKD: ACR whole mg/g, 0.1 mg/mmol; KDIGO 2012
// anaemia: Hb 0.1 g/dL; KDIGO 2021 BP: whole mmHg). A unit not listed for
// its analyte falls back to 6 significant digits.
var labDecimals = map[units.Analyte]map[units.Unit]int{
	units.SystolicBP:  {units.MmHg: 0},
	units.DiastolicBP: {units.MmHg: 0},
	units.Creatinine:  {units.MgPerDL: 2, units.UmolPerL: 0, units.MmolPerL: 2},
	units.CystatinC:   {units.MgPerL: 2},
	units.Hemoglobin:  {units.GPerDL: 1, units.GPerL: 0},
	units.Potassium:   {units.MmolPerL: 1, units.MeqPerL: 1},
	units.Bicarbonate: {units.MmolPerL: 1, units.MeqPerL: 1},
	units.Albumin:     {units.GPerDL: 1, units.GPerL: 0},
	units.ACR:         {units.MgPerG: 0, units.MgPerMmol: 1, units.GPerG: 2},
	units.PCR:         {units.MgPerG: 0, units.MgPerMmol: 1, units.GPerG: 2},
	units.UrineRBC:    {units.PerHPF: 0},
	units.UrineWBC:    {units.PerHPF: 0},
	units.C3:          {units.MgPerDL: 0, units.GPerL: 2},
	units.C4:          {units.MgPerDL: 0, units.GPerL: 2},
	units.AntiDsDNA:   {units.IUPerML: 0},
}

// Decimals is the number of decimals of analyte an in unit u
// (labDecimals), and whether the table lists it.
func Decimals(an units.Analyte, u units.Unit) (int, bool) {
	d, ok := labDecimals[an][u]
	return d, ok
}

// Lab formats a measured value v of analyte an in unit u at the
// analyte's laboratory reporting precision (labDecimals), keeping its
// trailing zeros as a laboratory prints them ("1.10", "13.0"). A value
// that is not zero never reads 0: it keeps one significant digit (an ACR
// of 0.4 mg/g reads "0.4"). A unit the table does not list gets 6 significant digits.
func Lab(an units.Analyte, v float64, u units.Unit) string {
	d, ok := Decimals(an, u)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return Sig(v, 6)
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if r, _ := strconv.ParseFloat(s, 64); r == 0 {
		if v == 0 {
			return strconv.FormatFloat(0, 'f', d, 64)
		}
		return Sig(v, 1)
	}
	return s
}

// LabQ is Lab with the unit in its display spelling: "2.68 mg/dL".
func LabQ(an units.Analyte, q units.Quantity) string {
	return Lab(an, q.Value, q.Unit) + " " + q.Unit.Display()
}

// Sig formats v for people: at most sig significant digits, no exponent,
// no trailing zeros (106.08000000000001 -> "106.08").
func Sig(v float64, sig int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', sig, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// Digits formats v for people at exactly sig significant digits, trailing
// zeros kept and no exponent: 91.1 at 4 reads "91.10", 537.892 "537.9",
// 12346 "12350", 120 "120.0". For a computed value the policy shows at N
// significant digits (docs/report.md, "Numbers in human text": an ACR
// estimated from a PCR at 4), where "91.1" beside "84.12" would claim one
// digit less than its neighbours. Sig (at most sig digits) stays for the
// rows that say "at most". 0, NaN and infinities read as Sig reads them.
func Digits(v float64, sig int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) || sig < 1 {
		return Sig(v, sig)
	}
	// The exponent after rounding ("9.9995" at 4 is "1.000e+01").
	e := strconv.FormatFloat(v, 'e', sig-1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	r, _ := strconv.ParseFloat(e, 64)
	return strconv.FormatFloat(r, 'f', max(sig-1-exp, 0), 64)
}

// Estimated formats a value estimated by an equation rather than measured
// (an ACR estimated from a PCR by Sumida's equation): 4 significant
// digits, trailing zeros kept (docs/report.md, "Numbers in human text"),
// in whichever unit it is shown: "91.10 mg/mmol", "805.1 mg/g".
func Estimated(v float64) string { return Digits(v, 4) }

// KeepsSide reports whether s, the text a number v is shown as, reads back
// as a number on the same side of each of bounds as v, and on a bound only
// when v is: a message that compares v with a bound must not show it
// rounded onto or across the bound (Hb 11.96 g/dL "below 12" read "12.0";
// a decline of 10.04% "more than 10%" read "10%"). Text that is not a
// number does not keep its side.
func KeepsSide(v float64, s string, bounds ...float64) bool {
	r, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return false
	}
	for _, b := range bounds {
		if (v < b) != (r < b) || (v == b) != (r == b) {
			return false
		}
	}
	return true
}

// Pct formats a percentage change or difference p, in percent, for human
// text (docs/report.md, "Numbers in human text"): a whole percent ("8",
// "-22"), as a clinician reads a change; more digits than the values it
// was computed from resolve mislead ("8.296% higher"). A change that is
// not 0 never reads 0 (1 significant digit: "0.3", "-0.4"). When the
// message compares p with bounds and the whole percent would lie onto or
// across one (KeepsSide: a decline of 10.04% next to "no more than 10%"),
// p keeps the fewest decimals that keep it on its side ("10.04", and
// 15.47 next to 15 reads "15.5"), at most 6 significant digits, as a
// measured value next to a bound does (labq). The caller writes the "%"
// and the direction.
func Pct(p float64, bounds ...float64) string {
	if p == 0 || math.IsNaN(p) || math.IsInf(p, 0) {
		return Sig(p, 6)
	}
	s := strconv.FormatFloat(p, 'f', 0, 64)
	if r, _ := strconv.ParseFloat(s, 64); r == 0 {
		s = Sig(p, 1)
	}
	// the decimals of 6 significant digits
	d6 := 5 - int(math.Floor(math.Log10(math.Abs(p))))
	for d := 1; d < d6 && !KeepsSide(p, s, bounds...); d++ {
		s = strconv.FormatFloat(p, 'f', d, 64)
	}
	if !KeepsSide(p, s, bounds...) {
		return Sig(p, 6)
	}
	return s
}

// Converted formats a value of analyte an converted to unit u for display
// only (a unit system other than the unit of report: --units, the
// dashboard's SI switch): at the laboratory reporting precision of u
// (labDecimals, as a laboratory reporting in u would print it: creatinine
// whole µmol/L, ACR 1 decimal mg/mmol), but with no more than 3
// significant digits, because the conversion adds no precision (UPCR 1.80
// g/g is 203.6 mg/mmol exactly; it reads "204", not "203.6"). A unit the
// table does not list gets 3 significant digits; a value that is not zero
// never reads 0.
func Converted(an units.Analyte, v float64, u units.Unit) string {
	d, ok := Decimals(an, u)
	if !ok || v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return Sig(v, 3)
	}
	// Decimals that keep 3 significant digits: 203.6 -> 0, 50.388 -> 1.
	if d3 := 2 - int(math.Floor(math.Log10(math.Abs(v)))); d3 < d {
		d = max(d3, 0)
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if r, _ := strconv.ParseFloat(s, 64); r == 0 {
		return Sig(v, 1)
	}
	return s
}

// Count writes a count with its noun, singular for exactly one and plural
// otherwise: Count(1, "year") is "1 year", Count(2, "year") "2 years",
// Count(0, "patient") "0 patients". It is the one place human text forms a
// plural of a counted noun (the report, the patient list, the cohort
// summary and the assessment's messages all call it), so none reads
// "1 years". The plural adds "s"; nouns with another plural are given
// through CountAs.
func Count[N int | int64](n N, noun string) string {
	return CountAs(n, noun, noun+"s")
}

// CountAs is Count with an explicit plural: CountAs(1, "analysis",
// "analyses") is "1 analysis".
func CountAs[N int | int64](n N, one, many string) string {
	return strconv.FormatInt(int64(n), 10) + " " + Noun(n, one, many)
}

// Noun is the noun alone, one for exactly 1 and many otherwise, for a
// count written elsewhere (with digit grouping, "1,204 patients").
func Noun[N int | int64](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// SameDecimals formats each of vs at one number of decimals: the decimals
// that give the largest of them in magnitude sig significant digits (no
// fewer than 0), trailing zeros kept, so that an estimate and its
// confidence bounds read at one precision: slope -3.1, CI -4.237 and
// -1.96 read "-3.100", "-4.237", "-1.960" at 4 digits, not "-3.1 (95% CI
// -4.237 to -1.96)". A value that rounds to 0 reads 0, without a sign.
// NaN and infinities read as strconv writes them.
func SameDecimals(sig int, vs ...float64) []string {
	largest := 0.0
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			largest = max(largest, math.Abs(v))
		}
	}
	d := 0
	if largest > 0 {
		d = max(sig-1-int(math.Floor(math.Log10(largest))), 0)
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		s := strconv.FormatFloat(v, 'f', d, 64)
		if r, err := strconv.ParseFloat(s, 64); err == nil && r == 0 {
			s = strings.TrimPrefix(s, "-")
		}
		out[i] = s
	}
	return out
}
