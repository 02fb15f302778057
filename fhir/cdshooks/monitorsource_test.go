package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestMonitoringSourceLabel (trial 10 F8): the monitoring-overdue card's
// source.label names the sources its alerts rest on for this patient:
// KDIGO only for CKD without lupus (the ACR 2024 lupus nephritis guideline
// has nothing to say there), KDIGO and the ACR 2024 LN guideline for SLE
// with an overdue creatinine and proteinuria screening.
func TestMonitoringSourceLabel(t *testing.T) {
	cond := func(id, code string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Condition","id":"c-` + code + `","subject":{"reference":"Patient/` + id + `"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"` + code + `"}]},"onsetDateTime":"2021-03-01"}`)
	}
	creatinine := func(id string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Observation","id":"cr-1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/` + id + `"},"effectiveDateTime":"2024-06-01","valueQuantity":{"value":1.1,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`)
	}
	rows := []struct {
		name, id, condition, want string
	}{
		{"CKD without lupus", "ckd-only", "709044004", "KDIGO 2024 CKD, practice point 2.1.1"},
		{"SLE", "sle-only", "55464009", "KDIGO 2024 CKD, practice point 2.1.1; ACR 2024 LN"},
	}
	for _, r := range rows {
		pf := map[string]json.RawMessage{
			"patient":      json.RawMessage(`{"resourceType":"Patient","id":"` + r.id + `","gender":"female","birthDate":"1970-04-12"}`),
			"observations": searchset([]json.RawMessage{creatinine(r.id)}, ""),
			"conditions":   searchset([]json.RawMessage{cond(r.id, r.condition)}, ""),
		}
		for _, k := range prefetchKeys {
			if _, ok := pf[k.key]; !ok {
				pf[k.key] = searchset(nil, "")
			}
		}
		w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, r.id, pf, nil), nil)
		resp := decodeCards(t, w)
		var card *Card
		for i, c := range resp.Cards {
			if c.UUID == cardUUID(testInstance, "monitoring-overdue") {
				card = &resp.Cards[i]
			}
		}
		if card == nil {
			t.Fatalf("%s: no monitoring-overdue card in %s", r.name, w.Body.String())
		}
		if card.Source.Label != r.want || card.Source.URL != urlKDIGOCKD {
			t.Errorf("%s: source %+v, want label %q", r.name, card.Source, r.want)
		}
		if hasACR := strings.Contains(card.Detail, "American College of Rheumatology"); hasACR != strings.Contains(r.want, "ACR") {
			t.Errorf("%s: label %q and detail disagree:\n%s", r.name, card.Source.Label, card.Detail)
		}
	}
}

// TestCitations: a source's citations are split at "; " outside
// parentheses and before a citation's note (after ": ").
func TestCitations(t *testing.T) {
	got := citations("A (x; y) and B; C, D;1(2):S1; E: a note; more note")
	want := []string{"A (x; y) and B", "C, D;1(2):S1", "E: a note; more note"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("citations = %q, want %q", got, want)
	}
}
