package fhir

import (
	"fmt"

	"renalwatch/units"
)

// quantitySpelling is the one place that decides which of a Quantity's two
// spellings of its unit is read: code (the machine form, UCUM in the
// Observations read here) or unit (the human spelling). RenalWatch never
// guesses a unit (docs/caveats.md, "Units"):
//   - only one given, or both the same text: that one;
//   - both known to units.LookupUnit and naming different units ("mg/dL"
//     against "mmol/L"): an ErrUnitConflict error, because either may be
//     the wrong one and the two readings differ by up to a factor of 88
//     (creatinine mg/dL against µmol/L);
//   - both naming the same unit ("umol/L" and "µmol/L"): code;
//   - a code with a UCUM annotation ("mg/g{creat}") is the unit without it
//     (units.LookupUnit, UCUM §6), so "mg/g{creat}" agrees with "mg/g" and
//     conflicts with "mg/mmol";
//   - code not in the unit table but unit known: unit, which says what the
//     code cannot be compared on;
//   - unit text not in the table ("milligram per deciliter"): code.
//
// An empty result means no unit; the caller decides what a missing unit
// allows.
func quantitySpelling(q *quantity) (string, error) {
	code, unit := q.Code, q.Unit
	if blank(code) {
		return unit, nil
	}
	if blank(unit) || unit == code {
		return code, nil
	}
	cu, cok := units.LookupUnit(code)
	uu, uok := units.LookupUnit(unit)
	switch {
	case cok && uok && cu != uu:
		sys := ""
		if q.System != "" {
			sys = " (system " + q.System + ")"
		}
		return "", fmt.Errorf("%w: valueQuantity.unit %q and valueQuantity.code %q%s name different units (%s and %s); "+
			"RenalWatch does not guess which one is meant: correct the unit or the code in the source system and import the file again",
			ErrUnitConflict, unit, code, sys, uu.Display(), cu.Display())
	case !cok && uok:
		return unit, nil
	}
	return code, nil
}
