package cdshooks

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestGoldenDemoCards: the cards for each demonstration patient, from a
// prefetch built from its Bundle as the templates select it, as of the
// demonstration date. Read each golden as a clinician would.
func TestGoldenDemoCards(t *testing.T) {
	for _, id := range []string{"ln-class-iv-g4", "ln-complete-response", "child-ln", "dialysis", "stem-cell"} {
		t.Run(id, func(t *testing.T) {
			h := demoHandler(t)
			w := do(h, http.MethodPost, servicePath(), callBody(t, id, demoPrefetch(t, id), nil), nil)
			goldenCards(t, id+".json", w)
		})
	}
}

// TestGoldenNullPatient: ln-class-iv-g4 with prefetch.patient null (the
// EHR has no Patient): the cards that need no age or sex, each saying what
// was not assessed, and the information card that says it in its summary
// (trial-web #4). Read it as a clinician would.
func TestGoldenNullPatient(t *testing.T) {
	const id = "ln-class-iv-g4"
	p := demoPrefetch(t, id)
	p["patient"] = json.RawMessage("null")
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, id, p, nil), nil)
	goldenCards(t, id+"-null-patient.json", w)
}

// goldenCards checks the response w (checkResponse) and compares its
// indented JSON with the golden file name.
func goldenCards(t *testing.T, name string, w *httptest.ResponseRecorder) {
	t.Helper()
	checkResponse(t, decodeCards(t, w))
	var out bytes.Buffer
	if err := json.Indent(&out, w.Body.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, name, out.Bytes())
}
