package cdshooks

import (
	"bytes"
	"encoding/json"
	"net/http"
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
			resp := decodeCards(t, w)
			checkResponse(t, resp)
			var out bytes.Buffer
			if err := json.Indent(&out, w.Body.Bytes(), "", "  "); err != nil {
				t.Fatal(err)
			}
			golden(t, id+".json", out.Bytes())
		})
	}
}
