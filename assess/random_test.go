package assess_test

import (
	"math/rand/v2"
	"testing"
)

// TestRandomRecords runs fuzzOnce on large pseudo-random records (a fixed
// seed, so the test is repeatable): no panic, output always encodes.
func TestRandomRecords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 40; n++ {
		data := make([]byte, r.IntN(20000))
		for i := range data {
			data[i] = byte(r.IntN(256))
		}
		fuzzOnce(t, data, uint8(r.IntN(256)), uint8(r.IntN(256)))
	}
}
