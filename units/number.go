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

// ParseNumber reads a decimal number as strconv.ParseFloat does, but
// returns ErrOutOfRange for one whose magnitude float64 cannot hold: above
// about 1.8e308, or nonzero and below about 4.9e-324 (which ParseFloat
// reads as 0 without error). Subnormal numbers (down to 4.9e-324) are
// kept; a plausibility check rejects them in any clinical field. Other
// syntax errors are strconv's.
func ParseNumber(s string) (float64, error) {
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
