package cdshooks

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSearchKeyNeedsSearchset (F13, trial 10): CDS Hooks 2.0.1 § Prefetch
// Template: prefetched data "MUST be equivalent to the data the CDS
// Service would receive if it were making its own call"; a search
// template (Observation?patient=…) is answered with a searchset Bundle.
// Anything else under a search key is a 400 naming the key and what was
// found, as a string or an array is; a bare Observation was read as the
// whole set ("No ACR or UPCR in the record").
func TestSearchKeyNeedsSearchset(t *testing.T) {
	h := demoHandler(t)
	pf := demoPrefetch(t, "ln-class-iv-g4")
	var obs struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(pf["observations"], &obs); err != nil || len(obs.Entry) == 0 {
		t.Fatal("no observations", err)
	}
	collection := strings.Replace(string(pf["observations"]), `"type":"searchset"`, `"type":"collection"`, 1)
	untyped := strings.Replace(string(pf["observations"]), `"type":"searchset",`, ``, 1)
	cases := []struct {
		name, value string
		code        int
		want        string
	}{
		{"searchset", string(pf["observations"]), http.StatusOK, ""},
		{"bare Observation", string(obs.Entry[0].Resource), http.StatusBadRequest, `prefetch.observations is a resource of type "Observation", not a searchset Bundle`},
		{"collection Bundle", collection, http.StatusBadRequest, `prefetch.observations is a Bundle of type "collection", not a searchset Bundle`},
		{"Bundle without type", untyped, http.StatusBadRequest, `prefetch.observations is a Bundle with no type, not a searchset Bundle`},
		{"string", `"Observation/1"`, http.StatusBadRequest, `prefetch.observations is not a FHIR resource`},
		{"array", `[]`, http.StatusBadRequest, `prefetch.observations is not a FHIR resource`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := map[string]json.RawMessage{}
			for k, v := range pf {
				p[k] = v
			}
			p["observations"] = json.RawMessage(c.value)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, postJSON(callBody(t, "ln-class-iv-g4", p, nil)))
			var e struct{ Error string }
			json.Unmarshal(w.Body.Bytes(), &e)
			if w.Code != c.code || !strings.Contains(e.Error, c.want) {
				t.Errorf("%d %s; want %d %q", w.Code, w.Body, c.code, c.want)
			}
		})
	}
}
