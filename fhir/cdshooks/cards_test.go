package cdshooks

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"renalwatch/assess"
)

var internalNote = regexp.MustCompile(`\.md\b|ambiguity [A-Z][0-9]|docs/|lupus\.md|kidney\.md`)

// checkResponse applies the card rules of § Card Attributes and § Use of
// JSON to a response.
func checkResponse(t *testing.T, resp Response) {
	t.Helper()
	if resp.Cards == nil {
		t.Fatal("§ HTTP Response: cards is REQUIRED")
	}
	raw, _ := json.Marshal(resp)
	for _, bad := range []string{":null", `:""`, ":[]", ":{}"} {
		if strings.Contains(string(raw), bad) && !(bad == ":[]" && len(resp.Cards) == 0) {
			t.Errorf("§ Use of JSON: %s in %s", bad, raw)
		}
	}
	seen := map[string]bool{}
	for i, c := range resp.Cards {
		if n := utf8.RuneCountInString(c.Summary); n == 0 || n >= maxSummary {
			t.Errorf("card %d: § Card Attributes: summary has %d runes, want 1-139: %q", i, n, c.Summary)
		}
		switch c.Indicator {
		case "info", "warning", "critical":
		default:
			t.Errorf("card %d: § Card Attributes: indicator %q", i, c.Indicator)
		}
		if i > 0 && indicatorRank[assess.Severity(c.Indicator)] < indicatorRank[assess.Severity(resp.Cards[i-1].Indicator)] {
			t.Errorf("card %d: more severe than the card before it", i)
		}
		if c.Source.Label == "" {
			t.Errorf("card %d: § Source: label is REQUIRED", i)
		}
		if c.Source.URL != "" && !strings.HasPrefix(c.Source.URL, "https://") {
			t.Errorf("card %d: § Source: url %q is not absolute", i, c.Source.URL)
		}
		if !uuidRE.MatchString(c.UUID) || seen[c.UUID] {
			t.Errorf("card %d: uuid %q missing, malformed or repeated", i, c.UUID)
		}
		seen[c.UUID] = true
		for _, s := range []string{c.Summary, c.Detail, c.Source.Label} {
			if internalNote.MatchString(s) {
				t.Errorf("card %d cites an internal note: %q", i, s)
			}
		}
		for _, l := range c.Links {
			if l.Type != "absolute" || l.Label == "" || !strings.HasPrefix(l.URL, "https://") {
				t.Errorf("card %d: § Link: %+v", i, l)
			}
		}
	}
}

// TestEveryAlertCodeDecided: every alert code of the assessment is listed
// in cardRules, so no new alert reaches (or silently misses) the EHR
// without a decision.
func TestEveryAlertCodeDecided(t *testing.T) {
	codes := []string{assess.AlertCKDG4, assess.AlertCKDG5, assess.AlertKFRE5yReferral, assess.AlertKFRE2yMultidisciplinary,
		assess.AlertKFRE2yKRTPlanning, assess.AlertRapidProgression, assess.AlertEGFRDrop, assess.AlertNephroticProteinuria,
		assess.AlertActiveSediment, assess.AlertRenalFlare, assess.AlertNoResponse6m, assess.AlertMonitoringOverdue,
		assess.AlertAnemia, assess.AlertBPAboveTarget, assess.AlertHyperkalemia, assess.AlertKidneyReplacement,
		assess.AlertInvestigationalTherapy, assess.AlertAlbuminuriaReferral}
	for _, c := range codes {
		r, ok := cardRules[c]
		if !ok {
			t.Errorf("alert %s has no card rule", c)
		}
		if r.card && utf8.RuneCountInString(r.title) >= maxSummary-5 {
			t.Errorf("alert %s: title too long", c)
		}
	}
	if len(cardRules) != len(codes) {
		t.Errorf("cardRules has %d codes, the test lists %d", len(cardRules), len(codes))
	}
	// The card order lists every card-making code once, and nothing else.
	n := 0
	for _, c := range codes {
		if i := slices.Index(cardOrder, c); cardRules[c].card != (i >= 0) || i >= 0 && slices.Index(cardOrder[i+1:], c) >= 0 {
			t.Errorf("alert %s: card %v, place in cardOrder %d", c, cardRules[c].card, i)
		}
		if cardRules[c].card {
			n++
		}
	}
	if len(cardOrder) != n {
		t.Errorf("cardOrder has %d codes, %d make cards", len(cardOrder), n)
	}
}

