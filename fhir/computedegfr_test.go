package fhir_test

import (
	"strings"
	"testing"

	"renalwatch/fhir"
)

// An eGFR Observation of RenalWatch's own FHIR report (coded in
// fhir.SystemEquation beside its LOINC code) is skipped by rule when read
// back, not imported as a laboratory eGFR (trial 7 #2); a laboratory's
// eGFR with the same LOINC code is imported.
func TestComputedEGFRSkipped(t *testing.T) {
	obs := func(id, extra string) string {
		return `{"resourceType":"Observation","id":"` + id + `","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"98979-8"}` + extra + `]},` +
			`"subject":{"reference":"Patient/p"},"effectiveDateTime":"2024-01-01","valueQuantity":{"value":27.1,"unit":"mL/min/{1.73_m2}","system":"http://unitsofmeasure.org","code":"mL/min/{1.73_m2}"}}`
	}
	in := strings.Join([]string{
		`{"resourceType":"Patient","id":"p","gender":"male","birthDate":"1960-05-05"}`,
		obs("computed", `,{"system":"`+fhir.SystemEquation+`","code":"ckd-epi-2021"}`),
		obs("lab", ""),
	}, "\n")
	rd := fhir.Reader{Now: readNow}
	res, err := rd.Read("test.ndjson", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Batch.Observations) != 1 || res.Batch.Observations[0].ID != "Observation/lab" {
		t.Fatalf("imported %+v; want the laboratory eGFR only", res.Batch.Observations)
	}
	found := false
	for _, s := range res.Skipped {
		found = found || strings.Contains(s.Reason, "an eGFR computed by RenalWatch")
	}
	if !found {
		t.Errorf("skipped %+v; want the computed eGFR skipped by rule", res.Skipped)
	}
}
