package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

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
//   - converted: a value converted to another unit for display only
//     (--units si or conventional): 3 significant digits.
//   - change (latest labs): the difference of the unrounded values, to
//     the decimals the latest value is shown with.
//   - monthsText: months (since the start of therapy): one decimal.
//   - slopeText: an eGFR slope and its 95% CI: derived, with its unit.
//   - derived: any other computed number (a change, a ratio): 4
//     significant digits, as the assessment's messages (assess, lupus)
//     print them.
//
// Units are spelled by units.Unit.Display ("mmHg", "mL/min/1.73 m²"), the
// one table of display spellings; --units picks the unit (display.go).

// measured formats a value as measured, entered or converted.
func measured(v float64) string { return human(v, 6) }

// measuredQ formats a measured quantity: number (see measured), space, unit
// in its display spelling (units.Unit.Display: "mmHg", not "mm[Hg]").
func measuredQ(q units.Quantity) string { return measured(q.Value) + " " + q.Unit.Display() }

// converted formats a value converted to another unit for display only
// (--units): 3 significant digits.
func converted(v float64) string { return human(v, 3) }

// derived formats a computed number other than an eGFR or a risk.
func derived(v float64) string { return human(v, 4) }

// egfrText formats an eGFR in mL/min/1.73 m² for a headline, followed by
// unit when it is not empty: "27 mL/min/1.73 m²", or "60 mL/min/1.73 m²
// (59.71 unrounded)" when rounding changes the KDIGO G category. The
// rounding is ckd.EGFRText, which the assessment's alert messages use too,
// so an eGFR reads the same in the header and in an alert.
func egfrText(v float64, unit string) string {
	s := ckd.EGFRText(v)
	if unit == "" {
		return s
	}
	if i := strings.Index(s, " ("); i >= 0 {
		return s[:i] + " " + unit + s[i:]
	}
	return s + " " + unit
}

// roundReport rounds an estimate to a whole number, as KDIGO and NKF advise
// for reports; below 1 it keeps two significant digits rather than print 0.
func roundReport(v float64) string {
	if r := math.Round(v); r >= 1 {
		return human(r, 6)
	}
	return human(v, 2)
}

// monthsText formats a time in months with one decimal ("10.5"): months
// since the start of therapy are read to the week, not to the hour.
func monthsText(m float64) string { return strconv.FormatFloat(m, 'f', 1, 64) }

// slopeText formats an eGFR slope with its unit and 95% CI, at 4
// significant digits as the rapid-progression alert message writes it:
// "-16.44 mL/min/1.73 m²/year (95% CI -20.45 to -12.43)".
func slopeText(perYear float64, ci [2]float64) string {
	return derived(perYear) + " " + units.MLPerMinBSA.Display() + "/year (95% CI " + derived(ci[0]) + " to " + derived(ci[1]) + ")"
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
