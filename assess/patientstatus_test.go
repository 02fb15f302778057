package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

func missingSays(a assess.Assessment, path, phrase string) bool {
	for _, m := range a.Missing {
		if m.Path == path && strings.Contains(m.Reason, phrase) {
			return true
		}
	}
	return false
}

// A patient recorded as deceased gets no alerts (record.Patient.DeadAt):
// every alert asks for action now. Here an eGFR of about 20 would raise
// ckd-g4.
func TestDeceasedPatientGetsNoAlerts(t *testing.T) {
	b := newPatient(t, "dead", "1950-01-01", record.Female).
		obs(units.Creatinine, "2023-10-01", 2.4, units.MgPerDL).
		obs(units.Creatinine, "2023-12-01", 2.5, units.MgPerDL)
	alive := assess.Assess(b.timeline(), day("2024-01-01"), assess.DefaultConfig())
	if len(alive.Alerts) == 0 {
		t.Fatal("control: a living patient with eGFR about 20 raises no alert; the test cannot show anything")
	}
	b.p.Deceased, b.p.DeceasedDate = true, day("2023-12-15")
	dead := assess.Assess(b.timeline(), day("2024-01-01"), assess.DefaultConfig())
	if len(dead.Alerts) != 0 || !dead.Patient.Deceased || !missingSays(dead, "alerts", "deceased (on 2023-12-15)") {
		t.Errorf("deceased: alerts %+v, patient %+v, missing %+v", dead.Alerts, dead.Patient, dead.Missing)
	}
	// Before the date of death the alerts stand.
	before := assess.Assess(b.timeline(), day("2023-12-10"), assess.DefaultConfig())
	if len(before.Alerts) == 0 {
		t.Error("as of a date before death: no alerts")
	}
	// A death with no date counts at every time.
	b.p.DeceasedDate = record.Patient{}.DeceasedDate
	if a := assess.Assess(b.timeline(), day("2023-12-10"), assess.DefaultConfig()); len(a.Alerts) != 0 {
		t.Errorf("death date unknown: alerts %+v", a.Alerts)
	}
}

// A provisional SLE diagnosis does not switch the lupus rules on
// (record.Condition.Established; FHIR: provisional is a kind of unconfirmed).
func TestProvisionalLupusDoesNotApplyRules(t *testing.T) {
	b := newPatient(t, "prov", "1980-01-01", record.Female).
		cond(record.SLE, "2020-01-01", "").
		obs(units.Creatinine, "2023-12-01", 0.9, units.MgPerDL)
	b.b.Conditions[0].Verification = "provisional"
	a := assess.Assess(b.timeline(), day("2024-01-01"), assess.DefaultConfig())
	if a.Lupus.Applicable {
		t.Error("a provisional SLE diagnosis switched the lupus rules on")
	}
	b.b.Conditions[0].Verification = "confirmed"
	if a := assess.Assess(b.timeline(), day("2024-01-01"), assess.DefaultConfig()); !a.Lupus.Applicable {
		t.Error("a confirmed SLE diagnosis did not switch the lupus rules on")
	}
}

// With a birth date known only to the year, the equation is not chosen when
// the patient may be under or over 18 at the sample (CKD-EPI 2021 is for
// adults, CKiD U25 for children); far from the boundary it is computed.
func TestPartialBirthDateAtTheAdultBoundary(t *testing.T) {
	b := newPatient(t, "yr", "2006-01-01", record.Male).
		obs(units.Creatinine, "2024-06-01", 0.9, units.MgPerDL). // born in 2006: 17 or 18
		obs(units.Creatinine, "2025-06-01", 0.9, units.MgPerDL)  // 18 or 19
	b.p.BirthPrecision = record.PrecisionYear
	a := assess.Assess(b.timeline(), day("2025-07-01"), assess.DefaultConfig())
	s := a.Kidney.Series
	if s.Len() != 2 || s.At(0).Value != nil || !strings.Contains(s.At(0).Reason, "under or over 18") {
		t.Errorf("sample at 17 or 18: %+v; want no eGFR and the reason", s)
	}
	if s.Len() == 2 && (s.At(1).Value == nil || s.At(1).Equation != "ckd-epi-2021") {
		t.Errorf("sample at 18 or 19: %+v; want ckd-epi-2021", s.At(1))
	}
	if a.Patient.BirthPrecision != "year" || !missingSays(a, "patient.birth_date", "known to the year only") {
		t.Errorf("patient %+v, missing %+v", a.Patient, a.Missing)
	}
}

// Trial #16: a deceased patient gets no KFRE (a risk of future kidney
// failure describes the living), with the reason; before death it stands.
func TestDeceasedPatientGetsNoKFRE(t *testing.T) {
	b := newPatient(t, "deadkfre", "1950-01-01", record.Female).
		obs(units.Creatinine, "2023-12-01", 2.5, units.MgPerDL).
		obs(units.ACR, "2023-12-01", 800, units.MgPerG)
	if a := assess.Assess(b.timeline(), day("2024-01-01"), assess.DefaultConfig()); a.Kidney.KFRE == nil {
		t.Fatal("control: a living G4 A3 patient has no KFRE; the test cannot show anything")
	}
	b.p.Deceased, b.p.DeceasedDate = true, day("2023-12-15")
	dead := assess.Assess(b.timeline(), day("2024-01-01"), assess.DefaultConfig())
	if dead.Kidney.KFRE != nil || !missingSays(dead, "kidney.kfre", "not applicable: deceased on 2023-12-15") {
		t.Errorf("deceased: KFRE %+v, missing %+v", dead.Kidney.KFRE, dead.Missing)
	}
	if a := assess.Assess(b.timeline(), day("2023-12-10"), assess.DefaultConfig()); a.Kidney.KFRE == nil {
		t.Error("as of a date before death: no KFRE")
	}
}
