package fhir

import (
	"math"
	"strconv"
	"testing"
)

// FuzzExactFloat: where exactFloat reads a JSON number, it reads it as
// strconv.ParseFloat does, to the bit (the sign of zero included).
func FuzzExactFloat(f *testing.F) {
	for _, s := range []string{"0", "-0", "0.9", "8447", "1.25", "-0.0", "0.1", "0.30000000000000004", "9007199254740991",
		"9007199254740993", "900719925474099.3", "1.7976931348623157", "0.0000000000000000000001", "123456789012345.6",
		"4.35", "1e5", "00", "1.", ".5", "-", "2.2250738585072014"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc := scanner{b: []byte(s)}
		raw, ok := sc.num()
		if !ok || sc.i != len(s) {
			return // not a JSON number: exactFloat is never asked
		}
		got, ok := exactFloat(raw)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactFloat(%q) = %v (%#x); strconv.ParseFloat: %v (%#x), %v", s, got, math.Float64bits(got), want,
				math.Float64bits(want), err)
		}
	})
}

func TestExactFloatTakes(t *testing.T) {
	for s, want := range map[string]bool{"0.9": true, "-12.5": true, "8447": true, "1e5": false, "12345678901234567": false,
		"0.000000000000001": true, "0.0000000000000000000001": false, "9007199254740992": false} {
		if _, ok := exactFloat([]byte(s)); ok != want {
			t.Errorf("exactFloat(%q) ok = %v; want %v", s, ok, want)
		}
	}
}
