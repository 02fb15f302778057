package lupus

import (
	"math"
	"math/rand/v2"
	"testing"

	"renalwatch/units"
)

// TestUPCRFastIsNormalize checks checkUPCR's shortcut (upcrSurelyPlausible)
// against units.PCR.Normalize: every value it passes is one Normalize
// accepts, around each end of the plausible range in every unit and over
// random values; and it passes the ordinary values it exists for.
func TestUPCRFastIsNormalize(t *testing.T) {
	if len(upcrFast) != len(units.PCR.Units()) {
		t.Fatalf("fast ranges for %d units, want one per accepted unit %v", len(upcrFast), units.PCR.Units())
	}
	lo, hi := units.PCR.Range()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, u := range units.PCR.Units() {
		l, _ := units.PCR.Convert(lo, u)
		h, _ := units.PCR.Convert(hi, u)
		vals := []float64{0, math.Copysign(0, -1), -1e-300, math.NaN(), math.Inf(1), math.Inf(-1), 1, 0.5, 3}
		for _, b := range []float64{l.Value, h.Value} {
			for d := -64; d <= 64; d++ {
				vals = append(vals, b+float64(d)*math.Max(math.Abs(b), 1)*1e-9, b*(1+float64(d)*1e-7))
			}
			v := b
			for range 64 {
				vals = append(vals, v)
				v = math.Nextafter(v, math.Inf(1))
			}
			v = b
			for range 64 {
				vals = append(vals, v)
				v = math.Nextafter(v, math.Inf(-1))
			}
		}
		for range 100000 {
			vals = append(vals, rng.Float64()*h.Value*1.1)
		}
		for _, v := range vals {
			q := units.Q(v, u)
			if upcrSurelyPlausible(q) {
				if _, err := units.PCR.Normalize("upcr", q); err != nil {
					t.Errorf("%v passes the shortcut but Normalize rejects it: %v", q, err)
				}
			}
		}
		if mid := units.Q(h.Value/3, u); !upcrSurelyPlausible(mid) {
			t.Errorf("%v: an ordinary value does not pass the shortcut", mid)
		}
	}
	if upcrSurelyPlausible(units.Q(1, units.MgPerDL)) {
		t.Error("a unit PCR does not accept passes the shortcut")
	}
}
