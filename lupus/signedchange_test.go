package lupus

import (
	"strings"
	"testing"

	"renalwatch/units"
)

// Trial 3 #6: Moroni's nephritic flare compares creatinine with the last
// value (lupus.md §2.5, Lupus Sci Med 2022;9:e000721 Table 1: >= 30% above
// it); a creatinine that fell from 1.0 to 0.8 mg/dL is reported as a 20%
// fall, never "rise -20%".
func TestNephriticDetailSaysFall(t *testing.T) {
	in := FlareInput{BaselineUPCR: q(1, units.GPerG), UPCR: q(1.1, units.GPerG),
		BaselineCreatinine: q(1.0, units.MgPerDL), Creatinine: q(0.8, units.MgPerDL), Sediment: "active"}
	r, err := Flare(MoroniFlare, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Criteria {
		if strings.HasPrefix(c.Name, "nephritic: creatinine") {
			if c.Detail != "creatinine fall 20%" {
				t.Errorf("detail %q, want \"creatinine fall 20%%\"", c.Detail)
			}
			return
		}
	}
	t.Errorf("no nephritic creatinine criterion: %+v", r.Criteria)
}

// Trial 3 #12: a detail quotes a measured UPCR as the report does (the
// rounding policy's 6 significant digits for a value as given), not
// rounded to 4: KDIGO 2012 GN Table 29 severe relapse (absolute increase >
// 5000 mg/g), 1697 -> 11523 mg/g, reads "UPCR 1697 mg/g → 11523 mg/g"; the
// change, a computed number, keeps 4 digits (+9826).
func TestFlareDetailQuotesMeasuredUPCR(t *testing.T) {
	r, err := Flare(KDIGO2012Flare, FlareInput{BaselineUPCR: q(1697, units.MgPerG), UPCR: q(11523, units.MgPerG)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Severity == nil || *r.Severity != "severe" {
		t.Errorf("severity %v, want severe", r.Severity)
	}
	found := false
	for _, c := range r.Criteria {
		if strings.Contains(c.Detail, "UPCR 1697 mg/g") {
			found = true
			if !strings.HasPrefix(c.Detail, "UPCR 1697 mg/g → 11523 mg/g (change +9826 mg/g)") {
				t.Errorf("detail %q", c.Detail)
			}
		}
	}
	if !found {
		t.Errorf("no UPCR detail: %+v", r.Criteria)
	}
	res, err := Response(KDIGO2024, ResponseInput{BaselineUPCR: q(11523, units.MgPerG), UPCR: q(2476, units.MgPerG), BaselineEGFR: f(80), EGFR: f(80), Months: f(8)})
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Criteria[2].Detail; !strings.HasPrefix(d, "UPCR 2476 vs baseline 11523 mg/g") {
		t.Errorf("response detail %q", d)
	}
}
