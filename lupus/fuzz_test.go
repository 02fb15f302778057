package lupus

import (
	"testing"

	"renalwatch/units"
)

// FuzzParseClass: no panic; an accepted class prints in a form that parses
// back to itself under the same rules.
func FuzzParseClass(f *testing.F) {
	for _, s := range []string{"IV", "III+V", "V+IV", "IV-G (A/C)", "VII", "stage 4", "(", "IV)(", "+", "-"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, old bool) {
		rules := ISNRPS2018
		if old {
			rules = ISNRPS2003
		}
		c, err := ParseClass(s, rules)
		if err != nil {
			return
		}
		c2, err := ParseClass(c.String(), rules)
		if err != nil || c2 != c {
			t.Errorf("ParseClass(%q) = %q, which reparses as %q, %v", s, c, c2, err)
		}
	})
}

// FuzzParseBiopsyValue: no panic; an accepted value bands to 0..3.
func FuzzParseBiopsyValue(f *testing.F) {
	for _, s := range []string{"0", "3", "35%", "101%", "-0%", "1e2%", "NaN%", "%", " 2 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseBiopsyValue("activity", s)
		if err != nil {
			return
		}
		if b := v.Band(); b < 0 || b > 3 {
			t.Errorf("ParseBiopsyValue(%q) bands to %d", s, b)
		}
	})
}

func BenchmarkSLEDAI2K(b *testing.B) {
	items := []string{"urinary_casts", "hematuria", "proteinuria", "low_complement", "increased_dna_binding", "rash"}
	for b.Loop() {
		if _, err := SLEDAI2K(items, 10); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResponse(b *testing.B) {
	e0, e := 70.0, 66.0
	in := ResponseInput{BaselineUPCR: units.Q(350, units.MgPerMmol), UPCR: units.Q(53, units.MgPerMmol), BaselineEGFR: &e0, EGFR: &e}
	for b.Loop() {
		if _, err := Response(KDIGO2024, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFlare(b *testing.B) {
	in := FlareInput{BaselineUPCR: units.Q(400, units.MgPerG), UPCR: units.Q(1300, units.MgPerG),
		BaselineCreatinine: units.Q(0.9, units.MgPerDL), Creatinine: units.Q(1.05, units.MgPerDL)}
	for b.Loop() {
		if _, err := Flare(KDIGO2012Flare, in); err != nil {
			b.Fatal(err)
		}
	}
}
