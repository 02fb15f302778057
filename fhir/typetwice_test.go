package fhir

import (
	"testing"
	"time"

	"renalwatch/record"
)

// TestTypeTwice: a rejected line giving resourceType twice is reported
// (renalwatch cohort then reads its bucket whole); a line read with a
// contained resource's own resourceType, or a clean later read, is not.
func TestTypeTwice(t *testing.T) {
	s := (&Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}).NewSession()
	obs := `{"resourceType":"Observation","id":"o","status":"final","subject":{"reference":"Patient/p"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-06","valueQuantity":{"value":1.5,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"}`
	contained := `{"resourceType":"MedicationRequest","id":"mr","status":"active","intent":"order","contained":[{"resourceType":"Medication","id":"m9","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"68149"}]}}],"medicationReference":{"reference":"#m9"},"subject":{"reference":"Patient/p"},"authoredOn":"2020-01-07"}`
	for _, c := range []struct {
		data     string
		twice    bool
		rejected int
	}{
		{obs + `,"resourceType":"Medication"}` + "\n" + obs + "}\n", true, 1},
		{obs + `,"ResourceType":"Observation"}` + "\n", false, 1}, // the text holds "resourceType" once
		{obs + "}\n", false, 0},
		{contained + "\n", false, 0},
	} {
		var b record.Batch
		r, err := s.ReadBytesTo("t", []byte(c.data), &b)
		if err != nil {
			t.Fatal(err)
		}
		if s.TypeTwice() != c.twice || len(r.Rejected) != c.rejected {
			t.Errorf("%.60s…: TypeTwice %v, %d rejected; want %v, %d", c.data, s.TypeTwice(), len(r.Rejected), c.twice, c.rejected)
		}
	}
}
