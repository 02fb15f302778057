package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// After a kidney transplant the lupus nephritis response rules are not
// applied: they judge the native kidney's response to induction (KDIGO 2024
// LN, lupus.md §2), and mycophenolate started at the transplant protects the
// graft. A response of "none" here would be a confident wrong answer.
func TestNoLNResponseAfterTransplant(t *testing.T) {
	b := newPatient(t, "tx", "1980-01-01", record.Female).
		cond(record.LupusNephritis, "2015-01-01", "IV").
		therapy(record.Mycophenolate, "mycophenolate", "2015-02-01", "2016-02-01").
		replacement(record.KidneyTransplant, "2020-05-01", "").
		therapy(record.Mycophenolate, "mycophenolate", "2020-05-01", "").
		obs(units.PCR, "2015-02-01", 3000, units.MgPerG).
		obs(units.PCR, "2020-12-01", 2500, units.MgPerG).
		obs(units.Creatinine, "2020-12-01", 1.1, units.MgPerDL)
	a := assess.Assess(b.timeline(), day("2021-01-01"), assess.DefaultConfig())
	if a.Lupus.Response != nil {
		t.Errorf("response after a transplant = %+v, want none judged", *a.Lupus.Response)
	}
	found := false
	for _, m := range a.Missing {
		if m.Path == "lupus.response" && strings.Contains(m.Reason, "kidney transplant") {
			found = true
		}
	}
	if !found {
		t.Errorf("missing %+v does not explain the transplant", a.Missing)
	}
	for _, al := range a.Alerts {
		if al.Code == "no-response-6m" {
			t.Errorf("alert %s raised for a graft: %s", al.Code, al.Message)
		}
	}
}
