package cdshooks

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// leftOutObs is an Observation of patient lo: LOINC code, date, value and
// unit as sent.
func leftOutObs(id, loinc, date, v, unit string) json.RawMessage {
	return json.RawMessage(`{"resourceType":"Observation","id":` + string(mustJSON(id)) + `,"status":"final",` +
		`"code":{"coding":[{"system":"http://loinc.org","code":"` + loinc + `"}]},"subject":{"reference":"Patient/lo"},` +
		`"effectiveDateTime":"` + date + `","valueQuantity":{"value":` + v + `,"unit":` + string(mustJSON(unit)) + `}}`)
}

const (
	loincCreatinine = "2160-0"
	loincACR        = "9318-7"
)

// TestLeftOutNamed (trial 5 #4): every card names each resource the fhir
// reader left out, with the test its code maps to, its value and unit as
// sent, its date and the reader's reason with the expected range; and
// the monitoring card, raised by the age of the last creatinine, does not
// present the test as not done when a newer creatinine was sent but left
// out: it says which, why, and which was the last that could be used.
// The man born 1960 has a creatinine of 2.0 mg/dL on 2026-01-15 (eGFR
// about 35, G3b: monitored twice a year, KDIGO 2012 Figure 9), so on
// 2026-10-15 the creatinine is overdue (274 days > 183); the ACR of
// 2026-09-01 is not.
func TestLeftOutNamed(t *testing.T) {
	usable := []json.RawMessage{
		leftOutObs("cr-1", loincCreatinine, "2025-07-15", "1.9", "mg/dL"),
		leftOutObs("cr-2", loincCreatinine, "2026-01-15", "2.0", "mg/dL"),
		leftOutObs("acr-1", loincACR, "2026-09-01", "20", "mg/g"),
	}
	const implausible = "creatinine 106 mg/dL is implausible; expected 0.1 to 30 mg/dL"
	for _, c := range []struct {
		name  string
		noACR bool // no ACR either: the monitoring card has two alerts
		sent  []json.RawMessage
		// monitoring card: summary and detail must contain / must not
		summary, detail []string
		notDetail       []string
		// every card's detail must contain
		every []string
	}{
		{
			name:    "newer creatinine left out",
			sent:    []json.RawMessage{leftOutObs("cr-bad", loincCreatinine, "2026-09-17", "106", "mg/dL")},
			summary: []string{"Creatinine of 2026-09-17 sent but left out (implausible value); last usable creatinine (or laboratory eGFR): 2026-01-15"},
			detail: []string{"The creatinine of 2026-09-17 (Observation/cr-bad) was sent but left out: " + implausible,
				"the last creatinine (or laboratory eGFR) that could be used is of 2026-01-15; due every 183 days"},
			notDetail: []string{"last measured"},
			every: []string{"1 resource could not be read and was left out:\n\n- Observation/cr-bad (creatinine 106 mg/dL, 2026-09-17): " + implausible +
				" (did you mean 106 umol/L?)"},
		},
		{
			name:    "newer creatinine left out, ACR overdue too: a card of two alerts",
			noACR:   true,
			sent:    []json.RawMessage{leftOutObs("cr-bad", loincCreatinine, "2026-09-17", "106", "mg/dL")},
			summary: []string{"Kidney monitoring overdue (2); the creatinine of 2026-09-17 was sent but left out"},
			detail: []string{"- The creatinine of 2026-09-17 (Observation/cr-bad) was sent but left out: " + implausible,
				"\n- No ACR or UPCR in the record; due every 183 days"},
			notDetail: []string{"last measured"},
			every:     []string{"- Observation/cr-bad (creatinine 106 mg/dL, 2026-09-17): " + implausible},
		},
		{
			name:      "older creatinine left out",
			sent:      []json.RawMessage{leftOutObs("cr-old", loincCreatinine, "2025-12-01", "106", "mg/dL")},
			summary:   []string{"Creatinine (or laboratory eGFR) last measured 2026-01-15"},
			detail:    []string{"Creatinine (or laboratory eGFR) last measured 2026-01-15 (274 days ago); due every 183 days"},
			notDetail: []string{"was sent but left out"},
			every:     []string{"- Observation/cr-old (creatinine 106 mg/dL, 2025-12-01): " + implausible},
		},
		{
			name: "several left out: the newest five named, the others counted",
			sent: []json.RawMessage{
				leftOutObs("cr-a", loincCreatinine, "2026-03-01", "106", "mg/dL"),
				leftOutObs("cr-b", loincCreatinine, "2026-04-01", "107", "mg/dL"),
				leftOutObs("cr-c", loincCreatinine, "2026-05-01", "108", "mg/dL"),
				leftOutObs("cr-d", loincCreatinine, "2026-06-01", "1.1", "mg/dq"),
				leftOutObs("cr-e", loincCreatinine, "2026-07-01", "110", "mg/dL"),
				leftOutObs("cr-f", loincCreatinine, "2026-08-01", "111", "mg/dL"),
				leftOutObs("cr-g", loincCreatinine, "2026-09-01", "112", "mg/dL"),
			},
			summary: []string{"Creatinine of 2026-09-01 sent but left out (implausible value); last usable creatinine (or laboratory eGFR): 2026-01-15"},
			detail: []string{"The creatinine of 2026-09-01 (Observation/cr-g) was sent but left out: creatinine 112 mg/dL is implausible",
				"; 6 older results after the last usable one were left out too; the last creatinine (or laboratory eGFR) that could be used is of 2026-01-15"},
			notDetail: []string{"last measured"},
			every: []string{"7 resources could not be read and were left out:\n\n- Observation/cr-g (creatinine 112 mg/dL, 2026-09-01)",
				"\n- Observation/cr-d (creatinine 1.1 mg/dq, 2026-06-01): unknown unit: creatinine unit \"mg/dq\"; accepted units: mg/dL, umol/L, mmol/L\n- Observation/cr-c",
				"\n- and 2 more"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			obs := slices.Clone(usable)
			if c.noACR {
				obs = obs[:2]
			}
			pf := observationsPrefetch("lo", append(obs, c.sent...)...)
			resp := decodeCards(t, do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "lo", pf, nil), nil))
			checkResponse(t, resp)
			found := false
			for _, card := range resp.Cards {
				for _, s := range c.every {
					if !strings.Contains(card.Detail, s) {
						t.Errorf("card %q does not name what was left out: want %q in\n%s", card.Summary, s, card.Detail)
					}
				}
				if !strings.Contains(card.Detail, "due every") {
					continue
				}
				found = true
				for _, s := range c.summary {
					if !strings.Contains(card.Summary, s) {
						t.Errorf("monitoring summary %q; want %q", card.Summary, s)
					}
				}
				for _, s := range c.detail {
					if !strings.Contains(card.Detail, s) {
						t.Errorf("monitoring detail lacks %q:\n%s", s, card.Detail)
					}
				}
				for _, s := range c.notDetail {
					if strings.Contains(card.Summary+card.Detail, s) {
						t.Errorf("monitoring card says %q:\n%s\n%s", s, card.Summary, card.Detail)
					}
				}
			}
			if !found {
				t.Fatalf("no monitoring card:\n%+v", resp.Cards)
			}
		})
	}
}

