package units

import (
	"math"
	"testing"
)

// FuzzParse checks that Parse never panics, that what it accepts is finite,
// non-negative and in a known unit, and that String round-trips exactly.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.2mg/dL", "1.2 mg/dL", "106umol/L", "106µmol/L", "0.9mg/L", "300mg/g",
		"30mg/mmol", "3g/g", "165cm", "70kg", "12.1g/dL", "121g/L", "22mmol/L", "9.1mg/dL",
		"1e309mg/dL", "NaN", "-1mg/dL", "", "1.", ".e5", "1e", "1e+", "56 mL/min/1.73m2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			return
		}
		if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) || q.Value < 0 || math.Signbit(q.Value) {
			t.Fatalf("Parse(%q) = %v: not a finite non-negative value", s, q)
		}
		if !q.Unit.Known() {
			t.Fatalf("Parse(%q) = %v: unknown unit", s, q)
		}
		back, err := Parse(q.String())
		if err != nil || back != q {
			t.Fatalf("round trip %q -> %v -> %q -> %v, %v", s, q, q.String(), back, err)
		}
		// Normalizing against every analyte must not panic either.
		for _, a := range Analytes() {
			_, _ = a.Normalize("f", q)
		}
	})
}
