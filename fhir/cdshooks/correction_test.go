package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Prefetched Observations arrive in one call, so the first version of a
// result and its correction (the same id, status corrected, a new value)
// can arrive together, in either order: the call is answered (not a 400)
// and the cards use the correction, never the value it replaced.
func TestCorrectionInPrefetch(t *testing.T) {
	cr := func(id, status, date, v, updated string) json.RawMessage {
		meta := ""
		if updated != "" {
			meta = `"meta":{"lastUpdated":"` + updated + `"},`
		}
		return json.RawMessage(`{"resourceType":"Observation","id":"` + id + `","status":"` + status + `",` + meta +
			`"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/cc"},` +
			`"effectiveDateTime":"` + date + `","valueQuantity":{"value":` + v + `,"unit":"mg/dL",` +
			`"system":"http://unitsofmeasure.org","code":"mg/dL"}}`)
	}
	first := cr("cr2", "final", "2026-10-01", "4.0", "")
	fixed := cr("cr2", "corrected", "2026-10-01", "1.0", "")
	for _, c := range []struct {
		name string
		obs  []json.RawMessage
	}{
		{"original then correction", []json.RawMessage{cr("cr1", "final", "2026-06-01", "1.0", ""), first, fixed}},
		{"correction then original", []json.RawMessage{fixed, cr("cr1", "final", "2026-06-01", "1.0", ""), first}},
		{"two corrections, newest by lastUpdated", []json.RawMessage{cr("cr1", "final", "2026-06-01", "1.0", ""), first,
			cr("cr2", "corrected", "2026-10-01", "1.0", "2026-10-03T09:00:00Z"), cr("cr2", "amended", "2026-10-01", "4.1", "2026-10-02T09:00:00Z")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pf := observationsPrefetch("cc", c.obs...)
			w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "cc", pf, nil), nil)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			body := w.Body.String()
			for _, bad := range []string{"4.00 mg/dL", "4.10 mg/dL", "G4", "G5", "G3b", "decline", "rise"} {
				if strings.Contains(body, bad) {
					t.Errorf("a card read the replaced creatinine (%q):\n%s", bad, body)
				}
			}
			if strings.Contains(body, "could not be read") {
				t.Errorf("the correction was left out as unreadable:\n%s", body)
			}
		})
	}
	// Without the correction, the same call does card the 4.0 (the test
	// looks at the right words).
	pf := observationsPrefetch("cc", cr("cr1", "final", "2026-06-01", "1.0", ""), first)
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "cc", pf, nil), nil)
	if body := w.Body.String(); !strings.Contains(body, "4.00 mg/dL") && !strings.Contains(body, "G4") && !strings.Contains(body, "G5") {
		t.Errorf("without a correction the 4.0 is not carded, so the test proves nothing:\n%s", body)
	}
}
