package assess

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"renalwatch/units"
)

// TestAppendPointJSON holds EGFRPoint.AppendJSON to encoding/json's bytes
// (json.Encoder without HTML escaping, less the newline) on random points
// made of the values each field can take, edge cases included, and checks
// that the fast path (appendPointJSON) takes the usual points and, for
// those it takes, also matches json.Marshal (HTML escaped).
func TestAppendPointJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.6, 1.1, 123.75891777056471, 29.998631074606433, 1e-6, 9.99e-7,
		-1e-6, 1e20, 1e21, 9.999999999999999e20, -1e21, 1e-7, 5e-324, math.MaxFloat64, 1.0 / 3, 2.5e-5, 106.08}
	strs := []string{"", "c0", "Observation/cr-1", "ckd-epi-2021", "mg/dL", "mL/min/{1.73_m2}", "a<b", "x&y", "q\"uote",
		"back\\slash", "tab\there", "line\nbreak", "é", "\u2028", "\xff", "ctrl\x01", "sex unknown: the equations are sex-specific"}
	times := []time.Time{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 5, 8, 30, 0, 123456789, time.UTC),
		time.Unix(1700000000, 0).UTC(), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)), {}}
	f := func() float64 { return floats[r.IntN(len(floats))] }
	s := func() string { return strs[r.IntN(len(strs))] }
	q := func() *units.Quantity {
		if r.IntN(3) == 0 {
			return nil
		}
		return &units.Quantity{Value: f(), Unit: units.Unit(s())}
	}
	l := func() []string {
		switch r.IntN(4) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		out := make([]string, 1+r.IntN(3))
		for i := range out {
			out[i] = s()
		}
		return out
	}
	fast := 0
	for range 20000 {
		p := EGFRPoint{Date: times[r.IntN(len(times))], Equation: s(), Creatinine: units.Quantity{Value: f(), Unit: units.Unit(s())},
			Comparator: s(), CystatinC: q(), CystatinObservationID: s(), Markers: l(), Height: q(), AgeYears: f(),
			ObservationID: s(), Reason: s(), Notes: l(), Warnings: l()}
		if r.IntN(4) > 0 {
			v := f()
			p.Value = &v
		}
		if r.IntN(2) == 0 { // a usual point: plain strings, usual numbers
			v, cr := 80.5, 1.1
			p = EGFRPoint{Date: times[r.IntN(3)], Value: &v, Equation: "ckd-epi-2021", Creatinine: units.Q(cr, units.MgPerDL),
				Markers: markersCreatinine, AgeYears: 40.25, ObservationID: "c1"}
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		wantErr := enc.Encode(&p)
		got, err := p.AppendJSON([]byte("prefix"))
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%+v: error %v, encoding/json %v", p, err, wantErr)
		}
		if err != nil {
			continue
		}
		if w := append([]byte("prefix"), bytes.TrimSuffix(want.Bytes(), []byte("\n"))...); !bytes.Equal(got, w) {
			t.Fatalf("%+v:\n got %s\nwant %s", p, got, w)
		}
		if b, ok := appendPointJSON(nil, &p); ok {
			fast++
			if m, _ := json.Marshal(&p); !bytes.Equal(b, m) {
				t.Fatalf("%+v: fast path %s, json.Marshal %s", p, b, m)
			}
		}
	}
	if fast < 10000 {
		t.Errorf("the fast path wrote %d of 20000 points, want at least the 10000 usual ones", fast)
	}
}

// TestAppendPointJSONAllocs: a usual point is written without allocating.
func TestAppendPointJSONAllocs(t *testing.T) {
	v := 80.5
	p := EGFRPoint{Date: time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC), Value: &v, Equation: "ckd-epi-2021",
		Creatinine: units.Q(1.1, units.MgPerDL), Markers: markersCreatinine, AgeYears: 40.25, ObservationID: "c1"}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf, _ = p.AppendJSON(buf[:0]) }); n != 0 {
		t.Errorf("%v allocations per point, want 0", n)
	}
}
