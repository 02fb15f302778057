package cdshooks

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// countIssued is a FeedbackStore that counts the cards issued.
type countIssued struct {
	FeedbackStore
	n int
}

func (c *countIssued) Issue(ctx context.Context, cs ...IssuedCard) error {
	c.n += len(cs)
	return c.FeedbackStore.Issue(ctx, cs...)
}

// TestCallTimeout (F15, trial 10): § HTTP Status Codes (services "MAY
// return other HTTP statuses"): a call whose work passes CallTimeout is
// stopped between its steps and answered 503 with Retry-After and the
// reason, before any card is issued, instead of being assessed past the
// server's write timeout and never delivered (203 s, an empty reply).
func TestCallTimeout(t *testing.T) {
	body := callBody(t, "ln-class-iv-g4", demoPrefetch(t, "ln-class-iv-g4"), nil)
	for _, c := range []struct {
		section string
		timeout time.Duration
		code    int
		msg     string
		issued  bool
	}{
		{"§ HTTP Status Codes: 503", time.Nanosecond, http.StatusServiceUnavailable, "the call took longer than 1ns and was stopped before it was assessed", false},
		{"§ CDS Service Response", time.Minute, http.StatusOK, "", true},
	} {
		t.Run(c.section, func(t *testing.T) {
			fs := &countIssued{FeedbackStore: NewMemoryFeedbackStore()}
			h := demoHandler(t, func(cf *Config) { cf.CallTimeout, cf.Feedback = c.timeout, fs })
			w := do(h, http.MethodPost, servicePath(), body, nil)
			var e struct{ Error string }
			json.Unmarshal(w.Body.Bytes(), &e)
			if w.Code != c.code || !strings.Contains(e.Error, c.msg) {
				t.Fatalf("%d %s; want %d %q", w.Code, w.Body, c.code, c.msg)
			}
			if c.code == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			if (fs.n > 0) != c.issued {
				t.Errorf("%d cards issued", fs.n)
			}
		})
	}
}
