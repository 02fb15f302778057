package store

import (
	"context"
	"time"
)

// FeedbackStore keeps the CDS Hooks cards a server returned and the
// feedback EHRs sent on them (CDS Hooks 2.0.1 § Feedback), so that the
// counts per alert code survive a restart. A backend that implements it
// (store/sqlite; store/postgres) runs storetest.RunFeedback. The
// fhir/cdshooks package defines the protocol; the server adapts it to
// this interface. Implementations are safe for concurrent use.
type FeedbackStore interface {
	// IssueCard records a card returned, keyed by its UUID. Issuing a
	// UUID already stored changes nothing (the first record is kept).
	IssueCard(ctx context.Context, c IssuedCard) error
	// RecordFeedback stores one feedback item idempotently: the same
	// (ServiceID, Card, Outcome, OutcomeTimestamp) stored again is one
	// record, and the first Body is kept ("a CDS Service may receive
	// feedback for the same card instance multiple times").
	RecordFeedback(ctx context.Context, f CardFeedback) error
	// FeedbackCounts counts, per alert code, the distinct cards accepted
	// and overridden, sorted by code. Feedback on a card not issued here
	// counts under UnknownAlertCode.
	FeedbackCounts(ctx context.Context) ([]FeedbackCount, error)
}

// IssuedCard is a card a CDS service returned.
type IssuedCard struct {
	UUID      string
	ServiceID string
	AlertCode string
	Issued    time.Time
}

// CardFeedback is one outcome an EHR reported on a card.
type CardFeedback struct {
	ServiceID        string
	Card             string // the card's UUID
	Outcome          string // "accepted" or "overridden"
	OutcomeTimestamp string // RFC 3339, as sent
	Body             []byte // the feedback item as JSON, kept for audit
}

// FeedbackCount counts the distinct cards of one alert code per outcome.
type FeedbackCount struct {
	AlertCode  string
	Accepted   int
	Overridden int
}

// UnknownAlertCode is the alert code of feedback on a card not issued by
// the store.
const UnknownAlertCode = "unknown"
