package main

import (
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// The rounding policy for human text is package internal/textfmt
// (docs/report.md, "Numbers in human text"), shared with the dashboard
// (package server). These names keep the command's call sites short.
//
//   - change (latest labs): the difference of the values as shown, at
//     the precision of the latest value, signed (textfmt.ShownChange).

func measured(v float64) string         { return textfmt.Measured(v) }
func measuredQ(q units.Quantity) string { return textfmt.MeasuredQ(q) }
func converted(an units.Analyte, v float64, u units.Unit) string {
	return textfmt.Converted(an, v, u)
}
func derived(v float64) string               { return textfmt.Derived(v) }
func estimated(v float64) string             { return textfmt.Estimated(v) }
func egfrText(v float64, unit string) string { return textfmt.EGFR(v, unit) }
func roundReport(v float64) string           { return textfmt.RoundReport(v) }
func percent(p float64) string               { return textfmt.Percent(p) }
