// Package textfmt is the one rounding policy of RenalWatch's human text:
// the text report and calculators of cmd/renalwatch and the dashboard of
// package server print numbers through it, so a value reads the same on
// the terminal and on the page (docs/report.md, "Numbers in human text").
// JSON is never rounded: every number in --json, --fhir and the API is the
// float the computation gave. Text rounds by the kind of number:
//
//   - Lab: a measured value in the report, the patients list and the
//     dashboard: its analyte's laboratory reporting precision in the unit
//     shown (package labtext: creatinine 2.68 mg/dL, blood pressure 191 mmHg,
//     Hb 13.2 g/dL), never 0 for a value that is not 0; its change from
//     the previous value at the same precision, signed (ShownChange).
//   - Measured: a value entered (calculator inputs, convert), a bound
//     as the laboratory wrote it ("<3"), or a measured value in a unit
//     the labtext table does not list: at most 6 significant digits (cuts
//     conversion noise such as 265.20000000000005).
//   - EGFR: an eGFR: a whole number, as KDIGO and NKF advise laboratories
//     to report it (docs/caveats.md, Trap 10); below 1 two significant
//     digits; and when rounding would change the KDIGO G category, the
//     unrounded value follows ("60 (59.66 unrounded)"). This is
//     ckd.EGFRText, which the assessment's alert messages use too.
//   - Percent: a risk (probability): percent with one decimal, "<0.1%" and
//     ">99.9%" rather than rounding a non-zero risk to 0 or 100.
//   - Converted: a value converted to another unit for display only
//     (--units, the dashboard's SI switch): the laboratory precision of
//     the unit shown, at most 3 significant digits (labtext.Converted).
//   - Months: months (since the start of therapy): one decimal.
//   - Slope: an eGFR slope and its 95% CI, with its unit: 4 significant
//     digits for the largest of the three in magnitude, and the slope and
//     both bounds at those decimals (labtext.SameDecimals), so the interval
//     reads at the slope's precision: "25.26 (95% CI 9.33 to 41.19)", not
//     "25.26 (95% CI 9.327 to 41.19)".
//   - Pct: a percentage change or difference ("8% higher", "15% below
//     baseline"): a whole percent; where the text compares it with a bound
//     and rounding would move it onto or across the bound, the fewest
//     decimals that keep it on its side (labtext.Pct, as the assessment's
//     messages print it).
//   - Derived: any other computed number (a ratio, an ACR estimated
//     from a PCR, in any unit): 4 significant digits, as the assessment's
//     messages (assess, lupus) print them.
//
// Units are spelled by units.Unit.Display ("mmHg", "mL/min/1.73 m²"), the
// one table of display spellings. The package does no I/O.
package textfmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"renalwatch/ckd"
	"renalwatch/internal/labtext"
	"renalwatch/units"
)

// Measured formats a value as measured, entered or exactly converted.
func Measured(v float64) string { return Human(v, 6) }

// MeasuredQ formats a measured quantity: number (see Measured), space,
// unit in its display spelling (units.Unit.Display: "mmHg", not "mm[Hg]").
func MeasuredQ(q units.Quantity) string { return Measured(q.Value) + " " + q.Unit.Display() }

// Converted formats a value of analyte an converted to unit u for display
// only: the laboratory precision of u, at most 3 significant digits
// (labtext.Converted).
func Converted(an units.Analyte, v float64, u units.Unit) string {
	return labtext.Converted(an, v, u)
}

// Pct formats a percentage change or difference, in percent: a whole
// percent, with more decimals only where the text compares it with one of
// bounds and rounding would move it onto or across it (labtext.Pct).
func Pct(p float64, bounds ...float64) string { return labtext.Pct(p, bounds...) }

// Derived formats a computed number other than an eGFR or a risk.
func Derived(v float64) string { return Human(v, 4) }

// Estimated formats a value estimated, not measured (an ACR from a PCR):
// 4 significant digits, trailing zeros kept (labtext.Estimated).
func Estimated(v float64) string { return labtext.Estimated(v) }

// EGFR formats an eGFR in mL/min/1.73 m², followed by unit when it is not
// empty: "27 mL/min/1.73 m²", or "60 mL/min/1.73 m² (59.71 unrounded)"
// when rounding changes the KDIGO G category (ckd.EGFRText).
func EGFR(v float64, unit string) string {
	s := ckd.EGFRText(v)
	if unit == "" {
		return s
	}
	if i := strings.Index(s, " ("); i >= 0 {
		return s[:i] + " " + unit + s[i:]
	}
	return s + " " + unit
}

// RoundReport rounds an estimate to a whole number, as KDIGO and NKF
// advise for reports; below 1 it keeps two significant digits rather than
// print 0.
func RoundReport(v float64) string {
	if r := math.Round(v); r >= 1 {
		return Human(r, 6)
	}
	return Human(v, 2)
}

// Months formats a time in months with one decimal ("10.5"): months since
// the start of therapy are read to the week, not to the hour.
func Months(m float64) string { return strconv.FormatFloat(m, 'f', 1, 64) }

// Slope formats an eGFR slope with its unit and 95% CI as the
// rapid-progression alert message writes it: the slope and both bounds at
// one number of decimals, those that give the largest of the three 4
// significant digits (labtext.SameDecimals): "-16.44 mL/min/1.73 m²/year
// (95% CI -20.45 to -12.43)", "6.77 … (95% CI -2.53 to 16.07)". Without an
// interval (ci nil) the slope has 4 significant digits and note says why
// there is none (assess.Slope.CINote): never a zero-width interval.
func Slope(perYear float64, ci *[2]float64, note string) string {
	u := " " + units.MLPerMinBSA.Display() + "/year ("
	if ci == nil {
		return Derived(perYear) + u + note + ")"
	}
	n := labtext.SameDecimals(4, perYear, ci[0], ci[1])
	return n[0] + u + "95% CI " + n[1] + " to " + n[2] + ")"
}

// Percent formats a probability as a percentage with one decimal, saying
// "<0.1%" or ">99.9%" rather than rounding a non-zero risk to 0 or 100.
func Percent(p float64) string {
	switch {
	case p > 0 && p < 0.0005:
		return "<0.1%"
	case p < 1 && p >= 0.9995:
		return ">99.9%"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

// Human formats a number for people: at most sig significant digits, no
// exponent, no trailing zeros (106.08000000000001 -> "106.08").
func Human(v float64, sig int) string { return labtext.Sig(v, sig) }
