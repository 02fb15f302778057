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
