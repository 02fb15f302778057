package fhir_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/record"
)

// An Observation sent with status entered-in-error imports nothing of its
// own but retracts the observation stored under its id (trial 3 #2); a
// panel's retraction covers its components (record.Retraction.Retracts).
// Without a resolvable patient it is only skipped, as before.
func TestObservationRetraction(t *testing.T) {
	res := readString(t, strings.Join([]string{
		`{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1990-01-02"}`,
		`{"resourceType":"Observation","id":"o3","status":"entered-in-error","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-10-03","valueQuantity":{"value":1.2,"unit":"mg/dL"}}`,
		`{"resourceType":"Observation","id":"bp","status":"entered-in-error","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-10-04"}`,
		`{"resourceType":"Observation","id":"nosubj","status":"entered-in-error","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2026-10-03"}`,
	}, "\n"))
	if len(res.Batch.Observations) != 0 {
		t.Errorf("observations imported from retractions: %+v", res.Batch.Observations)
	}
	want := []record.Retraction{
		{ID: "retraction:observation:Observation/o3", PatientID: "p", Kind: record.RetractObservation, Target: "Observation/o3",
			Status: "status entered-in-error", Sent: "2160-0, 1.2 mg/dL, 2026-10-03"},
		{ID: "retraction:observation:Observation/bp", PatientID: "p", Kind: record.RetractObservation, Target: "Observation/bp",
			Status: "status entered-in-error", Sent: "85354-9, 2026-10-04"},
	}
	if diff := cmp.Diff(want, res.Batch.Retractions, cmpopts.IgnoreFields(record.Retraction{}, "Provenance")); diff != "" {
		t.Errorf("retractions (-want +got):\n%s", diff)
	}
	if p := res.Batch.Retractions[0].Provenance; p.ResourceType != "Observation" || p.ResourceID != "o3" {
		t.Errorf("provenance of the retraction = %+v", p)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Reason != "status entered-in-error" || res.Skipped[0].Count != 1 {
		t.Errorf("skipped = %+v; want the one without a patient", res.Skipped)
	}
	r := res.Batch.Retractions[1]
	for id, want := range map[string]bool{"Observation/bp#8480-6": true, "Observation/bp": true, "Observation/bpx": false, "Observation/b": false} {
		if got := r.Retracts(record.RetractObservation, id); got != want {
			t.Errorf("Retracts(%s) = %v, want %v", id, got, want)
		}
	}
	if r.Retracts(record.RetractCondition, "Observation/bp") {
		t.Error("an observation's retraction retracts a condition")
	}
}