// TestCardOrderUnderLimit: a patient with more alerts than the card limit
// (issue 12, Cards item 3): most severe first, and within a severity the
// cards that ask for a step (change therapy, refer, order a test) before
// the findings; the order does not depend on the order of the alerts, and
// the last card names, in the same order, the ones left out.
func TestCardOrderUnderLimit(t *testing.T) {
	alerts := []assess.Alert{
		alert(assess.AlertActiveSediment, assess.Warning, "active urinary sediment"),
		alert(assess.AlertCKDG4, assess.Warning, "CKD G4"),
		alert(assess.AlertAnemia, assess.Warning, "anaemia"),
		alert(assess.AlertMonitoringOverdue, assess.Info, "no potassium in the record"),
		alert(assess.AlertRapidProgression, assess.Warning, "rapid eGFR decline"),
		alert(assess.AlertNephroticProteinuria, assess.Warning, "nephrotic-range proteinuria"),
		alert(assess.AlertKFRE5yReferral, assess.Warning, "5-year risk above the referral threshold"),
		alert(assess.AlertNoResponse6m, assess.Warning, "no renal response at 6 months"),
		alert(assess.AlertKFRE2yKRTPlanning, assess.Critical, "2-year risk above 40%"),
		alert(assess.AlertBPAboveTarget, assess.Warning, "systolic 142 mmHg"),
		alert(assess.AlertMonitoringOverdue, assess.Warning, "UPCR last measured 2025-01-01"),
	}
	want := []string{
		assess.AlertKFRE2yKRTPlanning,    // the only critical
		assess.AlertNoResponse6m,         // warnings: change therapy,
		assess.AlertCKDG4,                // refer,
		assess.AlertKFRE5yReferral,       //
		assess.AlertRapidProgression,     //
		assess.AlertMonitoringOverdue,    // order tests (a warning and an info alert: the card is a warning),
		assess.AlertBPAboveTarget,        // review treatment;
		assess.AlertAnemia,               //
		assess.AlertNephroticProteinuria, // then findings
		assess.AlertActiveSediment,       //
	}
	in := cardInput{hookInstance: testInstance, patientID: "p", max: 6}
	for round := range 5 {
		a := assess.Assessment{AsOf: asOf, Alerts: slices.Clone(alerts)}
		if round > 0 {
			rand.New(rand.NewPCG(uint64(round), 1)).Shuffle(len(a.Alerts), func(i, j int) { a.Alerts[i], a.Alerts[j] = a.Alerts[j], a.Alerts[i] })
		}
		got := buildCards(a, in)
		var codes []string
		for _, c := range got {
			codes = append(codes, c.code)
		}
		if !slices.Equal(codes, want[:6]) {
			t.Fatalf("round %d: cards %q, want %q", round, codes, want[:6])
		}
		var dropped []string
		for _, c := range want[6:] {
			dropped = append(dropped, mdEscape(cardRules[c].title))
		}
		if d := got[5].card.Detail; !strings.HasSuffix(d, "(at most 6): "+strings.Join(dropped, "; ")+".") {
			t.Errorf("round %d: last card does not name the cards left out in order: %q", round, d)
		}
		if got[5].card.Indicator != "warning" || got[0].card.Indicator != "critical" {
			t.Errorf("round %d: indicators %s, %s", round, got[0].card.Indicator, got[5].card.Indicator)
		}
	}
}

func alert(code string, sev assess.Severity, msg string) assess.Alert {
	d := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	return assess.Alert{Code: code, Severity: sev, Message: msg, Source: "KDIGO 2012 CKD guideline rec 2.1.3 (lupus.md §7.4)", Date: &d}
}

