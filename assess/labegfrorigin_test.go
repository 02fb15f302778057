package assess

import (
	"strings"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// A laboratory eGFR imported from CSV has no code: the text names its
// source ("a CSV row, no LOINC code"), never "LOINC " with nothing after
// it, and writes the unit as people read it (mL/min/1.73 m²), not its UCUM
// code; JSON keeps the UCUM code (trial 3 #10).
func TestLabEGFRFromCSVNamesItsSource(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.UTC() }
	p := record.Patient{ID: "x2", Sex: record.Male, BirthDate: day("1960-01-01")}
	lab := func(id, date string) record.Observation {
		o := record.Observation{ID: id, PatientID: "x2", Analyte: units.EGFR, Value: units.Q(45, units.MLPerMinBSA), Time: day(date)}
		o.SetProvenance(record.Provenance{System: "csv", ResourceType: "csv", Unit: "mL/min/1.73m2", Value: "45"})
		return o
	}
	// Only the laboratory eGFR: it is used, and named by its source.
	a := Assess(record.NewTimeline(p, record.Batch{Observations: []record.Observation{lab("e1", "2026-10-05")}}), day("2026-11-01"), DefaultConfig())
	e := a.Kidney.EGFR
	if e == nil || e.Reported == nil {
		t.Fatalf("eGFR %+v: want the laboratory's", e)
	}
	if e.Unit != units.MLPerMinBSA || e.Reported.ResourceType != "csv" || e.Reported.Origin() != "a CSV row, no LOINC code" {
		t.Errorf("unit %q, reported %+v, origin %q", e.Unit, e.Reported, e.Reported.Origin())
	}
	for _, w := range e.Warnings {
		if strings.Contains(w, "LOINC no code") || strings.Contains(w, "LOINC  ") {
			t.Errorf("warning %q names an empty LOINC code", w)
		}
	}
	// A newer laboratory eGFR beside a computed one: the reason says the
	// source and the human unit.
	cr := record.Observation{ID: "c1", PatientID: "x2", Analyte: units.Creatinine, Value: units.Q(1.4, units.MgPerDL), Time: day("2026-10-01")}
	a = Assess(record.NewTimeline(p, record.Batch{Observations: []record.Observation{cr, lab("e2", "2026-10-08")}}), day("2026-11-01"), DefaultConfig())
	var why string
	for _, m := range a.Missing {
		if strings.Contains(m.Reason, "a laboratory eGFR") {
			why = m.Reason
		}
	}
	if !strings.HasPrefix(why, "a laboratory eGFR (45 mL/min/1.73 m², a CSV row, no LOINC code) of 2026-10-08") {
		t.Errorf("reason %q", why)
	}
	for code, want := range map[[3]string]string{
		{"http://loinc.org", "33914-3", "Observation"}: "LOINC 33914-3",
		{"", "33914-3", "csv"}:                         "LOINC 33914-3",
		{"urn:local", "EGFR1", "Observation"}:          "urn:local code EGFR1",
		{"", "", "csv"}:                                "a CSV row, no LOINC code",
		{"", "", ""}:                                   "a source without a LOINC code",
	} {
		if got := labEGFROrigin(code[0], code[1], code[2]); got != want {
			t.Errorf("labEGFROrigin%v = %q, want %q", code, got, want)
		}
	}
}
