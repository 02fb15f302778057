package units

import (
	"errors"
	"testing"
)

// Regression (issue 8 item 8): 1e-400 was read as 0 and 1e400 failed with
// strconv's text; both are ErrOutOfRange. Limits: float64 (IEEE 754
// binary64) holds 4.9e-324 (smallest subnormal) to 1.797e308.
func TestParseNumber(t *testing.T) {
	for _, s := range []string{"1e400", "-1e400", "1e-400", "-1e-400", "2e-324", "0.00001e-320", "1.8e308"} {
		if v, err := ParseNumber(s); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("ParseNumber(%q) = %v, %v; want ErrOutOfRange", s, v, err)
		}
	}
	for s, want := range map[string]float64{"0": 0, "0e-400": 0, "0.000": 0, "-0": 0, "1.2": 1.2, "5e-324": 5e-324, "1.7e308": 1.7e308, "1E3": 1000} {
		if v, err := ParseNumber(s); err != nil || v != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, v, err, want)
		}
	}
	if _, err := ParseNumber("abc"); err == nil || errors.Is(err, ErrOutOfRange) {
		t.Errorf("ParseNumber(abc) = %v; want a syntax error", err)
	}
}

// Trial-cli #8: strconv.ParseFloat reads hexadecimal floats ("0x1p0" is 1)
// and Go digit separators; a laboratory value is decimal, so they are
// ErrNotDecimal. Decimal exponents stay accepted, as Parse documents
// ("3e2mg/g").
func TestParseNumberDecimalOnly(t *testing.T) {
	for _, s := range []string{"0x1p0", "0X1P0", "-0x1.8p1", "0x1p-2", "1_000", "0x_1p0", "0x1p9999"} {
		if v, err := ParseNumber(s); !errors.Is(err, ErrNotDecimal) {
			t.Errorf("ParseNumber(%q) = %v, %v; want ErrNotDecimal", s, v, err)
		}
	}
	for s, want := range map[string]float64{"1e2": 100, "1.5E-3": 0.0015, "+2": 2, ".5": 0.5, "5.": 5, "3e+2": 300} {
		if v, err := ParseNumber(s); err != nil || v != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, v, err, want)
		}
	}
	for _, s := range []string{"NaN", "Inf", "-inf"} {
		if _, err := ParseNumber(s); err != nil {
			t.Errorf("ParseNumber(%q): %v; want it read, for the caller to refuse as not finite", s, err)
		}
	}
	for _, s := range []string{"1e", "1.2.3", "1,2", ""} {
		if _, err := ParseNumber(s); err == nil || errors.Is(err, ErrNotDecimal) {
			t.Errorf("ParseNumber(%q) = %v; want strconv's syntax error", s, err)
		}
	}
}
