package units

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors; every error this package returns unwraps to one of them.
var (
	// ErrSyntax: the text is not a number followed by a unit.
	ErrSyntax = errors.New("not a quantity")
	// ErrNoUnit: a bare number where a unit is required.
	ErrNoUnit = errors.New("missing unit")
	// ErrUnknownUnit: the unit is not in the table.
	ErrUnknownUnit = errors.New("unknown unit")
	// ErrNotFinite: NaN, infinity, or a number too large for float64.
	ErrNotFinite = errors.New("not a finite number")
	// ErrNegative: a negative amount; no quantity RenalWatch reads is negative.
	ErrNegative = errors.New("negative value")
	// ErrIncompatible: the units cannot be converted into each other (for
	// this analyte, or without one).
	ErrIncompatible = errors.New("incompatible units")
	// ErrImplausible: the value is outside the analyte's plausible range.
	ErrImplausible = errors.New("implausible value")
)

// ParseError records a failure to parse a quantity, in the manner of
// strconv.NumError.
type ParseError struct {
	Input string // the text as given
	Err   error  // one of the sentinels
	Hint  string // what is accepted
}

func (e *ParseError) Error() string {
	msg := fmt.Sprintf("%s %s", strconv.Quote(e.Input), errPhrase(e.Err))
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

func (e *ParseError) Unwrap() error { return e.Err }

func errPhrase(err error) string {
	switch err {
	case ErrSyntax:
		return "is not a quantity (a number followed by its unit)"
	case ErrNoUnit:
		return "has no unit"
	case ErrUnknownUnit:
		return "has an unknown unit"
	case ErrNotFinite:
		return "is not a finite number"
	case ErrNegative:
		return "is negative"
	case ErrOutOfRange:
		return "has a number out of range"
	}
	return err.Error()
}

// UnitError reports a unit that does not fit an analyte or a target unit.
type UnitError struct {
	Field    string  // the input's name, such as "--creatinine"; may be empty
	Analyte  Analyte // zero when converting without an analyte
	From, To Unit    // To is empty when checking an analyte's accepted units
	Accepted []Unit  // units accepted in this place
}

func (e *UnitError) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	switch {
	case e.To != "" && e.Analyte != 0:
		fmt.Fprintf(&b, "cannot convert %s %s to %s", e.Analyte, e.From, e.To)
	case e.To != "":
		fmt.Fprintf(&b, "cannot convert %s (%s) to %s (%s) without an analyte", e.From, e.From.Dimension(), e.To, e.To.Dimension())
	default:
		fmt.Fprintf(&b, "unit %s does not fit %s", e.From.Symbol(), e.Analyte)
	}
	if len(e.Accepted) > 0 {
		b.WriteString("; accepted units: " + joinUnits(e.Accepted))
	}
	return b.String()
}

func (e *UnitError) Unwrap() error { return ErrIncompatible }

// RangeError reports a value outside its analyte's plausible range.
type RangeError struct {
	Field    string   // the input's name, such as "--creatinine"; may be empty
	Analyte  Analyte  //
	Value    Quantity // as given
	Min, Max Quantity // the plausible range, in the unit given
	// Suggestion is the same number in another accepted unit when that
	// reading would be plausible (creatinine 106 mg/dL: 106 umol/L).
	Suggestion *Quantity
}

func (e *RangeError) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	fmt.Fprintf(&b, "%s %s %s is implausible; expected %s to %s %s",
		e.Analyte, formatNumber(e.Value.Value), typed(e.Value.Unit), formatBound(e.Min.Value), formatBound(e.Max.Value), typed(e.Min.Unit))
	if e.Suggestion != nil {
		fmt.Fprintf(&b, " (did you mean %s %s?)", formatNumber(e.Suggestion.Value), typed(e.Suggestion.Unit))
	}
	return b.String()
}

// typed is u as a person types it (Symbol), and for the UCUM codes with
// braces or brackets the spelling Parse reads back without them:
// "mL/min/1.73m2", not "mL/min/{1.73_m2}" (trial-cli #22: "stage --egfr
// -1" answered "expected 0 to 300 mL/min/{1.73_m2}").
func typed(u Unit) string {
	switch u {
	case MLPerMinBSA:
		return "mL/min/1.73m2"
	case MmHg, PerHPF:
		return u.Display()
	}
	return u.Symbol()
}

func (e *RangeError) Unwrap() error { return ErrImplausible }

func joinUnits(us []Unit) string {
	s := make([]string, len(us))
	for i, u := range us {
		s[i] = u.Symbol()
	}
	return strings.Join(s, ", ")
}

// formatBound formats a plausible-range bound converted to the unit given:
// at most 6 significant digits, without exponent, so that conversion noise
// (0.6613867865546328 lb) reads as 0.661387 lb. The bounds are engineering
// limits; the digits cut are far below their meaning.
func formatBound(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
