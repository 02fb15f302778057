package cdshooks

import (
	"bytes"
	"errors"
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
		_, _, err := decodeCall(bytes.NewReader(body), DefaultServiceID)
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
