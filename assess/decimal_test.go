package assess

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestParseSourceIsParseFloat: parseSource gives ParseFloat's value (to
// the bit, the sign of zero included) and its error or none, for written
// forms of every kind and for random decimals of up to 17 digits at every
// scale.
func TestParseSourceIsParseFloat(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, gerr := parseSource(s)
		want, werr := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) || (gerr == nil) != (werr == nil) {
			t.Fatalf("parseSource(%q) = %v, %v; ParseFloat %v, %v", s, got, gerr, want, werr)
		}
	}
	for _, s := range []string{"", " ", "0", "-0", "+0", "0.0", "-0.0", ".5", "5.", ".", "-", "+", "-.", "1..2", "1.2.3", " 3.2 ", "\t45\n",
		"1e3", "1E-3", "0x1p3", "1_000", "1,5", "inf", "NaN", "+Inf", "123456789012345", "1234567890123456", "0.0000000000000000000001",
		"0.00000000000000000000001", "999999999999999", "9007199254740993", "0.1", "0.3", "2.675", "88.4", "11523", "0.45", "-12.5",
		"00012.5000", "1.000000000000000", "٣", "1 2"} {
		check(s)
	}
	r := rand.New(rand.NewPCG(7, 8))
	for range 500_000 {
		n := 1 + r.IntN(17)
		var b strings.Builder
		if r.IntN(4) == 0 {
			b.WriteByte("-+"[r.IntN(2)])
		}
		p := r.IntN(n + 1)
		for i := range n {
			if i == p && r.IntN(3) > 0 {
				b.WriteByte('.')
			}
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		check(b.String())
	}
}
