package cdshooks

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestFeedbackRules: § Feedback, one row per rule.
func TestFeedbackRules(t *testing.T) {
	path := servicePath() + "/feedback"
	rows := []struct {
		section, name, body string
		status              int
		reason              string
	}{
		{"§ Feedback: an object containing an array", "malformed", `{"feedback":`, 400, "not a CDS Hooks feedback"},
		{"§ Feedback: an object containing an array", "no array", `{}`, 400, "feedback is required"},
		{"§ Feedback: card REQUIRED", "no card", `{"feedback":[{"outcome":"overridden","outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`, 400, "card is required"},
		{"§ Feedback: outcome accepted|overridden", "outcome ignored", `{"feedback":[{"card":"c","outcome":"ignored","outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`, 400, "must be accepted or overridden"},
		{"§ Feedback: acceptedSuggestions required for accepted", "accepted without suggestions", `{"feedback":[{"card":"c","outcome":"accepted","outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`, 400, "acceptedSuggestions is required"},
		{"§ Suggestion accepted: id REQUIRED", "accepted suggestion without id", `{"feedback":[{"card":"c","outcome":"accepted","acceptedSuggestions":[{}],"outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`, 400, "id is required"},
		{"§ Feedback: outcomeTimestamp REQUIRED", "no timestamp", `{"feedback":[{"card":"c","outcome":"overridden"}]}`, 400, "outcomeTimestamp is required"},
		{"§ Feedback: outcomeTimestamp UTC RFC 3339 §5.6", "local time", `{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:00:00+02:00"}]}`, 400, "not an RFC 3339 UTC"},
		{"§ OverrideReason / § Coding: code", "reason without code", `{"feedback":[{"card":"c","outcome":"overridden","overrideReason":{"reason":{"display":"x"}},"outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`, 400, "reason.code is required"},
		{"§ Feedback", "unknown service", `{"feedback":[]}`, 404, "no CDS service"},
		{"§ Overridden guidance: without overrideReason", "overridden, no reason", `{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`, 200, ""},
		{"§ Explicit reject with override reasons", "overridden with reason and comment", `{"feedback":[{"card":"c","outcome":"overridden","overrideReason":{"reason":{"code":"d7ecf885","system":"https://example.com/r"},"userComment":"seen"},"outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`, 200, ""},
		{"§ Suggestion accepted: id is the card.suggestion.uuid", "accepted with a suggestion the card does not have (it has none)", `{"feedback":[{"card":"c","outcome":"accepted","acceptedSuggestions":[{"id":"s"}],"outcomeTimestamp":"2026-10-15T10:00:00.52Z"}]}`, 400, `acceptedSuggestions[0].id "s" is not a suggestion of the card`},
	}
	h := demoHandler(t)
	for _, r := range rows {
		p := path
		if r.status == 404 {
			p = "/cds-services/nope/feedback"
		}
		w := do(h, http.MethodPost, p, []byte(r.body), nil)
		var e errorBody
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != r.status || !strings.Contains(e.Error, r.reason) {
			t.Errorf("%s: %s: got %d %q, want %d %q", r.section, r.name, w.Code, e.Error, r.status, r.reason)
		}
	}
}

// TestFeedbackIdempotentCounts: the same feedback reported again is one
// record (§ Suggestion accepted: feedback for the same card may arrive
// many times); counts are per alert code of the issued card.
func TestFeedbackIdempotentCounts(t *testing.T) {
	store := NewMemoryFeedbackStore()
	h := demoHandler(t, func(c *Config) { c.Feedback = store })
	resp := decodeCards(t, do(h, http.MethodPost, servicePath(), callBody(t, "ln-class-iv-g4", demoPrefetch(t, "ln-class-iv-g4"), nil), nil))
	if len(resp.Cards) < 2 {
		t.Fatalf("cards: %d", len(resp.Cards))
	}
	// The referral criteria share one card, counted under its card code.
	g4, referral := cardUUID(testInstance, "rapid-progression"), cardUUID(testInstance, CardKidneyReferral)
	if !slices.ContainsFunc(resp.Cards, func(c Card) bool { return c.UUID == referral }) || !slices.ContainsFunc(resp.Cards, func(c Card) bool { return c.UUID == g4 }) {
		t.Fatalf("no kidney-referral or rapid-progression card: %+v", resp.Cards)
	}
	// Accepting an invented suggestion of the referral card (RenalWatch
	// cards carry none) is refused and counts nothing (trial 10).
	accepted := `{"feedback":[{"card":"` + referral + `","outcome":"accepted","acceptedSuggestions":[{"id":"x"}],"outcomeTimestamp":"2026-10-15T10:01:00Z"}]}`
	if w := do(h, http.MethodPost, servicePath()+"/feedback", []byte(accepted), nil); w.Code != 400 {
		t.Errorf("accepted with an invented suggestion: %d %s, want 400", w.Code, w.Body)
	}
	fb := `{"feedback":[{"card":"` + g4 + `","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:00:00Z"},` +
		`{"card":"` + referral + `","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:01:00Z"},` +
		`{"card":"never-issued","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:02:00Z"}]}`
	for range 3 {
		if w := do(h, http.MethodPost, servicePath()+"/feedback", []byte(fb), nil); w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	// The same card overridden again later: a new record, still one card.
	again := `{"feedback":[{"card":"` + g4 + `","outcome":"overridden","outcomeTimestamp":"2026-10-15T11:00:00Z"}]}`
	do(h, http.MethodPost, servicePath()+"/feedback", []byte(again), nil)
	if store.Len() != 4 {
		t.Errorf("records: %d, want 4", store.Len())
	}
	w := do(FeedbackCounts(store), http.MethodGet, "/api/cds/feedback", nil, nil)
	want := `{"counts":[{"alert_code":"kidney-referral","accepted":0,"overridden":1},{"alert_code":"rapid-progression","accepted":0,"overridden":1},{"alert_code":"unknown","accepted":0,"overridden":1}]}`
	if got := strings.TrimSpace(w.Body.String()); got != want {
		t.Errorf("counts:\n got %s\nwant %s", got, want)
	}
}
