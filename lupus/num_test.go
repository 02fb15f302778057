package lupus

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNumFast: num gives sigSlow's text (round to 4 significant digits,
// read back, write out in full) for edge values and a million random ones:
// any bit pattern, and decimals of every scale with ties at the 5th digit.
func TestNumFast(t *testing.T) {
	testSigFast(t, "num", num, 4)
}

// TestNumInFast: numIn gives sigSlow's text with 6 digits (its definition
// before sigText), over the same values as TestNumFast.
func TestNumInFast(t *testing.T) {
	testSigFast(t, "numIn", numIn, 6)
}

func testSigFast(t *testing.T, name string, f func(float64) string, prec int) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(v float64) {
		if got, want := f(v), sigSlow(v, prec); got != want {
			t.Fatalf("%s(%v) = %q, want %q", name, v, got, want)
		}
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 0.5, 1, 10, 100, 1000, 9999, 9999.5, 10000, 0.0001, 0.00001, 0.00012345, 1234.5,
		12345, 1e300, -1e-300, math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, 0.1 + 0.2, 2.5, 99.995, 0.99995, 884, 8.84, 4420,
		999999, 999999.5, 1e6, 123456.5, 11523, 0.0000123456, 0.000999999} {
		check(v)
		check(-v)
	}
	n := 1_000_000
	if testing.Short() {
		n = 100_000
	}
	for i := 0; i < n; i++ {
		var v float64
		switch i % 5 {
		case 0:
			v = math.Float64frombits(r.Uint64())
		case 1:
			v = r.Float64() * math.Pow(10, float64(r.IntN(20)-8))
		case 2:
			v = float64(r.IntN(2000000)) / math.Pow(10, float64(r.IntN(8)))
		case 3:
			v = (float64(r.IntN(20000)) + 0.5) / math.Pow(10, float64(r.IntN(6)))
		case 4: // ties at the 7th digit (numIn)
			v = (float64(r.IntN(2000000)) + 0.5) / math.Pow(10, float64(r.IntN(9)))
		}
		check(v)
	}
}

// TestNumMemoConcurrent: goroutines that format overlapping values through
// num's shared table each get numText's text (run with -race).
func TestNumMemoConcurrent(t *testing.T) {
	done := make(chan string)
	for g := range 4 {
		go func() {
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for range 20_000 {
				v := float64(r.IntN(3000)) / 100 // overlapping values: slots shared and replaced
				if got, want := num(v), numText(v); got != want {
					done <- "num(" + want + ") = " + got
					return
				}
			}
			done <- ""
		}()
	}
	for range 4 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
