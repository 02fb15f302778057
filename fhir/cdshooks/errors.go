package cdshooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// Kinds of failure. Every error the handler answers with unwraps to one of
// them, and statusOf maps them to an HTTP status in this one place.
var (
	// ErrBadRequest: malformed JSON or a missing or invalid field (400).
	ErrBadRequest = errors.New("bad request")
	// ErrUnauthorized: no valid JWT from a trusted CDS Client (401).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotFound: no such CDS Service (404).
	ErrNotFound = errors.New("not found")
	// ErrPrecondition: the FHIR data the service needs could be had
	// neither from prefetch nor from the fhirServer (412, § HTTP Status
	// Codes of the CDS Service Response).
	ErrPrecondition = errors.New("precondition failed")
	// ErrTooLarge: the request body is over the configured limit (413).
	ErrTooLarge = errors.New("request too large")
	// ErrUnavailable: the service cannot decide the call for now, such
	// as a JWT replay store that fails (*ReplayStoreError); 503 with
	// Retry-After (§ CDS Service Response, HTTP Status Codes: "MAY
	// return other HTTP statuses, specifically 4xx and 5xx").
	ErrUnavailable = errors.New("service unavailable")
)

// RetryAfter is the Retry-After of a 503 answer, in seconds: the replay
// store's timeout in renalwatch serve (5 s), so an overloaded store has
// had that long again to catch up.
const RetryAfter = 5

// reasonError is an error with a reason for the caller and a kind.
type reasonError struct {
	kind   error
	reason string
}

func (e *reasonError) Error() string { return e.reason }
func (e *reasonError) Unwrap() error { return e.kind }

func fail(kind error, format string, args ...any) error {
	return &reasonError{kind: kind, reason: fmt.Sprintf(format, args...)}
}

// statusOf maps an error to its HTTP status.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrPrecondition):
		return http.StatusPreconditionFailed
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errorBody is what an error response holds: the reason, never PHI.
type errorBody struct {
	Error string `json:"error"`
}

// decodeError is the error of a failed JSON decode of a request body of
// the given kind: too large, or malformed.
func decodeError(err error, what string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fail(ErrTooLarge, "request body is larger than %d bytes", mbe.Limit)
	}
	return fail(ErrBadRequest, "request body is not a CDS Hooks %s object: %v", what, err)
}

// reasonOf is the reason the caller sees for err. Errors of no known
// kind are internal: their text is not shown; nor is the cause of a
// *ReplayStoreError (a store error), which the handler logs.
func reasonOf(err error) string {
	var rs *ReplayStoreError
	switch {
	case statusOf(err) == http.StatusInternalServerError:
		return "internal error"
	case errors.As(err, &rs):
		return ReplayStoreReason
	}
	return err.Error()
}

// refusalSlot is the context key of WithRefusalSlot.
type refusalSlot struct{}

// WithRefusalSlot returns ctx carrying p: a call served with it that the
// handler refuses with 503 (ErrUnavailable: it cannot decide the call
// now) stores the reason it answered with in *p, so that the server's
// audit row says why the call was refused.
func WithRefusalSlot(ctx context.Context, p *string) context.Context {
	return context.WithValue(ctx, refusalSlot{}, p)
}

// noteRefusal stores the reason of a 503 in the WithRefusalSlot of ctx.
func noteRefusal(ctx context.Context, err error) {
	if p, ok := ctx.Value(refusalSlot{}).(*string); ok && statusOf(err) == http.StatusServiceUnavailable {
		*p = reasonOf(err)
	}
}

// writeError answers with the status of err and its reason (reasonOf);
// 401 with WWW-Authenticate, 503 with Retry-After.
func writeError(w http.ResponseWriter, err error) {
	st := statusOf(err)
	msg := reasonOf(err)
	if st == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
	}
	if st == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeJSON(w, st, errorBody{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
