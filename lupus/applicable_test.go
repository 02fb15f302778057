package lupus

import (
	"testing"

	"renalwatch/units"
)

// A baseline UPCR below 0.5 g/g (KDIGO's pairing: 50 mg/mmol) is no
// proteinuria to respond from: KDIGO 2024 LN defines complete response as a
// reduction to < 0.5 g/g and partial as a ≥ 50% reduction. The tester's
// case (0.4 → 0.3 g/g, a 25% reduction) was called "complete".
func TestResponseNotApplicableWithoutBaselineProteinuria(t *testing.T) {
	be, e, m := 72.0, 70.0, 12.0
	cases := []struct {
		base, cur units.Quantity
		want      string
	}{
		{units.Quantity{Value: 0.4, Unit: units.GPerG}, units.Quantity{Value: 0.3, Unit: units.GPerG}, ResponseNotApplicable},
		{units.Quantity{Value: 499, Unit: units.MgPerG}, units.Quantity{Value: 300, Unit: units.MgPerG}, ResponseNotApplicable},
		{units.Quantity{Value: 49, Unit: units.MgPerMmol}, units.Quantity{Value: 30, Unit: units.MgPerMmol}, ResponseNotApplicable},
		// At 0.5 g/g (50 mg/mmol) the rules apply: 0.3 is < 0.5 with a stable eGFR.
		{units.Quantity{Value: 0.5, Unit: units.GPerG}, units.Quantity{Value: 0.3, Unit: units.GPerG}, ResponseComplete},
		{units.Quantity{Value: 50, Unit: units.MgPerMmol}, units.Quantity{Value: 30, Unit: units.MgPerMmol}, ResponseComplete},
	}
	for _, c := range cases {
		for _, rule := range ResponseRules() {
			in := ResponseInput{BaselineUPCR: c.base, UPCR: c.cur, BaselineEGFR: &be, EGFR: &e, Months: &m}
			r, err := Response(rule, in)
			if err != nil {
				t.Fatalf("%s %v: %v", rule, c.base, err)
			}
			cat, _ := ResponseCategory(rule, in)
			if cat != r.Response {
				t.Errorf("%s %v: category %q != response %q", rule, c.base, cat, r.Response)
			}
			if c.want == ResponseNotApplicable {
				if r.Response != ResponseNotApplicable || len(r.Warnings) == 0 || r.Provisional {
					t.Errorf("%s baseline %v: got %q %v, want not applicable with a warning", rule, c.base, r.Response, r.Warnings)
				}
				continue
			}
			if rule == KDIGO2024 && r.Response != c.want {
				t.Errorf("%s baseline %v: got %q, want %q", rule, c.base, r.Response, c.want)
			}
			if r.Response == ResponseNotApplicable {
				t.Errorf("%s baseline %v at the threshold: not applicable", rule, c.base)
			}
		}
	}
}
