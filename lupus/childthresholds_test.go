package lupus

import (
	"strings"
	"testing"

	"renalwatch/units"
)

// Trial 3 #4: an 11-year-old judged by a spot UPCR. KDIGO 2024 LN (Kidney
// Int 2024;105(1S):S1-S69; lupus.md §2.2) defines complete response in
// children as proteinuria < 2 mg/kg/day or < 300 mg/m²/day on a 24-h urine,
// not in g/g: the adult thresholds (< 0.5 g/g, < 3 g/g) are labelled as
// such and a warning names the children's criterion; the category is left
// as the rule gives it. At 18 nothing is added.
func TestChildThresholds(t *testing.T) {
	in := ResponseInput{BaselineUPCR: q(1.5, units.GPerG), UPCR: q(0.38, units.GPerG), BaselineEGFR: f(90), EGFR: f(94), Months: f(9)}
	for _, rule := range []ResponseRule{KDIGO2024, EULAR2019, ACR2024, BLISSLNCRR, AURORACRR} {
		r, err := Response(rule, in)
		if err != nil {
			t.Fatal(err)
		}
		adult := r.Response
		ChildThresholds(&r, 11)
		if r.Response != adult {
			t.Errorf("%s: category changed from %q to %q", rule, adult, r.Response)
		}
		labelled := 0
		for _, c := range r.Criteria {
			if strings.HasPrefix(c.Name, "UPCR <") || strings.HasPrefix(c.Name, "UPCR ≤") || strings.HasPrefix(c.Name, "UPCR sub") {
				if !strings.HasSuffix(c.Name, " (adult threshold)") {
					t.Errorf("%s: criterion %q not labelled as adult", rule, c.Name)
				}
				labelled++
			} else if strings.Contains(c.Name, "adult") {
				t.Errorf("%s: criterion %q wrongly labelled", rule, c.Name)
			}
		}
		if labelled == 0 {
			t.Errorf("%s: no UPCR threshold labelled: %+v", rule, r.Criteria)
		}
		w := r.Warnings[len(r.Warnings)-1]
		if !strings.HasPrefix(w, ChildThresholdsWarning) || !strings.Contains(w, "11 years old") || !strings.Contains(w, "< 2 mg/kg/day or < 300 mg/m²/day") {
			t.Errorf("%s: warning %q", rule, w)
		}
	}
	r, _ := Response(KDIGO2024, in)
	n, first := len(r.Warnings), r.Criteria[0].Name
	ChildThresholds(&r, 18)
	if len(r.Warnings) != n || r.Criteria[0].Name != first {
		t.Errorf("age 18: changed to %+v", r)
	}
}
