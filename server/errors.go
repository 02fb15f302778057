package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"renalwatch/store"
)

// Kind is a class of error the API reports; statusOf maps each to one HTTP
// status.
type Kind string

// Error kinds; the strings are the "code" of the JSON error.
const (
	KindBadRequest   Kind = "bad_request"            // 400: malformed request (JSON syntax, bad query)
	KindUnauthorized Kind = "unauthorized"           // 401: no or unknown bearer token
	KindForbidden    Kind = "forbidden"              // 403: a cross-site form post, or a role below the route's
	KindNotFound     Kind = "not_found"              // 404: no such patient, route or calculator
	KindMethod       Kind = "method_not_allowed"     // 405: the route exists for other methods (Allow lists them)
	KindTooLarge     Kind = "too_large"              // 413: body over the limit
	KindMediaType    Kind = "unsupported_media_type" // 415: wrong Content-Type
	KindInvalid      Kind = "invalid"                // 422: well-formed but clinically or semantically invalid input
	KindInternal     Kind = "internal"               // 500: everything else (details go to the log only)
)

// Error is an error the API shows to its caller: a kind, a message for a
// person and the input field it concerns (empty when none).
type Error struct {
	Kind    Kind
	Message string
	Field   string
	Err     error // wrapped cause, logged, never shown
}

func (e *Error) Error() string { return string(e.Kind) + ": " + e.Message }
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error of kind k about field.
func Errorf(k Kind, field, format string, args ...any) *Error {
	return &Error{Kind: k, Field: field, Message: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON of every API error:
// {"error":{"code":…,"message":…,"field":…}}.
type errorBody struct {
	Error struct {
		Code    Kind   `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// statusOf is the one place where errors become HTTP statuses and the
// error the caller sees. Errors that are not *Error (store failures, bugs)
// become 500 with a message that names nothing internal.
func statusOf(err error) (int, *Error) {
	var e *Error
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &e):
	case errors.As(err, &mb):
		e = Errorf(KindTooLarge, "", "the request body is larger than %d bytes", mb.Limit)
	case errors.Is(err, store.ErrNotFound):
		e = Errorf(KindNotFound, "id", "no such patient")
	default:
		e = &Error{Kind: KindInternal, Message: "internal error (logged on the server)", Err: err}
	}
	status := map[Kind]int{
		KindBadRequest:   http.StatusBadRequest,
		KindUnauthorized: http.StatusUnauthorized,
		KindForbidden:    http.StatusForbidden,
		KindNotFound:     http.StatusNotFound,
		KindMethod:       http.StatusMethodNotAllowed,
		KindTooLarge:     http.StatusRequestEntityTooLarge,
		KindMediaType:    http.StatusUnsupportedMediaType,
		KindInvalid:      http.StatusUnprocessableEntity,
	}[e.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	return status, e
}

// writeError writes err as the JSON error body with its status; a 500's
// cause goes to the access log record, never to the client.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, e := statusOf(err)
	if status == http.StatusInternalServerError {
		// The cause may name a patient; it is logged at error level
		// without the request path.
		s.log.ErrorContext(r.Context(), "internal error", "route", routeOf(r), "err", err.Error())
	}
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Field = e.Kind, e.Message, e.Field
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="renalwatch"`)
	}
	writeJSONStatus(w, status, b)
}

// writeJSONStatus writes v as indented JSON with status.
func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// As the CLI writes it: JSON served as application/json with nosniff
	// is not read as HTML, and "<" stays readable ("UPCR < 0.5 g/g").
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
