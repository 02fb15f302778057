package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
)

// Nothing is computed for an as-of before birth: classIVToG4 has records
// from 2019; its birth date is the fixture's. As of the day before birth
// there is no age, eGFR, stage or alert, and missing says why.
func TestNothingAssessedBeforeBirth(t *testing.T) {
	b := classIVToG4(t)
	birth := b.p.BirthDate
	a := assess.Assess(b.timeline(), birth.AddDate(0, 0, -1), assess.DefaultConfig())
	if a.Patient.AgeYears != nil || a.Kidney.Series.Len() != 0 || a.Kidney.Stage.G != nil || len(a.Alerts) != 0 || a.Lupus.Response != nil {
		t.Errorf("before birth: age %v series %v stage %v alerts %v response %v", a.Patient.AgeYears, a.Kidney.Series, a.Kidney.Stage.G, a.Alerts, a.Lupus.Response)
	}
	if len(a.Missing) == 0 || a.Missing[len(a.Missing)-1].Path != "as_of" || !strings.Contains(a.Missing[len(a.Missing)-1].Reason, "before the birth date "+birth.Format("2006-01-02")) {
		t.Errorf("missing %+v does not name the birth date", a.Missing)
	}
	// On the birthday itself the assessment runs (age 0).
	a = assess.Assess(b.timeline(), birth, assess.DefaultConfig())
	for _, m := range a.Missing {
		if m.Path == "as_of" {
			t.Errorf("on the birth date: %s", m.Reason)
		}
	}
}
