package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestNotFinalNamed (trial 10 F16): an Observation whose status is
// preliminary, registered or unknown (FHIR R4 observation-status) is not
// used, as before, but no longer silently: every card names it in its
// left-out list with its test, value, unit and date; when no other card
// is given, one info card does (§ Card Attributes: the summary is what
// the EHR always shows). A cancelled result names nothing; a final one is
// used (the critical potassium card). As of 2026-10-15; the man born 1960
// has a creatinine of 250 umol/L (G4: a referral card) or of 80 umol/L
// (no card).
func TestNotFinalNamed(t *testing.T) {
	obs := func(id, status, loinc, date, v, unit string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Observation","id":"` + id + `","status":"` + status + `",` +
			`"code":{"coding":[{"system":"http://loinc.org","code":"` + loinc + `"}]},"subject":{"reference":"Patient/nf"},` +
			`"effectiveDateTime":"` + date + `","valueQuantity":{"value":` + v + `,"unit":"` + unit + `",` +
			`"system":"http://unitsofmeasure.org","code":"` + unit + `"}}`)
	}
	k := func(status string) json.RawMessage { return obs("k1", status, "6298-4", "2026-10-10", "6.5", "mmol/L") }
	g4 := obs("cr-g4", "final", "2160-0", "2026-09-01", "250", "umol/L")
	normal := obs("cr-ok", "final", "2160-0", "2026-09-01", "80", "umol/L")
	line := func(status string) string {
		return "Observation/k1 (potassium 6.5 mmol/L, 2026-10-10): status " + status + ": not used until final"
	}
	for _, c := range []struct {
		name    string
		obs     []json.RawMessage
		summary string   // a card with this summary must be given
		every   []string // every card's detail
		none    []string // no card's summary or detail
	}{
		{"preliminary, with other cards", []json.RawMessage{g4, k("preliminary")}, "", []string{line("preliminary"), "1 resource was sent but not used:"}, []string{"High potassium", "sent but not used: status"}},
		{"registered, with other cards", []json.RawMessage{g4, k("registered")}, "", []string{line("registered")}, []string{"High potassium"}},
		{"unknown, with other cards", []json.RawMessage{g4, k("unknown")}, "", []string{line("unknown")}, nil},
		{"preliminary, no other card", []json.RawMessage{normal, k("preliminary")}, "Potassium of 2026-10-10 sent but not used: status preliminary", []string{line("preliminary")}, nil},
		{"preliminary and nothing else", []json.RawMessage{k("preliminary")}, "Potassium of 2026-10-10 sent but not used: status preliminary", []string{line("preliminary")}, nil},
		{"two versions, no other card", []json.RawMessage{normal, obs("cr-x", "final", "2160-0", "2026-10-01", "300", "umol/L"), obs("cr-x", "final", "2160-0", "2026-10-01", "30", "umol/L")},
			"Creatinine of 2026-10-01 sent but not used: sent twice with different values", []string{"300 umol/L and 30 umol/L; neither used"}, nil},
		{"cancelled: nothing to name", []json.RawMessage{g4, k("cancelled")}, "", nil, []string{"k1", "High potassium"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "nf", observationsPrefetch("nf", c.obs...), nil), nil)
			resp := decodeCards(t, w)
			if len(resp.Cards) == 0 {
				t.Fatalf("no card: %s", w.Body)
			}
			found := c.summary == ""
			for _, cd := range resp.Cards {
				found = found || cd.Summary == c.summary && cd.Indicator == "info"
				if cd.Indicator == "critical" {
					t.Errorf("a critical card from a result that is not used: %q", cd.Summary)
				}
				for _, s := range c.every {
					if !strings.Contains(cd.Detail, s) {
						t.Errorf("card %q does not name %q:\n%s", cd.Summary, s, cd.Detail)
					}
				}
				for _, s := range c.none {
					if strings.Contains(cd.Summary+"\n"+cd.Detail, s) {
						t.Errorf("card %q says %q:\n%s", cd.Summary, s, cd.Detail)
					}
				}
			}
			if !found {
				t.Errorf("no info card %q:\n%s", c.summary, w.Body)
			}
		})
	}
	// A final potassium of 6.5 is used: the critical card (the test reads
	// the right words), and nothing is named as not used.
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "nf", observationsPrefetch("nf", g4, k("final")), nil), nil)
	if r := decodeCards(t, w); len(r.Cards) == 0 || r.Cards[0].Indicator != "critical" || strings.Contains(w.Body.String(), "not used") {
		t.Errorf("a final potassium of 6.5 mmol/L is not the first, critical card:\n%s", w.Body)
	}
}