// TestCardRules: the card rules, one row per rule with its section.
func TestCardRules(t *testing.T) {
	long := strings.Repeat("é", 140) // 140 runes, 280 bytes
	a := assess.Assessment{AsOf: asOf, Alerts: []assess.Alert{
		alert(assess.AlertMonitoringOverdue, assess.Info, "no potassium in the record"),
		alert(assess.AlertKidneyReplacement, assess.Info, "kidney transplant on 2025-03-01"),
		alert(assess.AlertBPAboveTarget, assess.Warning, long),
		alert(assess.AlertHyperkalemia, assess.Critical, "potassium 6.6 mmol/L on 2026-09-01 is at or above 6.5 mmol/L"),
		alert(assess.AlertMonitoringOverdue, assess.Info, "UPCR last measured 2025-01-01"),
		alert(assess.AlertInvestigationalTherapy, assess.Warning, "stem cells"),
	}}
	in := cardInput{hookInstance: testInstance, patientID: "p 1", publicURL: testPublic + "/", max: 10}
	got := buildCards(a, in)
	byCode := map[string]issued{}
	var order []string
	for _, c := range got {
		byCode[c.code] = c
		order = append(order, c.code)
	}
	rows := []struct {
		section, name string
		ok            bool
	}{
		{"§ Card Attributes indicator", "most severe first", strings.Join(order, ",") == "hyperkalemia,bp-above-target,monitoring-overdue"},
		{"issue 12 item 3", "no card for kidney-replacement or investigational-therapy", len(got) == 3},
		{"§ Card Attributes summary", "a 140-rune message is too long (<140 characters): the title is used", byCode["bp-above-target"].card.Summary == cardRules[assess.AlertBPAboveTarget].title},
		{"§ Card Attributes summary", "a 139-rune message (278 bytes) fits", summary("t", []assess.Alert{{Message: strings.Repeat("é", 139)}}) == strings.Repeat("É", 1)+strings.Repeat("é", 138)},
		{"§ Card Attributes summary", "a short message is the summary, capitalised", byCode["hyperkalemia"].card.Summary == "Potassium 6.6 mmol/L on 2026-09-01 is at or above 6.5 mmol/L"},
		{"§ Card Attributes summary", "alerts of one code share a card with a count", byCode["monitoring-overdue"].card.Summary == "Kidney monitoring overdue (2)"},
		{"§ Card Attributes indicator", "critical alert gives critical", byCode["hyperkalemia"].card.Indicator == "critical"},
		{"§ Card Attributes detail", "detail escapes Markdown and names the result date once", strings.Contains(byCode["hyperkalemia"].card.Detail, "Potassium 6.6 mmol/L on 2026-09-01 is at or above 6.5 mmol/L\n") && strings.Count(byCode["hyperkalemia"].card.Detail, "2026-09-01") == 1},
		{"§ Card Attributes detail", "internal notes removed from the source", strings.Contains(byCode["hyperkalemia"].card.Detail, "Source: KDIGO 2012 CKD guideline rec 2.1.3\n")},
		{"§ Link", "link to the dashboard, id escaped, absolute", len(byCode["hyperkalemia"].card.Links) == 1 && byCode["hyperkalemia"].card.Links[0].URL == testPublic+"/patients/p%201" && byCode["hyperkalemia"].card.Links[0].Type == "absolute"},
		{"§ Card Attributes uuid", "uuid is name-based on hookInstance and code", byCode["hyperkalemia"].card.UUID == cardUUID(testInstance, "hyperkalemia") && cardUUID(testInstance, "hyperkalemia") != cardUUID("other", "hyperkalemia")},
	}
	for _, r := range rows {
		if !r.ok {
			t.Errorf("%s: %s: failed; cards %+v", r.section, r.name, got)
		}
	}
	var resp Response
	for _, c := range got {
		resp.Cards = append(resp.Cards, c.card)
	}
	checkResponse(t, resp)

	in.max, in.publicURL = 1, ""
	got = buildCards(a, in)
	if len(got) != 1 || got[0].code != "hyperkalemia" || got[0].card.Links != nil {
		t.Errorf("max 1 without public URL: %+v", got)
	}
	if got := buildCards(assess.Assessment{}, in); len(got) != 0 {
		t.Errorf("no alerts: %+v", got)
	}
}

// TestPublicSource: what users see cites the guideline, never internal
// notes.
func TestPublicSource(t *testing.T) {
	for in, want := range map[string]string{
		"local protocol (KDIGO 2024 gives no single cut-off; lupus.md §7.8): thresholds are configurable":  "local protocol (KDIGO 2024 gives no single cut-off): thresholds are configurable",
		"SLEDAI-2K items 11-14 and KDIGO 2012 GN Table 29 (lupus.md §6, ambiguity A2: > 5, not >= 5)":      "SLEDAI-2K items 11-14 and KDIGO 2012 GN Table 29",
		"Bertsias et al. Ann Rheum Dis 2012;71:1771-82 (not confirmed word for word; see docs/caveats.md)": "Bertsias et al. Ann Rheum Dis 2012;71:1771-82 (not confirmed word for word)",
	} {
		if got := publicSource(in); got != want {
			t.Errorf("publicSource(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmptyCards(t *testing.T) {
	// § HTTP Response: no guidance is {"cards": []}.
	w := do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "x", map[string]json.RawMessage{
		"patient": json.RawMessage(`{"resourceType":"Patient","id":"x"}`), "observations": json.RawMessage("null"), "conditions": json.RawMessage("null"),
		"medicationRequests": json.RawMessage("null"), "medicationStatements": json.RawMessage("null"), "procedures": json.RawMessage("null"),
	}, nil), nil)
	if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"cards":[]}` {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
}
