package assess

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"renalwatch/ckd"
)

// TestEGFRShownIsText checks egfrShown against its definition: the first
// number of ckd.EGFRText read back by ParseFloat.
func TestEGFRShownIsText(t *testing.T) {
	vals := []float64{0, 0.4, 0.5, 0.9999, 1, 1.49, 1.5, 14.5, 15, 29.5, 44.5, 59.5, 59.71, 60, 89.5, 120, 1e15, 1e300,
		-0, -3, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, math.SmallestNonzeroFloat64}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		vals = append(vals, r.Float64()*200, math.Round(r.Float64()*200)+0.5, math.Ldexp(r.Float64(), r.IntN(120)-20))
	}
	for _, v := range vals {
		want, werr := strconv.ParseFloat(leadingNumber(ckd.EGFRText(v)), 64)
		got, gerr := egfrShown(v)
		if (werr == nil) != (gerr == nil) || (werr == nil && math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want))) {
			t.Fatalf("egfrShown(%v) = %v, %v; the text gives %v, %v", v, got, gerr, want, werr)
		}
	}
}

// TestNumWhole checks num's whole-number path against its definition.
func TestNumWhole(t *testing.T) {
	for i := -10001; i <= 10001; i++ {
		for _, v := range []float64{float64(i), float64(i) + 0.5, math.Nextafter(float64(i), 0)} {
			if got, want := num(v), strconv.FormatFloat(roundSig(v, 4), 'f', -1, 64); got != want {
				t.Fatalf("num(%v) = %q, want %q", v, got, want)
			}
		}
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 1e4, -1e4, 9999.5, 1e15, math.NaN(), math.Inf(1)} {
		if got, want := num(v), strconv.FormatFloat(roundSig(v, 4), 'f', -1, 64); got != want {
			t.Fatalf("num(%v) = %q, want %q", v, got, want)
		}
	}
}
