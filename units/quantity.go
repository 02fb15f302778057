package units

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quantity is a value with its UCUM unit. The zero Quantity has no unit and
// means "not given".
type Quantity struct {
	Value float64 `json:"value"`
	Unit  Unit    `json:"unit"`
}

// Q returns a Quantity; a shorthand for tests and examples.
func Q(v float64, u Unit) Quantity { return Quantity{Value: v, Unit: u} }

// IsZero reports whether q is the zero Quantity (not given).
func (q Quantity) IsZero() bool { return q.Unit == "" && q.Value == 0 }

// String formats q so that Parse reads it back exactly: the shortest decimal
// that round-trips, then the unit, with no space ("1.2mg/dL").
func (q Quantity) String() string {
	return strconv.FormatFloat(q.Value, 'g', -1, 64) + string(q.Unit)
}

// Text formats q for people: number, space, unit as people write it
// ("1.2 mg/dL", "67 in"; see Unit.Symbol).
func (q Quantity) Text() string {
	return formatNumber(q.Value) + " " + q.Unit.Symbol()
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Parse reads a quantity written as a number followed by its unit, with or
// without a space between: "1.2mg/dL", "1.2 mg/dL", "106µmol/L", "3e2mg/g".
// It rejects a bare number (ErrNoUnit), an unknown unit (ErrUnknownUnit),
// NaN and infinities (ErrNotFinite), numbers beyond float64, too large or
// too small (ErrOutOfRange, see ParseNumber), and negative values
// (ErrNegative). A decimal comma ("1,4mg/dL") is ErrSyntax with a hint to
// write a decimal point (see DecimalCommaHint); it is never read as either
// 1.4 or 14. A height in feet and inches ("5ft7in", `5'7"`) is read as
// inches ([in_i]): 67 [in_i].
func Parse(s string) (Quantity, error) {
	in := s
	s = strings.TrimSpace(s)
	n := numberPrefix(s)
	if n == 0 {
		return Quantity{}, &ParseError{Input: in, Err: syntaxOrNotFinite(s), Hint: "write the value with its unit, for example 1.2mg/dL or 106 umol/L"}
	}
	if hint, ok := DecimalCommaHint(s); ok {
		return Quantity{}, &ParseError{Input: in, Err: ErrSyntax, Hint: hint}
	}
	v, err := ParseNumber(s[:n])
	if err != nil {
		if err == ErrOutOfRange {
			return Quantity{}, &ParseError{Input: in, Err: ErrOutOfRange, Hint: outOfRangeHint}
		}
		return Quantity{}, &ParseError{Input: in, Err: ErrSyntax, Hint: "write the value with its unit, for example 1.2mg/dL"}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Quantity{}, &ParseError{Input: in, Err: ErrNotFinite}
	}
	if v < 0 {
		return Quantity{}, &ParseError{Input: in, Err: ErrNegative, Hint: "amounts are zero or more"}
	}
	if v == 0 {
		v = 0 // drop the sign of -0
	}
	rest := strings.TrimSpace(s[n:])
	if rest == "" {
		return Quantity{}, &ParseError{Input: in, Err: ErrNoUnit, Hint: "write the unit in the same token, for example 1.2mg/dL, 106umol/L, 300mg/g, 165cm"}
	}
	if !utf8.ValidString(rest) {
		// Not an unknown unit: bytes that are not text (a file in another
		// encoding, a pasted control byte), which no unit table can name.
		return Quantity{}, &ParseError{Input: in, Err: ErrSyntax, Hint: "its unit is not valid UTF-8 text; write the unit as text, for example 1.2mg/dL or 106umol/L"}
	}
	if q, ok, err := feetInches(in, v, rest); ok {
		return q, err
	}
	u, ok := LookupUnit(rest)
	if !ok {
		return Quantity{}, &ParseError{Input: in, Err: ErrUnknownUnit, Hint: "known units: " + joinUnits(KnownUnits())}
	}
	return Quantity{Value: v, Unit: u}, nil
}

// numberPrefix returns the length of the leading decimal number in s: an
// optional sign, digits with an optional point, and an optional exponent.
// Words such as "NaN" and "Inf" are not numbers here.
func numberPrefix(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func syntaxOrNotFinite(s string) error {
	t := strings.ToLower(strings.TrimLeftFunc(s, func(r rune) bool { return r == '+' || r == '-' || unicode.IsSpace(r) }))
	if strings.HasPrefix(t, "nan") || strings.HasPrefix(t, "inf") {
		return ErrNotFinite
	}
	return ErrSyntax
}

// ConvertTo converts q to unit u when both measure the same dimension
// (mg/dL to g/L, umol/L to mmol/L, cm to m). Conversions that depend on the
// analyte (mg/dL to umol/L) need Analyte.Convert.
func (q Quantity) ConvertTo(u Unit) (Quantity, error) {
	from, ok1 := unitTable[q.Unit]
	to, ok2 := unitTable[u]
	if !ok1 || !ok2 || from.dim != to.dim {
		return Quantity{}, &UnitError{From: q.Unit, To: u}
	}
	if q.Unit == u {
		return q, nil
	}
	return Quantity{Value: scaleValue(q.Value, q.Unit, u), Unit: u}, nil
}

func sortUnits(us []Unit) {
	slices.SortFunc(us, func(a, b Unit) int {
		if da, db := a.Dimension(), b.Dimension(); da != db {
			return int(da) - int(db)
		}
		return strings.Compare(string(a), string(b))
	})
}
