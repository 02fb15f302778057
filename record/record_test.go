package record_test

import (
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

func TestDeriveIDStable(t *testing.T) {
	a := record.DeriveID("Observation", "p1", "creatinine", "2020-01-01T00:00:00Z", "1.2", "mg/dL")
	b := record.DeriveID("Observation", "p1", "creatinine", "2020-01-01T00:00:00Z", "1.2", "mg/dL")
	c := record.DeriveID("Observation", "p1", "creatinine", "2020-01-01T00:00:00Z", "1.2mg/dL", "")
	if a != b {
		t.Errorf("DeriveID differs for equal parts: %s, %s", a, b)
	}
	if a == c {
		t.Errorf("DeriveID does not separate parts: %q and %q hash alike", "1.2|mg/dL", "1.2mg/dL|")
	}
	if len(a) != len("Observation/")+32 {
		t.Errorf("DeriveID = %q, want Observation/ and 32 hex digits", a)
	}
}

func TestContentHashIgnoresLocation(t *testing.T) {
	o := cr("c1", "2020-01-01", 1.1)
	o2 := o
	p2 := o2.Provenance()
	p2.File, p2.Line, p2.System = "other.ndjson", 42, "another-name"
	o2.SetProvenance(p2)
	if o.ContentHash() != o2.ContentHash() {
		t.Error("ContentHash depends on the file, line or source name it was read with")
	}
	o3 := o
	o3.Value = units.Q(1.2, units.MgPerDL)
	if o.ContentHash() == o3.ContentHash() {
		t.Error("ContentHash ignores the value")
	}
	o4 := o
	o4.Comparator = record.Less
	if o.ContentHash() == o4.ContentHash() {
		t.Error("ContentHash ignores the comparator")
	}
	o5 := o
	o5.Time = o.Time.Add(time.Minute)
	if o.ContentHash() == o5.ContentHash() {
		t.Error("ContentHash ignores the time")
	}
}

// An observation's identity is the measurement (patient, analyte, time,
// value, unit, comparator), not where it was read from: the same creatinine
// read back from a CSV export of a FHIR import, without the FHIR resource
// type, code, source text or the importer's notes, is the same record
// (trial: re-importing the CSV export into the FHIR-built store reported
// "other content").
func TestContentHashIsTheMeasurement(t *testing.T) {
	o := cr("c1", "2020-01-01", 1.1)
	o.SetProvenance(record.Provenance{System: "fhir", ResourceType: "Observation", ResourceID: "c1",
		Code: record.Coding{System: "http://loinc.org", Code: "38483-4", Display: "Creatinine"}, Unit: "mg/dL", Value: "1.1", File: "Observation.ndjson", Line: 3})
	o.Notes = []string{"unit from LOINC definition"}
	fromCSV := cr("c1", "2020-01-01", 1.1)
	fromCSV.SetProvenance(record.Provenance{ResourceID: "c1", Unit: "mg/dL", Value: "1.1", File: "labs.csv", Line: 2})
	if o.ContentHash() != fromCSV.ContentHash() {
		t.Error("the same measurement read from a CSV export hashes apart from its FHIR import")
	}
	other := fromCSV
	other.PatientID = "p2"
	if o.ContentHash() == other.ContentHash() {
		t.Error("ContentHash ignores the patient")
	}
}

func TestEnumsRoundTrip(t *testing.T) {
	for _, c := range record.TherapyClasses() {
		got, ok := record.ParseTherapyClass(c.String())
		if !ok || got != c {
			t.Errorf("ParseTherapyClass(%q) = %v, %v", c.String(), got, ok)
		}
	}
	if got, ok := record.ParseTherapyClass("raas-blockade"); !ok || got != record.RAASBlockade {
		t.Errorf("ParseTherapyClass(raas-blockade) = %v, %v", got, ok)
	}
	if _, ok := record.ParseTherapyClass("aspirin"); ok {
		t.Error("ParseTherapyClass accepted aspirin")
	}
	for k := record.SLE; k <= record.Hypertension; k++ {
		if got, ok := record.ParseConditionKind(k.String()); !ok || got != k {
			t.Errorf("ParseConditionKind(%q) = %v, %v", k.String(), got, ok)
		}
	}
	for k := record.Dialysis; k <= record.KidneyTransplant; k++ {
		if got, ok := record.ParseReplacementKind(k.String()); !ok || got != k {
			t.Errorf("ParseReplacementKind(%q) = %v, %v", k.String(), got, ok)
		}
	}
	if record.TherapyClass(0).String() != "unknown" || record.TherapyClass(99).String() != "unknown" {
		t.Error("out-of-range TherapyClass does not print unknown")
	}
	for _, tt := range []struct {
		in   string
		want record.Sex
		ok   bool
	}{{"female", record.Female, true}, {"M", record.Male, true}, {"Other", record.SexOther, true}, {"", record.SexUnknown, true}, {"x", record.SexUnknown, false}} {
		got, ok := record.ParseSex(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseSex(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// Kidney replacement kinds read as words in the British spelling of the
// report (haemoglobin, anaemia), never as their JSON codes.
func TestReplacementTitle(t *testing.T) {
	for code, want := range map[string]string{"hemodialysis": "haemodialysis", "peritoneal_dialysis": "peritoneal dialysis", "kidney_transplant": "kidney transplant", "dialysis": "dialysis", "other": "other"} {
		if got := record.ReplacementTitle(code); got != want {
			t.Errorf("ReplacementTitle(%q) = %q, want %q", code, got, want)
		}
	}
}
