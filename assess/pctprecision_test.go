package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/units"
)

// shortfall is ResponseShortfall's text for a response of "none" under
// rule whose partial-response eGFR and UPCR criteria failed.
func shortfall(rule lupus.ResponseRule, egfr, baseline float64, upcr, baseUPCR float64) string {
	none, no, yes := lupus.ResponseNone, false, true
	u, b := units.Q(upcr, units.GPerG), units.Q(baseUPCR, units.GPerG)
	r := &assess.Response{Rule: rule, Response: &none, EGFR: &egfr, BaselineEGFR: &baseline, UPCR: &u, BaselineUPCR: &b,
		Criteria: []lupus.CriterionResult{{Met: &no}, {Name: "eGFR", Met: &no}, {Name: "UPCR halved", Met: &no}, {Name: "UPCR < 3 g/g", Met: &yes}}}
	s, _ := assess.ResponseShortfall(r)
	return s
}

// Trial 5 #6: a percentage change in human text reads as a whole percent
// (docs/report.md, "Numbers in human text"), but keeps the decimals that
// hold it on its side of the threshold the message names (10.04% must not
// read "10%" next to "no more than 10% below baseline"), and when the
// eGFRs it quotes whole would give another percentage, the unrounded eGFRs
// follow (27 and 32 give 16%, not 15%).
func TestShortfallPercentages(t *testing.T) {
	for _, tc := range []struct {
		rule           lupus.ResponseRule
		egfr, base     float64
		upcr, baseUPCR float64
		want, notWant  string
	}{
		// 27.12 vs 32.09: 15.49% below; whole 15 would sit inside KDIGO's 15%.
		{lupus.KDIGO2024, 27.12, 32.09, 1.8, 2.4, "eGFR 27 is 15.5% below baseline 32 (from the unrounded eGFRs 27.12 and 32.09; KDIGO 2024", "15.49"},
		// 45 vs 50.02: 10.04% below, next to EULAR's 10%.
		{lupus.EULAR2019, 45, 50.02, 1.8, 2.4, "eGFR 45 is 10.04% below baseline 50 (from the unrounded eGFRs 45 and 50.02; EULAR 2019", "10.0359"},
		// 40 vs 50: 20% from whole values as from unrounded: no note.
		{lupus.KDIGO2024, 40, 50, 1.8, 2.4, "eGFR 40 is 20% below baseline 50 (KDIGO 2024", "unrounded"},
		// UPCR 1.8 from 3.57: 49.58% fall; "50%" would meet "at least 50%".
		{lupus.KDIGO2024, 40, 50, 1.8, 3.57, "UPCR fell by 49.6% from baseline (at least 50% required)", "49.58"},
		// UPCR 1.8 from 1.66: 8.434% rise, no threshold on that side.
		{lupus.KDIGO2024, 40, 50, 1.8, 1.66, "UPCR rose by 8% from baseline", "8.4"},
	} {
		got := shortfall(tc.rule, tc.egfr, tc.base, tc.upcr, tc.baseUPCR)
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.notWant) {
			t.Errorf("%s eGFR %v/%v UPCR %v/%v:\n got %q\nwant %q, without %q", tc.rule, tc.egfr, tc.base, tc.upcr, tc.baseUPCR, got, tc.want, tc.notWant)
		}
	}
}
