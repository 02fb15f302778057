package units_test

import (
	"testing"

	"renalwatch/units"
)

// UCUM annotations ("{…}") are comments equivalent to the unity 1 (UCUM 2.1
// §6): a spelling with them is the unit without them, when that is known.
// What the table holds with braces is matched as written; nothing that is
// left unknown without the braces is guessed.
func TestLookupUnitAnnotations(t *testing.T) {
	for _, c := range []struct {
		in   string
		want units.Unit
		ok   bool
	}{
		{"mg/mmol{creat}", units.MgPerMmol, true},
		{"mg/g{creat}", units.MgPerG, true},
		{"mg/g{Cre}", units.MgPerG, true},
		{"g/g{creat}", units.GPerG, true},
		{"{creat}mg/mmol", units.MgPerMmol, true},
		{" mg/dL{serum} ", units.MgPerDL, true},
		{"mL/min/{1.73_m2}", units.MLPerMinBSA, true}, // in the table with its braces
		{"mL/min/{1.73m2}", units.MLPerMinBSA, true},  // an alias with its braces
		{"mL/min/{other}", "", false},                 // "mL/min/" is no unit
		{"{ratio}", "", false},
		{"mg/mmol{creat", "", false},
		{"mg/mmol}creat{", "", false},
		{"mg/mmol{cr{e}at}", "", false},
		{"mg/furlong{creat}", "", false},
	} {
		got, ok := units.LookupUnit(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("LookupUnit(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
