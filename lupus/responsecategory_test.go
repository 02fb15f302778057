package lupus

import (
	"testing"

	"renalwatch/units"
)

// TestResponseCategoryMatches: ResponseCategory gives Response's category
// and error (and ResponseBrief the provisional flag) for every rule over a grid of UPCRs (each unit, around every
// cut-off: 0.5, 0.7, 3 and 3.5 g/g, 50 and 300 mg/mmol, and the 50%
// reduction), eGFRs (around 10% and 20% declines and the 60 and 90 floors)
// and months (with an out-of-range one).
func TestResponseCategoryMatches(t *testing.T) {
	var upcrs []units.Quantity
	for _, v := range []float64{0.1, 0.49, 0.5, 0.51, 0.69, 0.7, 0.71, 1, 1.5, 2, 2.99, 3, 3.01, 3.49, 3.5, 3.6, 6} {
		upcrs = append(upcrs, units.Q(v, units.GPerG), units.Q(v*1000, units.MgPerG), units.Q(v*100, units.MgPerMmol))
	}
	bases := []units.Quantity{{}, units.Q(1, units.GPerG), units.Q(2, units.GPerG), units.Q(3, units.GPerG), units.Q(4, units.GPerG),
		units.Q(6, units.GPerG), units.Q(300, units.MgPerMmol), units.Q(4000, units.MgPerG)}
	egfrs := []float64{30, 54, 55, 59.9, 60, 72, 80, 81, 89.9, 90, 100, 120}
	months := []*float64{nil, f(9), f(300)}
	n := 0
	for _, rule := range ResponseRules() {
		for _, bq := range bases {
			for _, cq := range upcrs {
				for _, be := range []float64{60, 100} {
					for _, ce := range egfrs {
						for _, m := range months {
							in := ResponseInput{BaselineUPCR: bq, UPCR: cq, BaselineEGFR: f(be), EGFR: f(ce), Months: m}
							full, errF := Response(rule, in)
							cat, errC := ResponseCategory(rule, in)
							if (errF == nil) != (errC == nil) || (errF != nil && errF.Error() != errC.Error()) || (errF == nil && cat != full.Response) {
								t.Fatalf("%s %+v: Response %q (%v), ResponseCategory %q (%v)", rule, in, full.Response, errF, cat, errC)
							}
							catB, prov, errB := ResponseBrief(rule, in)
							if (errB == nil) != (errF == nil) || catB != cat || (errF == nil && prov != full.Provisional) {
								t.Fatalf("%s %+v: Response %q provisional %v (%v), ResponseBrief %q provisional %v (%v)", rule, in, full.Response, full.Provisional, errF, catB, prov, errB)
							}
							n++
						}
					}
				}
			}
		}
	}
	if n < 150000 {
		t.Fatalf("only %d cases", n)
	}
}
