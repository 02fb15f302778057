package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/store"
)

// RunFeedback is the conformance test of a store.FeedbackStore
// (CDS Hooks 2.0.1 § Feedback: "a CDS Service may receive feedback for
// the same card instance multiple times"). newStore must return an empty
// store; the caller closes it.
func RunFeedback(t *testing.T, newStore func(t *testing.T) store.FeedbackStore) {
	ctx := context.Background()
	s := newStore(t)
	issued := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	cards := []store.IssuedCard{
		{UUID: "c1", ServiceID: "svc", AlertCode: "egfr-decline", Issued: issued},
		{UUID: "c2", ServiceID: "svc", AlertCode: "egfr-decline", Issued: issued},
		{UUID: "c3", ServiceID: "svc", AlertCode: "monitoring-overdue", Issued: issued},
		// The same UUID again with another code: the first is kept.
		{UUID: "c1", ServiceID: "svc", AlertCode: "renal-flare", Issued: issued.Add(time.Hour)},
	}
	// One response's cards in one call (c1, c2, c3), then c1 again alone.
	if err := s.IssueCard(ctx, cards[:3]...); err != nil {
		t.Fatalf("IssueCard(c1, c2, c3): %v", err)
	}
	if err := s.IssueCard(ctx, cards[3]); err != nil {
		t.Fatalf("IssueCard(c1 again): %v", err)
	}
	// A response with a card without UUID stores none of its cards.
	if err := s.IssueCard(ctx, store.IssuedCard{UUID: "c4", ServiceID: "svc", AlertCode: "anemia", Issued: issued},
		store.IssuedCard{ServiceID: "svc", AlertCode: "anemia"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("IssueCard(c4, no UUID): %v, want ErrInvalid", err)
	}
	fb := func(card, outcome, at string) store.CardFeedback {
		return store.CardFeedback{ServiceID: "svc", Card: card, Outcome: outcome, OutcomeTimestamp: at,
			Body: []byte(`{"card":"` + card + `","outcome":"` + outcome + `"}`)}
	}
	reports := []store.CardFeedback{
		fb("c1", "accepted", "2026-12-07T10:00:00Z"),
		fb("c1", "accepted", "2026-12-07T10:00:00Z"), // the same report again
		fb("c1", "accepted", "2026-12-07T10:05:00Z"), // the same card reported later: one card
		fb("c2", "overridden", "2026-12-07T10:00:00Z"),
		fb("c3", "overridden", "2026-12-07T10:00:00Z"),
		fb("c3", "overridden", "2026-12-07T10:00:00Z"),
		fb("never-issued", "overridden", "2026-12-07T10:00:00Z"),
		fb("c4", "accepted", "2026-12-07T10:00:00Z"), // c4 was refused with its response: unknown
	}
	for i := 0; i < 3; i++ { // the whole batch sent three times
		for _, f := range reports {
			if err := s.RecordFeedback(ctx, f); err != nil {
				t.Fatalf("RecordFeedback(%s %s): %v", f.Card, f.Outcome, err)
			}
		}
	}
	got, err := s.FeedbackCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.FeedbackCount{
		{AlertCode: "egfr-decline", Accepted: 1, Overridden: 1},
		{AlertCode: "monitoring-overdue", Overridden: 1},
		{AlertCode: store.UnknownAlertCode, Accepted: 1, Overridden: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("FeedbackCounts (-want +got):\n%s", d)
	}
	if err := s.RecordFeedback(ctx, fb("c1", "maybe", "2026-12-07T10:00:00Z")); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("RecordFeedback with outcome maybe: %v, want ErrInvalid", err)
	}
	if err := s.IssueCard(ctx, store.IssuedCard{ServiceID: "svc", AlertCode: "x"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("IssueCard without UUID: %v, want ErrInvalid", err)
	}
	empty := newStore(t)
	if got, err := empty.FeedbackCounts(ctx); err != nil || got == nil || len(got) != 0 {
		t.Errorf("FeedbackCounts of an empty store: %v, %v; want [] (not nil)", got, err)
	}
}

// RunReplay is the conformance test of a store.ReplayStore: a JWT id is
// refused while it is valid, forgotten after it expires (CDS Hooks 2.0.1
// § Trusting CDS Clients, jti). newStore must return an empty store.
func RunReplay(t *testing.T, newStore func(t *testing.T) store.ReplayStore) {
	ctx := context.Background()
	s := newStore(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	exp := now.Add(5 * time.Minute)
	steps := []struct {
		key      string
		until    time.Time
		at       time.Time
		wantSeen bool
	}{
		{"https://ehr.example.org|a", exp, now, false},
		{"https://ehr.example.org|a", exp, now.Add(time.Minute), true},      // replayed
		{"https://other.example.org|a", exp, now.Add(time.Minute), false},   // another issuer
		{"https://ehr.example.org|a", exp.Add(5 * time.Minute), exp, false}, // expired: forgotten, recorded again
		{"https://ehr.example.org|a", exp.Add(5 * time.Minute), exp.Add(time.Minute), true},
	}
	for i, st := range steps {
		seen, err := s.SeenJTI(ctx, st.key, st.until, st.at)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if seen != st.wantSeen {
			t.Errorf("step %d: SeenJTI(%s at %s) = %v, want %v", i, st.key, st.at.Format(time.TimeOnly), seen, st.wantSeen)
		}
	}
	if _, err := s.SeenJTI(ctx, "", exp, now); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty key: %v, want ErrInvalid", err)
	}
}
