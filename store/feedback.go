package store

import (
	"context"
	"fmt"
	"time"
)

// FeedbackStore keeps the CDS Hooks cards a server returned and the
// feedback EHRs sent on them (CDS Hooks 2.0.1 § Feedback), so that the
// counts per alert code survive a restart. A backend that implements it
// (store/sqlite; store/postgres) runs storetest.RunFeedback. The
// fhir/cdshooks package defines the protocol; the server adapts it to
// this interface. Implementations are safe for concurrent use.
type FeedbackStore interface {
	// IssueCard records the cards of one response, keyed by their UUIDs,
	// in one transaction. Issuing a UUID already stored changes nothing
	// (the first record is kept).
	IssueCard(ctx context.Context, cs ...IssuedCard) error
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

// ReplayStore remembers the ids of the JWTs CDS clients sent (iss + jti)
// until they expire, so that a token cannot be used twice (CDS Hooks
// 2.0.1 § Trusting CDS Clients: jti "used to protect against replay
// attacks"), across restarts and across servers sharing one database. It
// has the shape of cdshooks.ReplayCache plus a context: a caller that
// gets an error must refuse the token (fail closed), as unchecked rather
// than as a replay. renalwatch serve wires it as its cdshooks.ReplayCache
// (cmd/renalwatch/servereplay.go; an error answers 503); backends run
// storetest.RunReplay.
type ReplayStore interface {
	// SeenJTI reports whether key is recorded and not expired at now; if
	// not, it records key until the given time, atomically (two calls
	// with one key at once: one of them sees it).
	SeenJTI(ctx context.Context, key string, until, now time.Time) (bool, error)
}

// CheckIssued refuses cards without a UUID, before any is stored.
func CheckIssued(cs []IssuedCard) error {
	for _, c := range cs {
		if c.UUID == "" {
			return fmt.Errorf("issue card: %w: no UUID", ErrInvalid)
		}
	}
	return nil
}
