package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The CDS Hooks service reads the prefetch with the same FHIR reader as the
// import: a creatinine whose valueQuantity unit and code disagree is left
// out (and counted), never read by its code (trial 3 #1: 1.5 "mg/dL" coded
// "mmol/L" became an eGFR of 3 and a G5 card).
func TestUnitCodeConflictLeftOut(t *testing.T) {
	cr := func(id, date, v, unit, code string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Observation","id":"` + id + `","status":"final",` +
			`"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/uc"},` +
			`"effectiveDateTime":"` + date + `","valueQuantity":{"value":` + v + `,"unit":"` + unit +
			`","system":"http://unitsofmeasure.org","code":"` + code + `"}}`)
	}
	pf := observationsPrefetch("uc", cr("cr1", "2026-06-01", "3.0", "mg/dL", "mg/dL"), cr("cr2", "2026-10-01", "1.5", "mg/dL", "mmol/L"))
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "uc", pf, nil), nil)
	resp := decodeCards(t, w)
	body := w.Body.String()
	if !strings.Contains(body, "1 resource could not be read and was left out") {
		t.Errorf("the response does not say a resource was left out:\n%s", body)
	}
	if len(resp.Cards) == 0 {
		t.Fatalf("no card from the creatinine of 3.0 mg/dL:\n%s", body)
	}
	for _, c := range resp.Cards {
		if strings.Contains(c.Summary, "G5") || strings.Contains(c.Detail, "eGFR 3 ") {
			t.Errorf("card read the conflicting creatinine: %s / %s", c.Summary, c.Detail)
		}
	}
}

// observationsPrefetch is a complete prefetch of a man born 1960-05-05,
// patient id, with the Observations obs and nothing else.
func observationsPrefetch(id string, obs ...json.RawMessage) map[string]json.RawMessage {
	pf := map[string]json.RawMessage{}
	for _, k := range prefetchKeys {
		pf[k.key] = searchset(nil, "")
	}
	pf["patient"] = json.RawMessage(`{"resourceType":"Patient","id":"` + id + `","gender":"male","birthDate":"1960-05-05"}`)
	pf["observations"] = searchset(obs, "")
	return pf
}
