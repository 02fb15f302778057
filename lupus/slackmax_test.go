package lupus

import (
	"math"
	"testing"
)

// TestSlackScaleIsMathMax checks that the scale of le and lt, the built-in
// max(1, |b|), is math.Max(1, |b|) bit for bit, special values included.
func TestSlackScaleIsMathMax(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1 - 1e-16, 1 + 2.220446049250313e-16, 3.5, 1e300, -1e-300,
		math.SmallestNonzeroFloat64, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()}
	for _, b := range vals {
		got, want := max(1, math.Abs(b)), math.Max(1, math.Abs(b))
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("max(1, |%v|) = %v, math.Max gives %v", b, got, want)
		}
	}
}
