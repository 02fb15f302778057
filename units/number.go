package units

import (
	"errors"
	"strconv"
	"strings"
)

// ErrOutOfRange: a number beyond float64, either too large (1e400 would be
// read as infinity) or so small that it would be read as zero (1e-400).
// Such a number in a clinical field is a unit or typing error, never a
// value to store as 0 or infinity.
var ErrOutOfRange = errors.New("number out of range")

// ErrNotDecimal: a number written in a syntax other than decimal digits,
// such as a hexadecimal float ("0x1p0", which strconv.ParseFloat reads as 1)
// or with Go's digit separators ("1_000"). Laboratory values are written in
// decimal; anything else is refused rather than read (trial-cli #8).
var ErrNotDecimal = errors.New("not a decimal number")

// ParseNumber reads a decimal number: an optional sign, digits with an
// optional decimal point, and an optional decimal exponent ("1.2", "-0.5",
// ".5", "3e2", "1.5E-3"). Exponents are accepted, consistently with Parse
// ("3e2mg/g"): they are decimal notation, unambiguous, and what a
// spreadsheet or strconv.FormatFloat writes for very large or small
// numbers. Anything else strconv.ParseFloat would read (hexadecimal floats
// such as "0x1p0", underscores) is ErrNotDecimal; "NaN" and "Inf" are read
// as ParseFloat reads them, for the caller to refuse as not finite.
// ParseNumber returns ErrOutOfRange for a number whose magnitude float64
// cannot hold: above about 1.8e308, or nonzero and below about 4.9e-324
// (which ParseFloat reads as 0 without error). Subnormal numbers (down to
// 4.9e-324) are kept; a plausibility check rejects them in any clinical
// field. Other syntax errors are strconv's.
func ParseNumber(s string) (float64, error) {
	if numberPrefix(s) != len(s) && syntaxOrNotFinite(s) != ErrNotFinite {
		if _, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
			return 0, ErrNotDecimal
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	var ne *strconv.NumError
	if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
		return 0, ErrOutOfRange
	}
	if err != nil {
		return 0, err
	}
	if v == 0 && nonzeroMantissa(s) {
		return 0, ErrOutOfRange
	}
	return v, nil
}

// nonzeroMantissa reports whether a decimal number's digits before its
// exponent include one that is not 0.
func nonzeroMantissa(s string) bool {
	if i := strings.IndexAny(s, "eEpP"); i >= 0 && !strings.HasPrefix(strings.ToLower(s), "0x") {
		s = s[:i]
	}
	return strings.ContainsAny(s, "123456789")
}

// outOfRangeHint says what ErrOutOfRange means, for people.
const outOfRangeHint = "its magnitude is beyond what a 64-bit number holds (about 4.9e-324 to 1.8e308); check the value and its unit"
