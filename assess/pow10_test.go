package assess

import (
	"math"
	"testing"
)

// TestPow10: pow10 gives math.Pow(10, e)'s float64 for every whole e it
// takes from the table, so roundSig's results are unchanged.
func TestPow10(t *testing.T) {
	for e := -30; e <= 30; e++ {
		if got, want := pow10(float64(e)), math.Pow(10, float64(e)); got != want {
			t.Errorf("pow10(%d) = %v, math.Pow = %v", e, got, want)
		}
	}
}
