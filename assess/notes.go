package assess

import (
	"strconv"
	"strings"

	"renalwatch/record"
	"renalwatch/units"
)

// qtext formats a measured quantity for a message: at most 6 significant
// digits, the rounding policy of human text for a value as measured
// (docs/report.md, "Numbers in human text"): 126.753 mm[Hg], not
// 126.7534862253238. JSON quantities are never rounded.
func qtext(q units.Quantity) string {
	return strconv.FormatFloat(roundSig(q.Value, 6), 'f', -1, 64) + " " + string(q.Unit)
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
