package cdshooks

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
)

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

// writeError answers with the status of err and its reason. Errors of no
// known kind are internal: their text is not shown.
func writeError(w http.ResponseWriter, err error) {
	st := statusOf(err)
	msg := err.Error()
	if st == http.StatusInternalServerError {
		msg = "internal error"
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
