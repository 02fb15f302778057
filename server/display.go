package server

import (
	"html/template"
	"regexp"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// Units are shown by units.Unit.Display, the one table of display
// spellings, and numbers by the rounding policy of internal/textfmt (the
// text report's): never by editing a UCUM string or by a policy of the
// server's own.

// siUnit is the SI unit shown by the units switch: textfmt.SIUnits, the
// table `renalwatch report --units si` uses too (creatinine mg/dL →
// µmol/L, complement mg/dL → g/L, …); analytes not listed are shown as
// reported in both modes.
var siUnit = textfmt.SIUnits

// siShow is q, a value of analyte an, in the SI unit of the units switch
// (siUnit), or q unchanged when the analyte has none or the conversion is
// not defined: how the patient page shows the values its alert messages
// quote under ?units=si (assess.Alert.MessageIn).
func siShow(an units.Analyte, q units.Quantity) units.Quantity {
	return textfmt.ShowIn(siUnit, an, q)
}

// alertsInSI returns a copy of alerts whose messages quote their values
// and thresholds in SI units (siShow), as the page's SI column shows them,
// a renal flare's UPCRs as the flare line does (textfmt.AlertsIn).
func alertsInSI(alerts []assess.Alert, flares []assess.FlareEvent) []assess.Alert {
	return textfmt.AlertsIn(alerts, flares, textfmt.Display{Convert: siShow})
}

// isoDate matches a calendar date as the pages write it (2026-09-10).
var isoDate = regexp.MustCompile(`\b\d{4}-\d\d-\d\d\b`)

// keepDates is s, escaped, with each ISO date in a span.nw: a browser may
// break a line after a hyphen, and a narrow column (a phone) then splits
// "2025-\n05-29", which reads as two values.
func keepDates(s string) template.HTML {
	return template.HTML(isoDate.ReplaceAllString(template.HTMLEscapeString(s), `<span class="nw">$0</span>`))
}
