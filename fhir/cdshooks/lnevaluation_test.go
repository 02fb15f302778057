package cdshooks

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLNEvaluationCard: a patient-view call for a woman with SLE, no lupus
// nephritis condition and UPCR 620 then 840 mg/g gives an ln-evaluation
// card: warning, its fixed title as the summary (the message is longer
// than 140 runes), the KDIGO 2024 LN source and page, and the values in
// the detail.
func TestLNEvaluationCard(t *testing.T) {
	const id = "sle-proteinuria"
	obs := func(oid, loinc, when string, v float64, unit string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Observation","id":"` + oid + `","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"` + loinc + `"}]},"subject":{"reference":"Patient/` + id + `"},"effectiveDateTime":"` + when + `","valueQuantity":{"value":` + strconv.FormatFloat(v, 'f', -1, 64) + `,"unit":"` + unit + `","system":"http://unitsofmeasure.org","code":"` + unit + `"}}`)
	}
	pf := map[string]json.RawMessage{
		"patient": json.RawMessage(`{"resourceType":"Patient","id":"` + id + `","gender":"female","birthDate":"1996-04-12"}`),
		"observations": searchset([]json.RawMessage{
			obs("cr-1", "2160-0", "2026-06-01", 0.7, "mg/dL"), obs("cr-2", "2160-0", "2026-09-01", 0.72, "mg/dL"),
			obs("pcr-1", "2890-2", "2026-06-01", 620, "mg/g"), obs("pcr-2", "2890-2", "2026-09-01", 840, "mg/g"),
		}, ""),
		"conditions": searchset([]json.RawMessage{json.RawMessage(`{"resourceType":"Condition","id":"sle","subject":{"reference":"Patient/` + id + `"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"55464009"}]},"onsetDateTime":"2021-03-01"}`)}, ""),
	}
	for _, k := range prefetchKeys {
		if _, ok := pf[k.key]; !ok {
			pf[k.key] = searchset(nil, "")
		}
	}
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, id, pf, nil), nil)
	resp := decodeCards(t, w)
	checkResponse(t, resp)
	var card *Card
	for i, c := range resp.Cards {
		if c.UUID == cardUUID(testInstance, "ln-evaluation") {
			card = &resp.Cards[i]
		}
	}
	if card == nil {
		t.Fatalf("no ln-evaluation card in %s", w.Body.String())
	}
	want := cardRules["ln-evaluation"]
	if card.Summary != want.title || utf8.RuneCountInString(card.Summary) >= maxSummary || card.Indicator != "warning" ||
		card.Source.Label != want.label || card.Source.URL != urlKDIGOLN {
		t.Errorf("card %+v", card)
	}
	for _, s := range []string{"UPCR 840 mg/g on 2026-09-01 and 620 mg/g on 2026-06-01", "suggests considering a kidney biopsy to look for lupus nephritis", "RenalWatch informs"} {
		if !strings.Contains(card.Detail, s) {
			t.Errorf("detail lacks %q:\n%s", s, card.Detail)
		}
	}
}
