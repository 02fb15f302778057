package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/store"
)

// CallStore is a store that audits CDS Hooks calls with their cards.
type CallStore interface {
	store.CallAuditor
	store.Auditor
	store.FeedbackStore
}

// RunCallAudit is the conformance test of a store.CallAuditor: the audit
// row and the issued cards of a call are written together, the cards are
// found by the feedback counts as cards of IssueCard are, a call without
// cards still gets its row, and a card without UUID refuses both.
// newStore must return an empty store; the caller closes it.
func RunCallAudit(t *testing.T, newStore func(t *testing.T) CallStore) {
	ctx := context.Background()
	s := newStore(t)
	t0 := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	call := store.AuditEntry{Time: t0, Who: "cds client", Action: "cds call svc", PatientID: "p1", Outcome: "ok"}
	cards := []store.IssuedCard{
		{UUID: "c1", ServiceID: "svc", AlertCode: "renal-flare", Issued: t0},
		{UUID: "c2", ServiceID: "svc", AlertCode: "anemia", Issued: t0},
	}
	if err := s.AuditIssued(ctx, call, cards...); err != nil {
		t.Fatalf("AuditIssued(call, c1, c2): %v", err)
	}
	empty := call
	empty.Time, empty.PatientID = t0.Add(time.Minute), "p2"
	if err := s.AuditIssued(ctx, empty); err != nil {
		t.Fatalf("AuditIssued(call without cards): %v", err)
	}
	// c1 again under another code: the first row is kept, as IssueCard does.
	again := call
	again.Time = t0.Add(2 * time.Minute)
	if err := s.AuditIssued(ctx, again, store.IssuedCard{UUID: "c1", ServiceID: "svc", AlertCode: "anemia", Issued: again.Time}); err != nil {
		t.Fatalf("AuditIssued(c1 again): %v", err)
	}
	refused := call
	refused.Time, refused.PatientID = t0.Add(3*time.Minute), "p3"
	if err := s.AuditIssued(ctx, refused, store.IssuedCard{UUID: "c3", ServiceID: "svc", AlertCode: "anemia", Issued: t0},
		store.IssuedCard{ServiceID: "svc", AlertCode: "anemia"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AuditIssued with a card without UUID: %v, want ErrInvalid", err)
	}
	log, err := s.AuditLog(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Time.UTC().Format(time.TimeOnly)+" "+e.Who+" "+e.Action+" "+e.PatientID+" "+e.Outcome)
	}
	want := []string{"09:30:00 cds client cds call svc p1 ok", "09:31:00 cds client cds call svc p2 ok", "09:32:00 cds client cds call svc p1 ok"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("audit rows (-want +got):\n%s", d)
	}
	for _, c := range []string{"c1", "c2", "c3"} {
		if err := s.RecordFeedback(ctx, store.CardFeedback{ServiceID: "svc", Card: c, Outcome: "overridden",
			OutcomeTimestamp: "2026-12-07T10:00:00Z", Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := s.FeedbackCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := []store.FeedbackCount{
		{AlertCode: "anemia", Overridden: 1},               // c2
		{AlertCode: "renal-flare", Overridden: 1},          // c1, its first code
		{AlertCode: store.UnknownAlertCode, Overridden: 1}, // c3 was refused with its call
	}
	if d := cmp.Diff(wantCounts, counts); d != "" {
		t.Errorf("FeedbackCounts (-want +got):\n%s", d)
	}
}
