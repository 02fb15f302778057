package cohort

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// TestDeduperEqualsDedupe: the deduper's tables keep and report exactly
// what dedupe's maps do, on patients with repeated ids (same and other
// content), the same measurement under other ids, -0 and 0, comparators,
// sizes that make the tables grow and shrink between patients, and (every
// third round) many values of one analyte at one time, which makes the
// deduper put the value into its key.
func TestDeduperEqualsDedupe(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var d deduper
	seen, ids := map[measurement]struct{}{}, map[string]measurement{}
	dropped, conflicts := 0, 0
	for round := range 300 {
		n := []int{0, 1, 5, 40, 300}[round%5] + r.IntN(10)
		var obs []record.Observation
		for i := range n {
			o := record.Observation{
				ID:         fmt.Sprintf("Observation/o%d", r.IntN(max(1, n*3/4))),
				Analyte:    units.Analyte(1 + r.IntN(3)),
				Value:      units.Quantity{Value: []float64{0, 1.5, 2, math.Nextafter(0.3, 1), 0.3}[r.IntN(5)]}, // 0.1+0.2 at run time: 0.3 to 10 digits
				Comparator: []record.Comparator{record.Exact, record.Exact, record.Less}[r.IntN(3)],
				Time:       t0.Add(time.Duration(r.IntN(4)) * time.Hour).Add(time.Duration(r.IntN(2))),
				Line:       i,
			}
			if round%3 == 0 {
				o.Value.Value = float64(r.IntN(200)) / 88.4 // not short: valueKey rounds
				if r.IntN(2) == 0 {
					o.Analyte, o.Time, o.Comparator = 1, t0, record.Exact // one key, many values
				}
			}
			if r.IntN(10) == 0 {
				o.Value.Value = -o.Value.Value // -0 too
			}
			obs = append(obs, o)
		}
		want, werrs := dedupe(slices.Clone(obs), seen, ids)
		got, gerrs := d.dedupe(slices.Clone(obs))
		if !slices.EqualFunc(want, got, func(a, b record.Observation) bool { return a.ID == b.ID && a.Line == b.Line }) {
			t.Fatalf("round %d: kept %d, dedupe kept %d", round, len(got), len(want))
		}
		if fmt.Sprint(werrs) != fmt.Sprint(gerrs) {
			t.Fatalf("round %d: errors %v, dedupe %v", round, gerrs, werrs)
		}
		dropped += len(obs) - len(want)
		conflicts += len(werrs)
	}
	if dropped == 0 || conflicts == 0 {
		t.Fatalf("the cases did not repeat: %d dropped, %d conflicts", dropped, conflicts)
	}
}

// TestDeduperValueKey: the deduper's remembered valueKey is valueKey, for
// values that repeat, that share a slot, and that are not short (the
// conversions of whole µmol/L to mg/dL), -0 and NaN included.
func TestDeduperValueKey(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var d deduper
	vals := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), 1.5, math.Nextafter(0.3, 1), 1e300, 5e-324}
	for i := range 3000 {
		vals = append(vals, float64(i)/88.4, float64(r.IntN(100000))/1000, r.NormFloat64()*1e6)
	}
	for round := range 3 {
		for _, v := range vals {
			got, want := d.valueKey(v), valueKey(v)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("round %d: valueKey(%v) = %v remembered, %v computed", round, v, got, want)
			}
		}
	}
}
