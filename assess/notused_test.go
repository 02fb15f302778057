package assess

import (
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// A creatinine and a lupus nephritis the source retracted as entered in
// error (trial 3 #2) drive nothing: the eGFR comes from the creatinine
// before it, the lupus rules are off, and both are listed under NotUsed
// with their value, date and the source's status. The retraction holds
// for an earlier as-of too (AsOf keeps it).
func TestRetractedRecordsNotUsed(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.UTC() }
	p := record.Patient{ID: "p", Sex: record.Female, BirthDate: day("1960-05-05")}
	b := record.Batch{
		Observations: []record.Observation{
			{ID: "Observation/o2", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(1.0, units.MgPerDL), Time: day("2026-10-02")},
			{ID: "Observation/o3", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(4.0, units.MgPerDL), Time: day("2026-10-03")},
		},
		Conditions: []record.Condition{{ID: "Condition/ln", PatientID: "p", Kind: record.LupusNephritis, Onset: day("2025-01-01"), Verification: "confirmed"}},
		Retractions: []record.Retraction{
			{ID: record.RetractionID(record.RetractObservation, "Observation/o3"), PatientID: "p", Kind: record.RetractObservation,
				Target: "Observation/o3", Status: "status entered-in-error"},
			{ID: record.RetractionID(record.RetractCondition, "Condition/ln"), PatientID: "p", Kind: record.RetractCondition,
				Target: "Condition/ln", Status: "verificationStatus entered-in-error"},
		},
	}
	tl := record.NewTimeline(p, b)
	for _, tl := range []*record.Timeline{tl, tl.AsOf(day("2026-11-01"))} {
		a := Assess(tl, day("2026-11-01"), DefaultConfig())
		if a.Kidney.EGFR == nil || !a.Kidney.EGFR.Date.Equal(day("2026-10-02")) {
			t.Errorf("eGFR = %+v; want the one of 2026-10-02, not the retracted creatinine of 2026-10-03", a.Kidney.EGFR)
		}
		if a.Lupus.Applicable {
			t.Error("lupus rules applied on a retracted lupus nephritis")
		}
		if len(a.NotUsed) != 2 {
			t.Fatalf("NotUsed = %+v; want the condition and the creatinine", a.NotUsed)
		}
		ln, cr := a.NotUsed[0], a.NotUsed[1]
		if ln.Kind != "condition" || ln.ID != "Condition/ln" || ln.What != "lupus_nephritis" || ln.Date == nil || !ln.Date.Equal(day("2025-01-01")) {
			t.Errorf("NotUsed[0] = %+v", ln)
		}
		if cr.Kind != "observation" || cr.ID != "Observation/o3" || cr.What != "creatinine" || cr.Value == nil || cr.Value.Value != 4 ||
			cr.Reason != "retracted by the source (status entered-in-error): kept in the store, not used in this assessment" {
			t.Errorf("NotUsed[1] = %+v", cr)
		}
	}
	// Before the retracted creatinine was taken, only the condition is listed.
	if a := Assess(tl, day("2026-01-01"), DefaultConfig()); len(a.NotUsed) != 1 || a.NotUsed[0].ID != "Condition/ln" {
		t.Errorf("NotUsed as of 2026-01-01 = %+v", a.NotUsed)
	}
}
