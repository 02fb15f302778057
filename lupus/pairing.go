package lupus

import "renalwatch/units"

// UPCRLevel is one UPCR level of a rule as its source prints it in each
// unit: KDIGO pairs numbers across units rather than converting them
// (0.5 g/g with 50 mg/mmol, although 0.5 g/g is 56.6 mg/mmol; ambiguity
// A3), and RenalWatch compares a UPCR with the number for the unit it was
// reported in (upcrCut). A text that shows the UPCR in another unit must
// not put it on the other side of that unit's number (trial 3 #11).
type UPCRLevel []units.Quantity

func level(gPerG, mgPerMmol float64) UPCRLevel {
	return UPCRLevel{units.Q(gPerG, units.GPerG), units.Q(gPerG*1000, units.MgPerG), units.Q(mgPerMmol, units.MgPerMmol)}
}

// ResponseUPCRLevels are the paired UPCR levels of a response rule: for
// kdigo-2024 the complete (< 0.5 g/g [50 mg/mmol]) and partial (< 3 g/g
// [300 mg/mmol]) response levels of the KDIGO 2024 LN guideline (Kidney
// Int 2024;105(1S):S1-S69), as Response applies them. eular-2019 and
// acr-2024 print no mg/mmol numbers (a mg/mmol UPCR is converted exactly
// there): nil.
func ResponseUPCRLevels(rule ResponseRule) []UPCRLevel {
	if rule == KDIGO2024 {
		return []UPCRLevel{level(0.5, 50), level(3, 300)}
	}
	return nil
}

// FlareUPCRLevels are the paired UPCR levels of a flare rule: for
// kdigo-2012 the bands of KDIGO 2012 GN guideline Table 29, 500 mg/g [50
// mg/mmol], 1000 [100], 2000 [200] and 5000 [500] (upcrScale). The other
// rules print mg/g (or g/g) only: nil.
func FlareUPCRLevels(rule FlareRule) []UPCRLevel {
	if rule == KDIGO2012Flare {
		return []UPCRLevel{level(0.5, 50), level(1, 100), level(2, 200), level(5, 500)}
	}
	return nil
}
