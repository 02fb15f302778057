package cdshooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// failingReplay is a MemoryReplayCache whose store can be made to fail,
// as the store-backed cache does when its database times out.
type failingReplay struct {
	mem  *MemoryReplayCache
	down atomic.Bool
}

var errStoreTimeout = errors.New("seen jti: context deadline exceeded")

func (f *failingReplay) Seen(key string, until, now time.Time) (bool, error) {
	if f.down.Load() {
		return false, errStoreTimeout
	}
	return f.mem.Seen(key, until, now)
}

// countingFeedback counts what the handler stores.
type countingFeedback struct {
	FeedbackStore
	issued, recorded atomic.Int32
}

func (c *countingFeedback) Issue(ctx context.Context, cs ...IssuedCard) error {
	c.issued.Add(int32(len(cs)))
	return c.FeedbackStore.Issue(ctx, cs...)
}

func (c *countingFeedback) Record(ctx context.Context, id string, f Feedback) error {
	c.recorded.Add(1)
	return c.FeedbackStore.Record(ctx, id, f)
}

// TestReplayStoreUnavailable: a replay cache that cannot check the jti
// refuses every call (fail closed: nothing assessed, no card issued, no
// feedback stored) with 503, Retry-After and the reason, never 401 "jti
// already used" (§ CDS Service Response, HTTP Status Codes: "MAY return
// other HTTP statuses, specifically 4xx and 5xx"; RFC 9110 § 15.6.4). A
// token already refused for another reason is still 401, and a real
// replay once the store answers again is 401 "already used".
func TestReplayStoreUnavailable(t *testing.T) {
	k := newKeys(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ehr-jwks.json"), k.jwks(), 0o644); err != nil {
		t.Fatal(err)
	}
	rc := &failingReplay{mem: NewMemoryReplayCache()}
	tr, err := NewTrust(TrustFile{Trusted: []TrustedClient{{Iss: testIss, JWKSFile: "ehr-jwks.json"}}}, dir, TrustOptions{Replay: rc})
	if err != nil {
		t.Fatal(err)
	}
	fb := &countingFeedback{FeedbackStore: NewMemoryFeedbackStore()}
	var log bytes.Buffer
	h := NewHandler(Config{Trust: tr, PublicURL: testPublic, Now: fixedNow, Feedback: fb,
		Logger: slog.New(slog.NewJSONHandler(&log, nil))})
	std := map[string]any{"typ": "JWT", "kid": "es384"}
	svc := testPublic + servicePath()
	call := callBody(t, "ln-class-iv-g4", demoPrefetch(t, "ln-class-iv-g4"), nil)
	feedback := []byte(`{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`)
	bearer := func(claims map[string]any) map[string]string {
		return map[string]string{"Authorization": "Bearer " + sign(t, jose.ES384, k.es384, std, claims)}
	}

	rc.down.Store(true)
	for _, r := range []struct {
		section, method, path string
		body                  []byte
		aud                   string
	}{
		{"§ Discovery, HTTP Status Codes", http.MethodGet, "/cds-services", nil, testPublic + "/cds-services"},
		{"§ CDS Service Response, HTTP Status Codes", http.MethodPost, servicePath(), call, svc},
		{"§ Feedback", http.MethodPost, servicePath() + "/feedback", feedback, svc + "/feedback"},
	} {
		w := do(h, r.method, r.path, r.body, bearer(claimsFor(r.aud)))
		var e map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatalf("%s %s: body %q: %v", r.method, r.path, w.Body, err)
		}
		want := map[string]any{"error": ReplayStoreReason}
		if w.Code != http.StatusServiceUnavailable || len(e) != 1 || e["error"] != want["error"] {
			t.Errorf("%s: %s %s with the replay store down: %d %s; want 503 %v", r.section, r.method, r.path, w.Code, w.Body, want)
		}
		if got := w.Header().Get("Retry-After"); got != "5" {
			t.Errorf("%s %s: Retry-After %q, want \"5\"", r.method, r.path, got)
		}
		if got := w.Header().Get("WWW-Authenticate"); got != "" {
			t.Errorf("%s %s: WWW-Authenticate %q on a 503: the token was not found invalid", r.method, r.path, got)
		}
		if strings.Contains(w.Body.String(), "deadline") {
			t.Errorf("%s %s: the store's error reached the caller: %s", r.method, r.path, w.Body)
		}
	}
	if n, m := fb.issued.Load(), fb.recorded.Load(); n != 0 || m != 0 {
		t.Errorf("with the replay store down %d cards were issued and %d feedback stored, want none", n, m)
	}
	if strings.Contains(log.String(), `"msg":"cds-hooks call"`) {
		t.Errorf("a call was assessed with the replay store down:\n%s", log.String())
	}
	if !strings.Contains(log.String(), `"level":"ERROR"`) || !strings.Contains(log.String(), errStoreTimeout.Error()) {
		t.Errorf("the store's error is not logged:\n%s", log.String())
	}
	// A token that fails an earlier check is refused as before.
	expired := claimsFor(svc)
	expired["exp"] = asOf.Add(-time.Minute).Unix()
	if w := do(h, http.MethodPost, servicePath(), call, bearer(expired)); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "expired") {
		t.Errorf("expired token with the replay store down: %d %s; want 401 expired", w.Code, w.Body)
	}

	// The store answers again: the call is served, and its replay is 401.
	rc.down.Store(false)
	hdr := bearer(claimsFor(svc))
	if resp := decodeCards(t, do(h, http.MethodPost, servicePath(), call, hdr)); len(resp.Cards) == 0 || fb.issued.Load() == 0 {
		t.Fatalf("store back: %d cards, %d issued; want the call's cards", len(resp.Cards), fb.issued.Load())
	}
	w := do(h, http.MethodPost, servicePath(), call, hdr)
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "already used") || w.Header().Get("Retry-After") != "" {
		t.Errorf("replayed token: %d %s (Retry-After %q); want 401 already used", w.Code, w.Body, w.Header().Get("Retry-After"))
	}
}

// Verify's error for a failing replay cache is a *ReplayStoreError: it
// unwraps to ErrUnavailable and to the cache's error, and is not
// ErrUnauthorized.
func TestReplayStoreErrorKinds(t *testing.T) {
	err := error(&ReplayStoreError{Err: errStoreTimeout})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, errStoreTimeout) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("%v: kinds wrong", err)
	}
	if statusOf(err) != http.StatusServiceUnavailable || reasonOf(err) != ReplayStoreReason {
		t.Errorf("%v: status %d reason %q", err, statusOf(err), reasonOf(err))
	}
	var slot string
	noteRefusal(WithRefusalSlot(context.Background(), &slot), err)
	if slot != ReplayStoreReason {
		t.Errorf("refusal slot %q", slot)
	}
	slot = ""
	noteRefusal(WithRefusalSlot(context.Background(), &slot), unauthorized("JWT expired"))
	if slot != "" {
		t.Errorf("a 401 filled the refusal slot: %q", slot)
	}
}
