package cdshooks

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFixableEGFRCard (trial 10 F10): when the latest creatinine gave no
// eGFR for want of something the EHR can record (a child's height for
// CKiD U25, a full birth date), one info card says so in its summary
// (§ Card Attributes: summary "<140-character"; the EHR "MAY hide [the
// details of non-urgent cards] until the user clicks") and every card's
// detail says it too; a reason the EHR cannot fix (an infant under the
// equation's validated age) makes no such card. As of 2026-10-15.
func TestFixableEGFRCard(t *testing.T) {
	obs := func(id, loinc, date, v, unit string) json.RawMessage {
		return json.RawMessage(`{"resourceType":"Observation","id":"` + id + `","status":"final",` +
			`"code":{"coding":[{"system":"http://loinc.org","code":"` + loinc + `"}]},"subject":{"reference":"Patient/ch"},` +
			`"effectiveDateTime":"` + date + `","valueQuantity":{"value":` + v + `,"unit":"` + unit + `",` +
			`"system":"http://unitsofmeasure.org","code":"` + unit + `"}}`)
	}
	cr := func(id, date string) json.RawMessage { return obs(id, "2160-0", date, "300", "umol/L") }
	height := func(date string) json.RawMessage { return obs("ht-"+date, "8302-2", date, "150", "cm") }
	acr := obs("acr", "9318-7", "2026-10-01", "400", "mg/g") // a card besides the eGFR's
	for _, c := range []struct {
		name, birth string
		obs         []json.RawMessage
		summary     string // the not-assessed card's; "" when there must be none
	}{
		{"12-year-old, no height", "2014-03-01", []json.RawMessage{cr("c1", "2026-09-01"), cr("c2", "2026-10-01"), acr},
			"Kidney function not assessed: no height in the 180 days before the creatinine (needed by CKiD U25 creatinine at age 12)"},
		{"12-year-old, height 2 years before", "2014-03-01", []json.RawMessage{height("2024-09-01"), cr("c2", "2026-10-01"), acr},
			"Kidney function not assessed: no height in the 180 days before the creatinine (needed by CKiD U25 creatinine at age 12)"},
		{"12-year-old, height in the window", "2014-03-01", []json.RawMessage{height("2026-09-15"), cr("c2", "2026-10-01"), acr}, ""},
		{"latest creatinine without height, an older eGFR", "2014-03-01", []json.RawMessage{height("2026-02-01"), cr("c1", "2026-03-01"), cr("c2", "2026-10-01"), acr},
			"Latest creatinine not assessed: no height in the 180 days before it (needed by CKiD U25 creatinine at age 12)"},
		{"birth year only, age 18 uncertain", "2008", []json.RawMessage{cr("c2", "2026-10-01"), acr},
			"Kidney function not assessed: the birth date is known to the year only, so the age may be under or over 18"},
		{"infant: not the EHR's to fix", "2026-03-01", []json.RawMessage{cr("c2", "2026-10-01"), acr}, ""},
		{"old creatinine: the monitoring card's", "2014-03-01", []json.RawMessage{cr("c2", "2024-10-01"), acr}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			pf := observationsPrefetch("ch", c.obs...)
			pf["patient"] = json.RawMessage(`{"resourceType":"Patient","id":"ch","gender":"female","birthDate":"` + c.birth + `"}`)
			w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "ch", pf, nil), nil)
			resp := decodeCards(t, w)
			var na *Card
			for i, cd := range resp.Cards {
				if utf8.RuneCountInString(cd.Summary) >= maxSummary {
					t.Errorf("summary of %d runes: %q", utf8.RuneCountInString(cd.Summary), cd.Summary)
				}
				if strings.HasPrefix(cd.Summary, "Kidney function not assessed") || strings.HasPrefix(cd.Summary, "Latest creatinine not assessed") {
					na = &resp.Cards[i]
				}
			}
			if c.summary == "" {
				if na != nil {
					t.Fatalf("a not-assessed card for a reason the EHR cannot fix: %q\n%s", na.Summary, na.Detail)
				}
				return
			}
			if na == nil {
				t.Fatalf("no not-assessed card; cards:\n%s", w.Body)
			}
			if na.Summary != c.summary || na.Indicator != "info" {
				t.Errorf("not-assessed card %s %q, want info %q", na.Indicator, na.Summary, c.summary)
			}
			for _, cd := range resp.Cards {
				if !strings.Contains(cd.Detail, "**Not assessed:**") {
					t.Errorf("card %q does not say what was not assessed:\n%s", cd.Summary, cd.Detail)
				}
			}
			if strings.Contains(w.Body.String(), "null") {
				t.Errorf("a null field (§ Card Attributes: optional fields are omitted):\n%s", w.Body)
			}
		})
	}
}
