package units

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAcceptsIsNormalize checks Accepts against Normalize for every
// analyte and accepted unit: at the ends of the plausible range to the
// last bit, just inside and outside them, special values and random
// values, and a unit the analyte does not accept.
func TestAcceptsIsNormalize(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, a := range Analytes() {
		if n := acceptTable[a].n; n != len(a.Units()) {
			t.Errorf("%v: table ranges for %d of its %d units", a, n, len(a.Units()))
		}
		lo, hi := a.Range()
		for _, u := range a.Units() {
			l, err1 := a.Convert(lo, u)
			h, err2 := a.Convert(hi, u)
			if err1 != nil || err2 != nil {
				t.Fatalf("%v: range in %s: %v %v", a, u, err1, err2)
			}
			vals := []float64{0, math.Copysign(0, -1), -1e-300, math.NaN(), math.Inf(1), math.Inf(-1), 1, 0.5, 3, -1}
			for _, b := range []float64{l.Value, h.Value} {
				for d := -64; d <= 64; d++ {
					vals = append(vals, b+float64(d)*math.Max(math.Abs(b), 1)*1e-9, b*(1+float64(d)*1e-7))
				}
				for _, dir := range []float64{math.Inf(1), math.Inf(-1)} {
					v := b
					for range 64 {
						vals = append(vals, v)
						v = math.Nextafter(v, dir)
					}
				}
			}
			for range 20000 {
				vals = append(vals, l.Value+rng.Float64()*(h.Value-l.Value)*1.1)
			}
			for _, v := range vals {
				q := Q(v, u)
				_, err := a.Normalize("x", q)
				if got := a.Accepts(q); got != (err == nil) {
					t.Errorf("%v %v: Accepts %v, Normalize error %v", a, q, got, err)
				}
			}
		}
		if q := Q(1, "no-such-unit"); a.Accepts(q) {
			t.Errorf("%v accepts %v", a, q)
		}
	}
	if Analyte(0).Accepts(Q(1, MgPerDL)) || Analyte(999).Accepts(Q(1, MgPerDL)) {
		t.Error("an unknown analyte accepts a value")
	}
}
