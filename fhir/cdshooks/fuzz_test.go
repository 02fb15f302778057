package cdshooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
)

// FuzzDecodeCall: no request body makes the decoder panic, and every
// refusal is a 400.
func FuzzDecodeCall(f *testing.F) {
	f.Add([]byte(`{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"1"}}`))
	f.Add([]byte(`{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"Patient/1"},"prefetch":{"patient":null}}`))
	f.Add([]byte(`{"hook":"patient-view","context":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _, _, err := decodeCall(body, DefaultServiceID)
		if err != nil && !errors.Is(err, ErrBadRequest) {
			t.Fatalf("refusal not a bad request: %v", err)
		}
	})
}

// FuzzDecodeFeedback: the same for feedback bodies.
func FuzzDecodeFeedback(f *testing.F) {
	f.Add([]byte(`{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`))
	f.Add([]byte(`{"feedback":[{"card":"c","outcome":"accepted","acceptedSuggestions":[{"id":"s"}],"outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := decodeFeedback(bytes.NewReader(body)); err != nil && !errors.Is(err, ErrBadRequest) {
			t.Fatalf("refusal not a bad request: %v", err)
		}
	})
}

// FuzzService: whatever the prefetch holds, the service answers 200, 400
// or 412 (never 500, never a panic), and a 200 holds valid cards.
func FuzzService(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Patient","id":"p","birthDate":"1990-01-01","gender":"female"}`),
		[]byte(`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-09-01","valueQuantity":{"value":2.5,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}}]}`))
	f.Add([]byte(`null`), []byte(`{"resourceType":"OperationOutcome"}`))
	f.Add([]byte(`{"resourceType":"Patient","id":"q"}`), []byte(`{"resourceType":"Bundle","link":[{"relation":"next","url":"x"}]}`))
	f.Add([]byte(`{"resourceType":"Patient","id":"p"}`), []byte(`{"resourceType":"Bundle","entry":[{"resource":null},{"resource":{"resourceType":"Bundle"}},{}]}`))
	h := demoHandler(f)
	f.Fuzz(func(t *testing.T, patient, obs []byte) {
		pf := map[string]json.RawMessage{"patient": patient, "observations": obs, "conditions": json.RawMessage("null"),
			"medicationRequests": json.RawMessage("null"), "medicationStatements": json.RawMessage("null"), "procedures": json.RawMessage("null")}
		if !json.Valid(patient) || !json.Valid(obs) {
			return
		}
		body, err := json.Marshal(map[string]any{"hook": "patient-view", "hookInstance": testInstance,
			"context": map[string]string{"userId": "Practitioner/1", "patientId": "p"}, "prefetch": pf})
		if err != nil {
			return
		}
		w := do(h, http.MethodPost, servicePath(), body, nil)
		switch w.Code {
		case 200:
			var resp Response
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			checkResponse(t, resp)
		case 400, 412:
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
}
