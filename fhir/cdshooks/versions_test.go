package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestTwoVersionsOfOneResult (trial 10 F6): a prefetch that sends one
// Observation id twice, both final, with different values, never has a
// number built from the two (FHIR R4 § Resource.id: one current version
// per id; a changed result is re-sent amended or corrected,
// observation-status), in either order: neither version is used, and
// every card names the id and both values in its left-out list. A
// correction of the id settles it as import does (the correction in
// force is used, no conflict named); identical copies are one result.
// The man born 1960 has a creatinine of 250 umol/L on 2026-06-01 (CKD-EPI
// 2021 eGFR about 23, G4: a referral card every variant keeps).
func TestTwoVersionsOfOneResult(t *testing.T) {
	cr := func(id, status, date, v string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Observation","id":"` + id + `","status":"` + status + `",` +
			`"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/tv"},` +
			`"effectiveDateTime":"` + date + `","valueQuantity":{"value":` + v + `,"unit":"umol/L",` +
			`"system":"http://unitsofmeasure.org","code":"umol/L"}}`)
	}
	base := cr("cr-base", "final", "2026-06-01", "250")
	high, low := cr("cr-x", "final", "2026-10-01", "300"), cr("cr-x", "final", "2026-10-01", "30")
	const named = "Observation/cr-x (creatinine, 2026-10-01): sent twice with different values: 300 umol/L and 30 umol/L; neither used"
	for _, c := range []struct {
		name      string
		obs       []json.RawMessage
		want, not []string
	}{
		{"300 then 30", []json.RawMessage{base, high, low}, []string{named, "1 resource was sent but not used:"}, []string{"fall", "-87%", "eGFR 120", "eGFR 15 ("}},
		{"30 then 300", []json.RawMessage{base, low, high}, []string{"sent twice with different values: 30 umol/L and 300 umol/L; neither used"}, []string{"fall", "-87%", "eGFR 120", "eGFR 15 ("}},
		{"different dates", []json.RawMessage{base, high, cr("cr-x", "final", "2026-10-02", "300")},
			[]string{"Observation/cr-x (creatinine): sent twice with different values: 300 umol/L on 2026-10-01 and 300 umol/L on 2026-10-02; neither used"}, nil},
		{"three versions", []json.RawMessage{base, high, low, cr("cr-x", "final", "2026-10-01", "90")},
			[]string{"sent 3 times with different values: 300 umol/L, 30 umol/L, 90 umol/L; none used"}, []string{"fall"}},
		{"identical copies are one result", []json.RawMessage{base, high, high}, nil, []string{"left out", "sent twice"}},
		{"a correction settles it", []json.RawMessage{base, high, low, cr("cr-x", "corrected", "2026-10-01", "260")}, nil, []string{"sent twice", "left out", "fall"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "tv", observationsPrefetch("tv", c.obs...), nil), nil)
			resp := decodeCards(t, w)
			if len(resp.Cards) == 0 {
				t.Fatalf("no card: %s", w.Body)
			}
			for _, cd := range resp.Cards {
				text := cd.Summary + "\n" + cd.Detail
				for _, s := range c.want {
					if !strings.Contains(text, s) {
						t.Errorf("card %q does not say %q:\n%s", cd.Summary, s, cd.Detail)
					}
				}
				for _, s := range c.not {
					if strings.Contains(text, s) {
						t.Errorf("card %q says %q:\n%s", cd.Summary, s, cd.Detail)
					}
				}
			}
		})
	}
	// The creatinine of 2025-06-01 is overdue at G4 (KDIGO 2012 Figure 9:
	// three times a year) and the two versions are the newer one: the
	// monitoring card's summary says why that one was left out.
	acr := json.RawMessage(strings.NewReplacer(`"2160-0"`, `"9318-7"`, "umol/L", "mg/g").Replace(string(cr("acr", "final", "2026-09-01", "20"))))
	pf := observationsPrefetch("tv", cr("cr-base", "final", "2025-06-01", "250"), high, low, acr)
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "tv", pf, nil), nil)
	const want = "Creatinine of 2026-10-01 sent but left out (sent twice with different values); last usable creatinine (or laboratory eGFR): 2025-06-01"
	if !strings.Contains(w.Body.String(), `"summary":"`+want+`"`) {
		t.Errorf("no card %q:\n%s", want, w.Body)
	}
}
