package units_test

import (
	"testing"

	"renalwatch/units"
)

func TestDisplay(t *testing.T) {
	for u, want := range map[units.Unit]string{
		units.MmHg:        "mmHg",
		units.MLPerMinBSA: "mL/min/1.73 m²",
		units.UmolPerL:    "µmol/L",
		units.PerHPF:      "/hpf",
		units.IUPerML:     "IU/mL",
		units.MgPerDL:     "mg/dL",
		units.MgPerMmol:   "mg/mmol",
	} {
		if got := u.Display(); got != want {
			t.Errorf("%s.Display() = %q, want %q", u, got, want)
		}
	}
	// Every display spelling reads back as its unit, so text a user copies
	// from a report is accepted as input where the spelling is known.
	for _, u := range []units.Unit{units.UmolPerL, units.MeqPerL, units.GPerDay, units.MgPerDay, units.MLPerMinBSA} {
		if got, ok := units.LookupUnit(u.Display()); !ok || got != u {
			t.Errorf("LookupUnit(%q) = %q, %v; want %q", u.Display(), got, ok, u)
		}
	}
}
