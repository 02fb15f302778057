package assess

import (
	"math"
	"strconv"
	"strings"
	"time"

	"renalwatch/ckd"
	"renalwatch/internal/labtext"
	"renalwatch/record"
	"renalwatch/units"
)

// qtext formats a measured quantity for a message: at most 6 significant
// digits, the rounding policy of human text for a value as measured
// (docs/report.md, "Numbers in human text"): 126.753 mm[Hg], not
// 126.7534862253238. JSON quantities are never rounded.
func qtext(q units.Quantity) string {
	return strconv.FormatFloat(roundSig(q.Value, 6), 'f', -1, 64) + " " + q.Unit.Display()
}

// labq formats a measured quantity of analyte an at the laboratory's
// reporting precision (internal/labtext: the table the report's labs
// table and the dashboard use), so an alert quotes a value as the labs
// table shows it. When rounding would move the value across or onto a
// bound the message compares it with (Hb 11.96 g/dL "below 12" would read
// "12.0"), it keeps 6 significant digits instead (qtext).
func labq(an units.Analyte, q units.Quantity, bounds ...float64) string {
	s := labtext.Lab(an, q.Value, q.Unit)
	if !labtext.KeepsSide(q.Value, s, bounds...) {
		return qtext(q)
	}
	return s + " " + q.Unit.Display()
}

// importNotes returns the importer's notes on o in parentheses, with a
// leading space, or "" when it has none: a value whose unit came from its
// code's definition (a blood pressure without a unit in the source, stored
// as mm[Hg] from LOINC 8480-6) says so wherever it is shown.
func importNotes(o record.Observation) string {
	if len(o.Notes) == 0 {
		return ""
	}
	return " (" + strings.Join(o.Notes, "; ") + ")"
}

// The rows of the text rounding policy (docs/report.md, "Numbers in human
// text") that messages use besides qtext and num; cmd/renalwatch/format.go
// implements the same rows for the report's own lines, and ckd.EGFRText is
// the eGFR row shared by both.

// riskPct formats a probability as a percentage with one decimal, "<0.1%"
// and ">99.9%" rather than 0 or 100: "55.2%".
func riskPct(p float64) string {
	switch {
	case p > 0 && p < 0.0005:
		return "<0.1%"
	case p < 1 && p >= 0.9995:
		return ">99.9%"
	}
	return strconv.FormatFloat(100*p, 'f', 1, 64) + "%"
}

// monthsText formats a duration in months with one decimal: "10.5".
func monthsText(m float64) string { return strconv.FormatFloat(m, 'f', 1, 64) }

// wholeDays formats a duration as whole days: an interval such as "every
// 121.75 days" (a third of a year) reads "122".
func wholeDays(d time.Duration) string {
	return strconv.FormatFloat(math.Round(d.Hours()/24), 'f', 0, 64)
}

// egfrPct formats change(a, b), a percentage computed from the unrounded
// eGFRs a and b that a message quotes in that order, as the message quotes
// it: a whole percent kept on its side of the bounds the message compares
// it with (labtext.Pct). The message prints the eGFRs whole
// (ckd.EGFRText); when those whole values would give another percentage
// (27 and 32 give 16%; the unrounded 27.12 and 32.09, 15%), note is "from
// the unrounded eGFRs 27.12 and 32.09" (4 significant digits, as
// ckd.EGFRText's unrounded value) for the caller to put in parentheses, so
// the text never looks inconsistent; "" otherwise.
func egfrPct(a, b float64, change func(a, b float64) float64, bounds ...float64) (pct, note string) {
	pct = labtext.Pct(change(a, b), bounds...)
	ra, err1 := egfrShown(a)
	rb, err2 := egfrShown(b)
	if err1 == nil && err2 == nil && labtext.Pct(change(ra, rb), bounds...) == pct {
		return pct, ""
	}
	return pct, "from the unrounded eGFRs " + labtext.Sig(a, 4) + " and " + labtext.Sig(b, 4)
}

// egfrShown is the number ckd.EGFRText writes first for v, read back:
// math.Round(v) itself when that is finite and at least 1 (EGFRText writes
// it with FormatFloat 'f' -1, which reads back exactly), else the written
// text read by ParseFloat. It spares egfrPct writing and parsing the text.
func egfrShown(v float64) (float64, error) {
	if r := math.Round(v); r >= 1 && !math.IsInf(r, 0) {
		return r, nil
	}
	return strconv.ParseFloat(leadingNumber(ckd.EGFRText(v)), 64)
}

// pctChange is the change from eGFR from to eGFR to in percent: -20 for
// 40 to 32.
func pctChange(from, to float64) float64 { return 100 * ckd.RelativeChange(from, to) }

// pctBelow is how far eGFR cur lies below eGFR base in percent: 20 for 32
// against 40.
func pctBelow(cur, base float64) float64 { return -pctChange(base, cur) }

// leadingNumber is s up to its first space: the number of "60 (59.71
// unrounded)".
func leadingNumber(s string) string {
	n, _, _ := strings.Cut(s, " ")
	return n
}

// paren is s in parentheses after a space, or "" for "".
func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
