package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Trial 11 F5: an entry of a search key's Bundle whose type the key's
// search cannot return (an Observation under "conditions", whose
// template is Condition?patient=…; no template uses _include) is not
// data the service's own call would get (CDS Hooks 2.0.1 § Prefetch
// Template): it is not read, and every card names it. A creatinine of
// 4.0 mg/dL under "conditions" made a G4/G5 card before.
func TestEntryOutsideItsSearch(t *testing.T) {
	cr := func(id, date, v string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Observation","id":"` + id + `","status":"final",` +
			`"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/cc"},` +
			`"effectiveDateTime":"` + date + `","valueQuantity":{"value":` + v + `,"unit":"mg/dL",` +
			`"system":"http://unitsofmeasure.org","code":"mg/dL"}}`)
	}
	cond := json.RawMessage(`{"resourceType":"Condition","id":"ckd","subject":{"reference":"Patient/cc"},` +
		`"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"N18.3"}]}}`)
	misplaced := cr("cr-misplaced", "2026-10-01", "4.0")
	pf := observationsPrefetch("cc", cr("cr1", "2026-06-01", "1.0"))
	pf["conditions"] = searchset([]json.RawMessage{cond, misplaced}, "")
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "cc", pf, nil), nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp Response
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || len(resp.Cards) == 0 {
		t.Fatalf("no cards (%v): %s", err, w.Body)
	}
	body := w.Body.String()
	if !strings.Contains(body, "(KDIGO G2: once a year)") {
		t.Errorf("the cards do not read the eGFR of the creatinine of 1.0 mg/dL alone (G2):\n%s", body)
	}
	for _, bad := range []string{"4.00 mg/dL", "4.0 mg/dL", "decline", "rise"} {
		if strings.Contains(body, bad) {
			t.Errorf("a card read the Observation sent under conditions (%q):\n%s", bad, body)
		}
	}
	const line = "Observation/cr-misplaced: sent under prefetch key conditions, whose search is Condition: not used"
	for _, c := range resp.Cards {
		if !strings.Contains(c.Detail, line) {
			t.Errorf("card %q does not name the misplaced entry (%q):\n%s", c.Summary, line, c.Detail)
		}
		if strings.Contains(c.Detail, "could not be read") {
			t.Errorf("card %q says the misplaced entry could not be read:\n%s", c.Summary, c.Detail)
		}
	}
	// Under "observations" the same creatinine is read (the test looks
	// at the right words).
	pf = observationsPrefetch("cc", cr("cr1", "2026-06-01", "1.0"), misplaced)
	w = do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "cc", pf, nil), nil)
	if body := w.Body.String(); strings.Contains(body, "(KDIGO G2: once a year)") {
		t.Errorf("under observations the 4.0 is not carded, so the test proves nothing:\n%s", body)
	}
}

// outsideSearch keeps a search's own type, OperationOutcomes, entries
// whose type cannot be read (the fhir reader names them), and a
// Medication under the medication keys; it names every other entry.
func TestOutsideSearchKeeps(t *testing.T) {
	es := []entry{
		{Resource: json.RawMessage(`{"resourceType":"MedicationRequest","id":"mr"}`)},
		{Resource: json.RawMessage(`{ "id":"m1", "resourceType" : "Medication"}`)},
		{Resource: json.RawMessage(`{"resourceType":"OperationOutcome","issue":[]}`)},
		{Resource: json.RawMessage(`not json`)},
		{Resource: json.RawMessage(`{"id":"c1","resourceType":"Condition"}`)},
		{Resource: json.RawMessage(`{"resourceType":"Observation"}`)},
	}
	kept, out := outsideSearch("medicationRequests", es)
	if len(kept) != 4 || len(out) != 2 {
		t.Fatalf("kept %d, left out %+v", len(kept), out)
	}
	if out[0].ResourceType != "Condition" || out[0].ID != "c1" || out[1].ResourceType != "Observation" || out[1].ID != "" {
		t.Errorf("left out %+v", out)
	}
	if want := "sent under prefetch key medicationRequests, whose search is MedicationRequest: not used"; out[0].Err.Error() != want {
		t.Errorf("reason %q, want %q", out[0].Err, want)
	}
	if _, out := outsideSearch("conditions", es[1:2]); len(out) != 1 {
		t.Errorf("a Medication under conditions is kept")
	}
	if kept, out := outsideSearch("conditions", es[4:5]); len(out) != 0 || &kept[0] != &es[4] {
		t.Errorf("an all-Condition Bundle is copied or cut: %+v", out)
	}
}
