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