// TestLeftOutEscaped: what a left-out resource's id and unit say comes
// from the request, so the card quotes it as text: Markdown and HTML are
// escaped, line breaks (which would end the list item and start a
// heading) become spaces, and a long text is cut.
func TestLeftOutEscaped(t *testing.T) {
	bad := "<img src=x onerror=alert(1)>\n# Stop *all* [therapy](javascript:alert(1)) `x` _y_ | z ~w~" + strings.Repeat("!", 300)
	pf := observationsPrefetch("lo",
		leftOutObs("cr-2", loincCreatinine, "2026-01-15", "2.0", "mg/dL"),
		leftOutObs("cr-unit", loincCreatinine, "2026-09-17", "1.1", bad),
		leftOutObs("<b>id</b>", loincCreatinine, "2026-09-18", "1.2", "mg/dL"),
		leftOutObs("cr-huge", loincCreatinine, "2026-09-16", "1.3", strings.Repeat("a", 1<<20)),
	)
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "lo", pf, nil), nil)
	resp := decodeCards(t, w)
	checkResponse(t, resp)
	if len(resp.Cards) == 0 {
		t.Fatalf("no card:\n%s", w.Body)
	}
	for _, card := range resp.Cards {
		_, note, ok := strings.Cut(card.Detail, "could not be read and were left out:")
		if !ok {
			t.Fatalf("card %q does not list what was left out:\n%s", card.Summary, card.Detail)
		}
		for _, want := range []string{`\<img src=x onerror=alert(1)\>`, `\# Stop \*all\* \[therapy\](javascript:alert(1)) \` + "`x\\` \\_y\\_ \\| z \\~w\\~", `Observation/\<b\>id\</b\>`} {
			if !strings.Contains(note, want) {
				t.Errorf("card %q: want %q in the left-out note:\n%s", card.Summary, want, note)
			}
		}
		for _, line := range strings.Split(note, "\n") {
			if line != "" && !strings.HasPrefix(line, "- ") {
				t.Errorf("card %q: a request text broke the list: line %q", card.Summary, line)
			}
			if n := utf8.RuneCountInString(line); n > 2*maxQuoted+200 {
				t.Errorf("card %q: a line of %d runes: the request text is not cut", card.Summary, n)
			}
		}
		if unescaped := strings.NewReplacer(`\<`, "", `\>`, "", `\[`, "", `\]`, "", `\*`, "", `\_`, "", "\\`", "", `\#`, "", `\|`, "", `\~`, "").Replace(note); strings.ContainsAny(unescaped, "<>[]*_`#|~") {
			t.Errorf("card %q: markup left unescaped in the left-out note:\n%s", card.Summary, note)
		}
	}
}

// TestGoldenLeftOut: ln-class-iv-g4 with the creatinine of 2026-09-17
// sent as 106 "mg/dL" (trial 5 #4), as of the demonstration date: every
// card names the creatinine left out and why, and the monitoring card
// says the creatinine of 2026-09-17 was sent but left out and that the
// last usable one is of 2026-07-16. Read it as a clinician would.
func TestGoldenLeftOut(t *testing.T) {
	const id = "ln-class-iv-g4"
	res := demoResources(t, id, 3653*24*time.Hour)
	n := 0
	for i, r := range res["observations"] {
		if !bytes.Contains(r, []byte(`"ln-class-iv-g4-cr-35"`)) {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(r, &m); err != nil {
			t.Fatal(err)
		}
		if m["effectiveDateTime"] != "2026-09-17" {
			t.Fatalf("cr-35 is of %v, not 2026-09-17", m["effectiveDateTime"])
		}
		m["valueQuantity"].(map[string]any)["value"] = 106
		res["observations"][i], _ = json.Marshal(m)
		n++
	}
	if n != 1 {
		t.Fatalf("found cr-35 %d times", n)
	}
	pf := map[string]json.RawMessage{}
	for _, k := range prefetchKeys {
		pf[k.key] = searchset(res[k.key], "")
	}
	pf["patient"] = res["patient"][0]
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, id, pf, nil), nil)
	goldenCards(t, id+"-left-out.json", w)
}
