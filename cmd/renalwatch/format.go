package main

import (
	"fmt"
	"math"
	"strconv"

	"renalwatch/ckd"
	"renalwatch/units"
)

// Rounding policy for human text (docs/report.md, "Numbers"). JSON is never
// rounded: every number in --json and --fhir output is the float the
// computation gave. Text rounds by the kind of number, in one place:
//
//   - measured: a value as measured or entered, or its exact unit
//     conversion: at most 6 significant digits (more than any laboratory
//     reports; cuts conversion noise such as 265.20000000000005).
//   - egfrText: an eGFR headline: a whole number, as KDIGO and NKF advise
//     laboratories to report it (docs/caveats.md, Trap 10); below 1 two
//     significant digits; and when rounding would change the KDIGO G
//     category, the unrounded value follows ("60 (59.66 unrounded)").
//   - percent: a risk (probability): percent with one decimal, "<0.1%" and
//     ">99.9%" rather than rounding a non-zero risk to 0 or 100.
//   - derived: any other computed number (slope, confidence interval,
//     months, change): 4 significant digits, as the assessment's messages
//     (assess, lupus) print them.

// measured formats a value as measured, entered or converted.
func measured(v float64) string { return human(v, 6) }

// measuredQ formats a measured quantity: number (see measured), space, unit.
func measuredQ(q units.Quantity) string { return measured(q.Value) + " " + string(q.Unit) }

// derived formats a computed number other than an eGFR or a risk.
func derived(v float64) string { return human(v, 4) }

// egfrText formats an eGFR in mL/min/1.73 m2 for a headline, followed by
// unit when it is not empty: "27 mL/min/1.73m2", or "60 mL/min/1.73m2
// (59.71 unrounded)" when rounding changes the KDIGO G category.
func egfrText(v float64, unit string) string {
	s := roundReport(v)
	if unit != "" {
		s += " " + unit
	}
	g, err1 := ckd.GCategory(v)
	r, err2 := ckd.GCategory(math.Round(v))
	if err1 == nil && err2 == nil && g != r && v >= 1 {
		s += " (" + derived(v) + " unrounded)"
	}
	return s
}

// roundReport rounds an estimate to a whole number, as KDIGO and NKF advise
// for reports; below 1 it keeps two significant digits rather than print 0.
func roundReport(v float64) string {
	if r := math.Round(v); r >= 1 {
		return human(r, 6)
	}
	return human(v, 2)
}

// percent formats a probability as a percentage with one decimal, saying
// "<0.1%" or ">99.9%" rather than rounding a non-zero risk to 0 or 100.
func percent(p float64) string {
	switch {
	case p > 0 && p < 0.0005:
		return "<0.1%"
	case p < 1 && p >= 0.9995:
		return ">99.9%"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

// human formats a number for people: at most sig significant digits, no
// exponent, no trailing zeros (106.08000000000001 -> "106.08").
func human(v float64, sig int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', sig, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
