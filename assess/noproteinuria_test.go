package assess_test

import (
	"testing"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// An induction started with a baseline UPCR of 40 mg/mmol (below KDIGO
// 2024 LN's 0.5 g/g, paired with 50 mg/mmol) has no proteinuria to respond
// from: the response is "not applicable", never "complete", and no
// no-response alert is raised.
func TestEpisodeWithoutBaselineProteinuriaNotApplicable(t *testing.T) {
	b := newPatient(t, "ln-low", "1985-07-20", record.Male)
	b.cond(record.LupusNephritis, "2022-01-15", "III")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2022-02-01", "")
	b.series(units.Creatinine, units.UmolPerL, "2022-01-20", 88.0, "2022-08-01", 85.0, "2023-02-01", 86.0)
	b.series(units.PCR, units.MgPerMmol, "2022-01-20", 40.0, "2022-08-01", 30.0, "2023-02-01", 45.0)
	a := assess.Assess(b.timeline(), day("2023-03-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || *r.Response != lupus.ResponseNotApplicable {
		t.Fatalf("response = %+v, want %q", r, lupus.ResponseNotApplicable)
	}
	if r.Best != nil || len(r.Warnings) == 0 {
		t.Errorf("best %+v warnings %v: want no best response and a warning", r.Best, r.Warnings)
	}
	for _, al := range a.Alerts {
		if al.Code == assess.AlertNoResponse6m {
			t.Errorf("no-response alert without baseline proteinuria: %s", al.Message)
		}
	}
	// At 50 mg/mmol the rule applies: 30 mg/mmol is a complete response.
	b2 := newPatient(t, "ln-50", "1985-07-20", record.Male)
	b2.cond(record.LupusNephritis, "2022-01-15", "III")
	b2.therapy(record.Mycophenolate, "mycophenolate mofetil", "2022-02-01", "")
	b2.series(units.Creatinine, units.UmolPerL, "2022-01-20", 88.0, "2022-08-01", 85.0)
	b2.series(units.PCR, units.MgPerMmol, "2022-01-20", 50.0, "2022-08-01", 30.0)
	a2 := assess.Assess(b2.timeline(), day("2022-09-01"), assess.DefaultConfig())
	if r := a2.Lupus.Response; r == nil || r.Response == nil || *r.Response != lupus.ResponseComplete {
		t.Errorf("baseline 50 mg/mmol: response %+v, want complete", r)
	}
}
