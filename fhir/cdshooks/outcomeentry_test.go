package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestOutcomeEntryIncomplete (F12, trial 10): CDS Hooks 2.0.1 § Prefetch
// Template: "CDS Services SHOULD check any prefetched data for the
// existence of OperationOutcomes". A searchset entry holding an
// OperationOutcome (search.mode "outcome") whose issue is fatal or an
// error, or a warning that results were left out ("incomplete",
// "too-costly", …), makes the key incomplete: fetched again from
// fhirServer, or 412 without one, as docs/cdshooks.md promises ("a
// partial prefetch is never read as complete"). An informational
// outcome is read as before. It was read as complete.
func TestOutcomeEntryIncomplete(t *testing.T) {
	const id = "ln-class-iv-g4"
	f := newFakeFHIR(t, id, "tok")
	h := demoHandler(t, func(c *Config) { c.FHIRClient, c.FHIRServers = f.srv.Client(), []string{f.srv.URL + "/fhir"} })
	full := demoPrefetch(t, id)
	want, _ := json.Marshal(decodeCards(t, do(h, http.MethodPost, servicePath(), callBody(t, id, full, nil), nil)))
	res := f.res["observations"]
	outcome := func(severity, code string) json.RawMessage {
		return rawMsg(`{"resourceType":"OperationOutcome","issue":[{"severity":"` + severity + `","code":"` + code + `","diagnostics":"too many results, truncated"}]}`)
	}
	// The first ten Observations and an outcome entry, as a FHIR server
	// that cut the search short writes them.
	cut := func(oo json.RawMessage) json.RawMessage {
		b := []byte(searchset(append(append([]json.RawMessage{}, res[:10]...), oo), ""))
		return json.RawMessage(strings.Replace(string(b), string(oo)+`}`, string(oo)+`,"search":{"mode":"outcome"}}`, 1))
	}
	auth := map[string]any{"fhirServer": f.srv.URL + "/fhir", "fhirAuthorization": map[string]any{"access_token": "tok", "token_type": "Bearer"}}
	cases := []struct {
		section, name string
		oo            json.RawMessage
		fhir          bool
		code          int
		msg           string // in the error, or "" for the full record's cards
	}{
		{"§ Prefetch Template", "warning incomplete, no fhirServer", outcome("warning", "incomplete"), false, 412,
			`prefetch.observations holds an OperationOutcome entry with a "warning" issue "incomplete" (its results are not complete) and no fhirServer was given to fetch it from`},
		{"§ Prefetch Template", "warning too-costly, no fhirServer", outcome("warning", "too-costly"), false, 412, `"too-costly"`},
		{"§ Prefetch Template", "error, no fhirServer", outcome("error", "processing"), false, 412, `"error" issue "processing"`},
		{"§ Prefetch Template", "fatal, no fhirServer", outcome("fatal", "exception"), false, 412, `"fatal" issue "exception"`},
		{"§ Prefetch Template", "resourceType not first, no fhirServer", rawMsg(`{"issue":[{"severity":"warning","code":"throttled"}],"resourceType":"OperationOutcome"}`), false, 412, `"throttled"`},
		{"§ FHIR Resource Access", "warning incomplete, fetched", outcome("warning", "incomplete"), true, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.section+": "+c.name, func(t *testing.T) {
			p := demoPrefetch(t, id)
			p["observations"] = cut(c.oo)
			var extra map[string]any
			if c.fhir {
				extra = auth
			}
			w := do(h, http.MethodPost, servicePath(), callBody(t, id, p, extra), nil)
			var e struct{ Error string }
			json.Unmarshal(w.Body.Bytes(), &e)
			if w.Code != c.code || !strings.Contains(e.Error, c.msg) {
				t.Fatalf("%d %s; want %d %q", w.Code, w.Body, c.code, c.msg)
			}
			if c.code == 200 {
				if got, _ := json.Marshal(decodeCards(t, w)); string(got) != string(want) {
					t.Errorf("cards differ from the full record's:\n%s\n%s", got, want)
				}
			}
		})
	}
	// An informational outcome says nothing was left out: read as given.
	p := demoPrefetch(t, id)
	p["observations"] = cut(outcome("information", "informational"))
	if w := do(h, http.MethodPost, servicePath(), callBody(t, id, p, nil), nil); w.Code != 200 {
		t.Errorf("informational outcome: %d %s", w.Code, w.Body)
	}
}
