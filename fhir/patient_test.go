package fhir_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/fhir"
	"renalwatch/record"
)

func readString(t *testing.T, ndjson string) *fhir.Result {
	t.Helper()
	rd := fhir.Reader{Now: readNow}
	res, err := rd.Read("test.ndjson", strings.NewReader(ndjson))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 0 {
		t.Fatalf("rejected: %v", res.Rejected)
	}
	return res
}

func noteReasons(res *fhir.Result) []string {
	var out []string
	for _, n := range res.Notes {
		out = append(out, n.Reason)
	}
	return out
}

// Patient.deceased[x] (review item 7) and partial birth dates (item 13).
func TestPatientDeceasedAndBirthPrecision(t *testing.T) {
	res := readString(t, strings.Join([]string{
		`{"resourceType":"Patient","id":"died","gender":"female","birthDate":"1901-03-02","deceasedDateTime":"1985-01-28T10:00:00Z"}`,
		`{"resourceType":"Patient","id":"died-nodate","gender":"male","deceasedBoolean":true}`,
		`{"resourceType":"Patient","id":"alive","gender":"male","birthDate":"1990-01-02","deceasedBoolean":false}`,
		`{"resourceType":"Patient","id":"year","gender":"male","birthDate":"2008"}`,
		`{"resourceType":"Patient","id":"month","gender":"female","birthDate":"2008-05"}`,
		`{"resourceType":"Patient","id":"died-year","gender":"female","deceasedDateTime":"2019"}`,
		`{"resourceType":"Patient","id":"died-bad","gender":"female","deceasedDateTime":"yesterday"}`,
	}, "\n"))
	want := []record.Patient{
		{ID: "died", Sex: record.Female, BirthDate: at("1901-03-02"), Deceased: true, DeceasedDate: at("1985-01-28T10:00:00Z"), DeceasedGiven: true},
		{ID: "died-nodate", Sex: record.Male, Deceased: true, DeceasedGiven: true},
		// deceasedBoolean false is given (an import then undoes a stored
		// death); no deceased[x] is not.
		{ID: "alive", Sex: record.Male, BirthDate: at("1990-01-02"), DeceasedGiven: true},
		{ID: "year", Sex: record.Male, BirthDate: at("2008-01-01"), BirthPrecision: record.PrecisionYear},
		{ID: "month", Sex: record.Female, BirthDate: at("2008-05-01"), BirthPrecision: record.PrecisionMonth},
		{ID: "died-year", Sex: record.Female, Deceased: true, DeceasedDate: at("2019-01-01"), DeceasedGiven: true},
		{ID: "died-bad", Sex: record.Female, Deceased: true, DeceasedGiven: true},
	}
	if diff := cmp.Diff(want, res.Batch.Patients, ignoreProv); diff != "" {
		t.Errorf("patients (-want +got):\n%s", diff)
	}
	notes := strings.Join(noteReasons(res), "\n")
	for _, w := range []string{
		"birthDate gives only the year", "birthDate gives only the month",
		"deceasedBoolean true without a date", "deceasedDateTime gives only the year", "deceasedDateTime not a FHIR dateTime",
	} {
		if !strings.Contains(notes, w) {
			t.Errorf("import notes lack %q:\n%s", w, notes)
		}
	}
	// The record answers the age question honestly: on 2026-03-02 the
	// patient born in "2008" may be 17 or 18.
	y, o, ok := res.Batch.Patients[3].AgeRangeAt(at("2026-03-02"))
	if !ok || y != 17 || o != 18 {
		t.Errorf("AgeRangeAt = %d, %d, %v; want 17, 18", y, o, ok)
	}
}

// Condition.verificationStatus (review item 16): refuted and
// entered-in-error are retractions of the stored condition (trial 3 #2,
// trial 4 #2); provisional, differential and
// unconfirmed are kept with a note and are not Established.
func TestConditionVerification(t *testing.T) {
	cond := func(id, status string) string {
		vs := ""
		if status != "" {
			vs = `,"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"` + status + `"}]}`
		}
		return `{"resourceType":"Condition","id":"` + id + `","subject":{"reference":"Patient/p"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"55464009"}]}` + vs + `}`
	}
	res := readString(t, strings.Join([]string{
		`{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1990-01-02"}`,
		cond("confirmed", "confirmed"), cond("none", ""), cond("unconfirmed", "unconfirmed"),
		cond("provisional", "provisional"), cond("differential", "differential"),
		cond("refuted", "refuted"), cond("error", "entered-in-error"),
	}, "\n"))
	got := map[string]bool{}
	for _, c := range res.Batch.Conditions {
		got[strings.TrimPrefix(c.ID, "Condition/")+"/"+c.Verification] = c.Established()
	}
	want := map[string]bool{"confirmed/confirmed": true, "none/": true, "unconfirmed/unconfirmed": false,
		"provisional/provisional": false, "differential/differential": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conditions id/verification -> established (-want +got):\n%s", diff)
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, s.Reason)
	}
	if len(skipped) != 0 {
		t.Errorf("skipped %q, want none", skipped)
	}
	// entered-in-error and refuted retract the condition stored under its id.
	wantR := []record.Retraction{{ID: "retraction:condition:Condition/refuted", PatientID: "p", Kind: record.RetractCondition,
		Target: "Condition/refuted", Status: "verificationStatus refuted", Sent: "55464009"},
		{ID: "retraction:condition:Condition/error", PatientID: "p", Kind: record.RetractCondition,
			Target: "Condition/error", Status: "verificationStatus entered-in-error", Sent: "55464009"}}
	if diff := cmp.Diff(wantR, res.Batch.Retractions, cmpopts.IgnoreFields(record.Retraction{}, "Provenance")); diff != "" {
		t.Errorf("retractions (-want +got):\n%s", diff)
	}
	notes := strings.Join(noteReasons(res), "\n")
	for _, s := range []string{"provisional", "differential", "unconfirmed"} {
		if !strings.Contains(notes, "verificationStatus "+s+": kept, not an established diagnosis") {
			t.Errorf("no note for verificationStatus %s:\n%s", s, notes)
		}
	}
}
