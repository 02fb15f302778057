package assess

import (
	"strings"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// An eGFR RenalWatch computed in an earlier report (its source code in
// ComputedEGFRSystem, as the FHIR reader stores one read back from a
// report Bundle) is never a laboratory eGFR: not the assessment's eGFR,
// not "a laboratory eGFR newer than the latest computed eGFR", not a
// creatinine measurement for monitoring. It is listed under not_used, and
// one newer than the record's latest creatinine is named in missing.
func TestComputedEarlierEGFRNotUsed(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.UTC() }
	p := record.Patient{ID: "x3", Sex: record.Female, BirthDate: day("1960-01-01")}
	earlier := func(id, date string, v float64) record.Observation {
		o := record.Observation{ID: id, PatientID: "x3", Analyte: units.EGFR, Value: units.Q(v, units.MLPerMinBSA), Time: day(date)}
		o.SetProvenance(record.Provenance{ResourceType: "Observation", ResourceID: id, Unit: "mL/min/{1.73_m2}",
			Code: record.Coding{System: ComputedEGFRSystem, Code: "ckd-epi-2021"}})
		return o
	}
	cr := record.Observation{ID: "c1", PatientID: "x3", Analyte: units.Creatinine, Value: units.Q(1.4, units.MgPerDL), Time: day("2025-01-10")}
	asOf := day("2026-11-01")
	a := Assess(record.NewTimeline(p, record.Batch{Observations: []record.Observation{
		cr, earlier("e1", "2025-01-10", 41.3), earlier("e2", "2026-10-01", 24.6),
	}}), asOf, DefaultConfig())

	e := a.Kidney.EGFR
	if e == nil || e.Reported != nil || e.Equation != "ckd-epi-2021" || !e.Date.Equal(cr.Time) {
		t.Fatalf("kidney.egfr %+v: want the eGFR computed from creatinine c1", e)
	}
	if len(a.NotUsed) != 2 {
		t.Fatalf("not_used %+v: want e1 and e2", a.NotUsed)
	}
	for i, want := range []string{
		"computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, not a laboratory result: not used; the eGFR of that date is computed afresh from its creatinine in the record",
		"computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, not a laboratory result: not used; the creatinine it was computed from is not in the record (import the laboratory's creatinine to have that date assessed)",
	} {
		n := a.NotUsed[i]
		if n.Reason != want || n.Origin != OriginRenalWatchReport || n.Equation != "ckd-epi-2021" || n.What != "egfr" || n.Value == nil || n.Kind != "observation" {
			t.Errorf("not_used[%d] = %+v, reason %q; want %q", i, n, n.Reason, want)
		}
	}
	var newer, labNewer bool
	for _, m := range a.Missing {
		newer = newer || m.Path == "kidney.egfr" && strings.HasPrefix(m.Reason, "an eGFR computed by RenalWatch in an earlier report (25 mL/min/1.73 m² on 2026-10-01) is newer than the latest eGFR here")
		labNewer = labNewer || strings.Contains(m.Reason, "a laboratory eGFR")
	}
	if !newer || labNewer {
		t.Errorf("missing %+v: want the newer RenalWatch eGFR named, and no laboratory eGFR", a.Missing)
	}
	// Creatinine monitoring: the last creatinine is c1 (2025-01-10), not
	// the date of a RenalWatch eGFR.
	var due *Due
	for _, al := range a.Alerts {
		if al.Code == AlertMonitoringOverdue && al.Due != nil && strings.HasPrefix(al.Due.What, "creatinine") {
			due = al.Due
		}
	}
	if due == nil || !due.Last.Equal(cr.Time) {
		t.Errorf("creatinine monitoring %+v: want overdue, last measured %s", due, date(cr.Time))
	}
	for _, l := range a.LatestLabs {
		if l.Analyte == "egfr" && (l.Value.Value == 24.6 || l.Value.Value == 41.3) {
			t.Errorf("latest_labs eGFR %+v is RenalWatch's earlier eGFR", l)
		}
	}
}
