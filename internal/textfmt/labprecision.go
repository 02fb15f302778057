package textfmt

import (
	"math"
	"strconv"
	"strings"

	"renalwatch/internal/labtext"
	"renalwatch/units"
)

// Lab formats a measured value v of analyte an in unit u at the
// analyte's laboratory reporting precision (package labtext: one table for
// the report, the pages and the assessment's messages), keeping trailing
// zeros as a laboratory prints them ("1.10", "13.0"); a value that is not
// zero never reads 0; a unit the table does not list gets Measured.
func Lab(an units.Analyte, v float64, u units.Unit) string { return labtext.Lab(an, v, u) }

// LabQ is Lab with the unit in its display spelling: "2.68 mg/dL".
func LabQ(an units.Analyte, q units.Quantity) string {
	return Lab(an, q.Value, q.Unit) + " " + q.Unit.Display()
}

// ShownChange is the change from a previous to a latest value as a table
// shows them (latest − previous), to the decimals they are shown with, so
// a measured value's change has its precision (Lab): "+0.27" after "2.41"
// and "2.68" mg/dL; "+30/-3" mmHg. Its sign is explicit; "0" stays "0"
// (never "-0"). It is the difference of the numbers shown, so the row
// adds up; the unrounded change is in the JSON. A number shown with a
// suffix ("60 (59.71 unrounded)") counts by its first number.
func ShownChange(latest, previous string) string {
	first := func(s string) (float64, int) {
		s, _, _ = strings.Cut(s, " ")
		v, _ := strconv.ParseFloat(s, 64)
		return v, decimals(s)
	}
	l, dl := first(latest)
	p, dp := first(previous)
	d := max(dl, dp)
	scale := math.Pow(10, float64(d))
	r := math.Round((l-p)*scale) / scale
	if r == 0 {
		return "0"
	}
	return Signed(strconv.FormatFloat(r, 'f', d, 64))
}

// Signed puts a "+" before a positive number; "0" stays "0".
func Signed(s string) string {
	if s == "0" || strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}

// decimals is the number of digits after the point in a formatted number.
func decimals(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}
