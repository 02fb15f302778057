package cdshooks

import (
	"context"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FeedbackStore keeps issued cards and the feedback on them. The in-memory
// MemoryFeedbackStore serves tests and --demo; the server is to wire a
// store on its SQLite database (two tables keyed as below) so that counts
// survive a restart. Implementations must be safe for concurrent use.
type FeedbackStore interface {
	// Issue records that the cards of one response were returned, with
	// their alert codes, so that feedback naming a card can be counted by
	// code; a store writes them in one transaction. Issuing the same UUID
	// again changes nothing.
	Issue(ctx context.Context, cs ...IssuedCard) error
	// Record stores feedback idempotently: the same (card, outcome,
	// outcomeTimestamp) stored twice is one record (§ Suggestion
	// accepted: "a CDS Service may receive feedback for the same card
	// instance multiple times").
	Record(ctx context.Context, serviceID string, f Feedback) error
	// Counts returns the outcomes per alert code, sorted by code.
	Counts(ctx context.Context) ([]FeedbackCount, error)
}

// IssuedCard is a card the service returned.
type IssuedCard struct {
	UUID      string
	ServiceID string
	AlertCode string
	Issued    time.Time
}

// FeedbackCount counts, for one alert code, the distinct cards accepted
// and overridden. A card reported several times with one outcome counts
// once. Feedback on a card this store did not issue counts under the code
// "unknown".
type FeedbackCount struct {
	AlertCode  string `json:"alert_code"`
	Accepted   int    `json:"accepted"`
	Overridden int    `json:"overridden"`
}

// UnknownCode is the alert code of feedback on a card not issued here.
const UnknownCode = "unknown"

// decodeFeedback reads and checks a feedback request (§ Feedback). Every
// problem is an ErrBadRequest naming the item and field.
func decodeFeedback(r io.Reader) (*FeedbackRequest, error) {
	var fr FeedbackRequest
	dec := json.NewDecoder(r)
	if err := dec.Decode(&fr); err != nil {
		return nil, decodeError(err, "feedback")
	}
	if fr.Feedback == nil {
		return nil, fail(ErrBadRequest, "feedback is required (an array)")
	}
	for i, f := range fr.Feedback {
		at := "feedback[" + strconv.Itoa(i) + "]"
		switch {
		case f.Card == "":
			return nil, fail(ErrBadRequest, "%s.card is required", at)
		case f.Outcome != OutcomeAccepted && f.Outcome != OutcomeOverridden:
			return nil, fail(ErrBadRequest, "%s.outcome %q must be accepted or overridden", at, f.Outcome)
		case f.Outcome == OutcomeAccepted && len(f.AcceptedSuggestions) == 0:
			// § Feedback: acceptedSuggestions "Required for accepted
			// outcomes".
			return nil, fail(ErrBadRequest, "%s.acceptedSuggestions is required when outcome is accepted", at)
		case f.Outcome == OutcomeAccepted && f.OverrideReason != nil:
			return nil, fail(ErrBadRequest, "%s.overrideReason is only for overridden outcomes", at)
		case f.OutcomeTimestamp == "":
			return nil, fail(ErrBadRequest, "%s.outcomeTimestamp is required", at)
		}
		// § Feedback: outcomeTimestamp is UTC "as profiled in section 5.6
		// of RFC3339".
		if t, err := time.Parse(time.RFC3339Nano, f.OutcomeTimestamp); err != nil || !strings.HasSuffix(f.OutcomeTimestamp, "Z") || t.IsZero() {
			return nil, fail(ErrBadRequest, "%s.outcomeTimestamp %q is not an RFC 3339 UTC date-time (such as 2021-12-11T10:05:31Z)", at, f.OutcomeTimestamp)
		}
		for j, s := range f.AcceptedSuggestions {
			if s.ID == "" {
				return nil, fail(ErrBadRequest, "%s.acceptedSuggestions[%d].id is required", at, j)
			}
		}
		if f.Outcome == OutcomeAccepted {
			// § Suggestion accepted: an AcceptedSuggestion's id is "The
			// card.suggestion.uuid from the CDS Hooks response. Uniquely
			// identifies the suggestion that was accepted", and "If
			// either the card or the suggestion has no uuid, the CDS
			// Client does not send a notification". RenalWatch's cards
			// carry no suggestions (Card has none, and an IssuedCard
			// keeps none), so no id can name one of the card's: an
			// accepted outcome is refused, not counted (trial 10: an
			// invented id was counted as accepted).
			return nil, fail(ErrBadRequest, "%s.acceptedSuggestions[0].id %.64q is not a suggestion of the card: RenalWatch cards carry no suggestions, so a card can only be overridden (CDS Hooks 2.0.1 § Suggestion accepted: id is the card.suggestion.uuid from the response)", at, f.AcceptedSuggestions[0].ID)
		}
		if o := f.OverrideReason; o != nil {
			// § OverrideReason: reason is a Coding; § Coding: code
			// REQUIRED.
			if o.Reason != nil && o.Reason.Code == "" {
				return nil, fail(ErrBadRequest, "%s.overrideReason.reason.code is required", at)
			}
			if o.Reason == nil && o.UserComment == "" {
				return nil, fail(ErrBadRequest, "%s.overrideReason is empty", at)
			}
		}
	}
	return &fr, nil
}

// MemoryFeedbackStore is a FeedbackStore in memory.
type MemoryFeedbackStore struct {
	mu       sync.Mutex
	issued   map[string]IssuedCard
	records  map[feedbackKey]Feedback
	outcomes map[outcomeKey]bool
}

type feedbackKey struct{ service, card, outcome, at string }
type outcomeKey struct{ card, outcome string }

// NewMemoryFeedbackStore returns an empty store.
func NewMemoryFeedbackStore() *MemoryFeedbackStore {
	return &MemoryFeedbackStore{issued: map[string]IssuedCard{}, records: map[feedbackKey]Feedback{}, outcomes: map[outcomeKey]bool{}}
}

// Issue implements FeedbackStore.
func (m *MemoryFeedbackStore) Issue(_ context.Context, cs ...IssuedCard) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		if _, ok := m.issued[c.UUID]; !ok {
			m.issued[c.UUID] = c
		}
	}
	return nil
}

// Record implements FeedbackStore.
func (m *MemoryFeedbackStore) Record(_ context.Context, serviceID string, f Feedback) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records[feedbackKey{serviceID, f.Card, f.Outcome, f.OutcomeTimestamp}] = f
	m.outcomes[outcomeKey{f.Card, f.Outcome}] = true
	return nil
}

// Len returns the number of feedback records kept.
func (m *MemoryFeedbackStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.records)
}

// Counts implements FeedbackStore.
func (m *MemoryFeedbackStore) Counts(context.Context) ([]FeedbackCount, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	by := map[string]*FeedbackCount{}
	for k := range m.outcomes {
		code := UnknownCode
		if c, ok := m.issued[k.card]; ok {
			code = c.AlertCode
		}
		fc := by[code]
		if fc == nil {
			fc = &FeedbackCount{AlertCode: code}
			by[code] = fc
		}
		if k.outcome == OutcomeAccepted {
			fc.Accepted++
		} else {
			fc.Overridden++
		}
	}
	out := make([]FeedbackCount, 0, len(by))
	for _, fc := range by {
		out = append(out, *fc)
	}
	slices.SortFunc(out, func(a, b FeedbackCount) int { return strings.Compare(a.AlertCode, b.AlertCode) })
	return out, nil
}
