package lupus

import (
	"testing"

	"renalwatch/units"
)

// The paired levels are the ones the rules apply: at each level's number
// in each unit, kdigo-2024 changes its category (KDIGO 2024 LN: complete
// < 0.5 g/g [50 mg/mmol], partial < 3 g/g [300 mg/mmol], from a baseline of
// 10 g/g, eGFR stable), and kdigo-2012 Table 29 changes band (a rise to
// 1000 [100] from just below 500 [50] is moderate, from just above it
// needs 2000 [200]).
func TestPairedLevelsAreTheRulesOwn(t *testing.T) {
	egfr := 80.0
	for _, lv := range ResponseUPCRLevels(KDIGO2024) {
		for _, q := range lv {
			below, at := q, q
			below.Value *= 0.999
			cb, err1 := ResponseCategory(KDIGO2024, ResponseInput{BaselineUPCR: units.Q(10, units.GPerG), UPCR: below, BaselineEGFR: &egfr, EGFR: &egfr})
			ca, err2 := ResponseCategory(KDIGO2024, ResponseInput{BaselineUPCR: units.Q(10, units.GPerG), UPCR: at, BaselineEGFR: &egfr, EGFR: &egfr})
			if err1 != nil || err2 != nil || cb == ca {
				t.Errorf("kdigo-2024 at %v: %q just below, %q at it (%v %v): the level is not where the rule changes", q, cb, ca, err1, err2)
			}
		}
	}
	if ResponseUPCRLevels(EULAR2019) != nil || ResponseUPCRLevels(ACR2024) != nil {
		t.Error("eular-2019 and acr-2024 print no mg/mmol numbers: no pairing")
	}
	for _, q := range FlareUPCRLevels(KDIGO2012Flare)[0] { // 500 mg/g [50 mg/mmol]
		rise := q
		rise.Value *= 2.01 // to >= 1000 [100], < 2000 [200]
		lo, hi := q, q
		lo.Value *= 0.99
		hi.Value *= 1.01
		rl, err1 := Flare(KDIGO2012Flare, FlareInput{BaselineUPCR: lo, UPCR: rise})
		rh, err2 := Flare(KDIGO2012Flare, FlareInput{BaselineUPCR: hi, UPCR: rise})
		if err1 != nil || err2 != nil || rl.Verdict == rh.Verdict {
			t.Errorf("kdigo-2012 from just below and above %v to %v: %q and %q (%v %v)", q, rise, rl.Verdict, rh.Verdict, err1, err2)
		}
	}
	if FlareUPCRLevels(MoroniFlare) != nil || FlareUPCRLevels(AURORA2Flare) != nil || FlareUPCRLevels(EULAR2012Flare) != nil {
		t.Error("moroni, aurora-2 and eular-2012 print no mg/mmol numbers: no pairing")
	}
}
