package cdshooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"renalwatch/internal/jsonkind"
	"strconv"
	"strings"
)

// Kinds of failure. Every error the handler answers with unwraps to one of
// them, and statusOf maps them to an HTTP status in this one place.
var (
	// ErrBadRequest: malformed JSON or a missing or invalid field (400).
	ErrBadRequest = errors.New("bad request")
	// ErrUnauthorized: no valid JWT from a trusted CDS Client (401).
	ErrUnauthorized = errors.New("unauthorized")
	// errNoCredentials: an ErrUnauthorized for a call with no bearer
	// token at all, answered without an error code (RFC 6750 §3.1).
	errNoCredentials = fmt.Errorf("no bearer token: %w", ErrUnauthorized)
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
	// ErrMethod: a method the route does not serve (405, with Allow).
	ErrMethod = errors.New("method not allowed")
	// ErrMediaType: a body that is not declared application/json (415).
	ErrMediaType = errors.New("unsupported media type")
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
	case errors.Is(err, ErrMethod):
		return http.StatusMethodNotAllowed
	case errors.Is(err, ErrMediaType):
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// errorBody is what an error response holds: the reason, never PHI.
type errorBody struct {
	Error string `json:"error"`
}

// noRoute answers what no route serves, in JSON like every other error
// (trial-web #14: the dashboard's HTML 404 page): a known path with
// another method is a 405 with Allow (RFC 9110 §15.5.6), a plain OPTIONS
// 204 with Allow (RFC 9110 §9.3.7; a CORS preflight is answered by cors),
// anything else a 404. § HTTP Status Codes: services
// "MAY return other HTTP statuses, specifically 4xx".
func (h *handler) noRoute(w http.ResponseWriter, r *http.Request) {
	allow := ""
	switch rest, ok := strings.CutPrefix(r.URL.Path, "/cds-services"); {
	case !ok:
	case rest == "":
		allow = http.MethodGet
	case strings.Count(rest, "/") == 1 && len(rest) > 1,
		strings.Count(rest, "/") == 2 && strings.HasSuffix(rest, "/feedback") && len(rest) > len("//feedback"):
		allow = http.MethodPost
	}
	if allow == "" {
		h.fail(w, r, fail(ErrNotFound, "no CDS Hooks route %s (discovery is GET /cds-services, a service POST /cds-services/{id}, its feedback POST /cds-services/{id}/feedback)", r.URL.Path))
		return
	}
	w.Header().Set("Allow", allow+", OPTIONS")
	if r.Method == http.MethodOptions {
		// A plain OPTIONS (not a CORS preflight, which cors answers):
		// RFC 9110 §9.3.7, the methods the route serves, in Allow
		// (trial 10 F9: 405 "OPTIONS is not allowed" with OPTIONS in
		// Allow).
		w.WriteHeader(http.StatusNoContent)
		return
	}
	h.fail(w, r, fail(ErrMethod, "%s is not allowed on %s: use %s", r.Method, r.URL.Path, allow))
}

// jsonBody serves next only for a body declared as JSON: a POST whose
// Content-Type is not application/json (or another +json type;
// parameters such as charset allowed) is a 415 (RFC 9110 §15.5.16).
// § Calling a CDS Service: the CDS Client POSTs a JSON document
// ("Content-type: application/json" in its example); trial-web #14: a
// text/plain body was answered 200.
func jsonBody(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !jsonMedia(r.Header.Get("Content-Type")) {
			writeError(w, fail(ErrMediaType, "Content-Type %q is not JSON: send the body as application/json", r.Header.Get("Content-Type")))
			return
		}
		next(w, r)
	}
}

// jsonMedia reports whether a Content-Type is application/json or an
// application/*+json type.
func jsonMedia(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// decodeError is the error of a failed JSON decode of a request body of
// the given kind: too large, or malformed.
func decodeError(err error, what string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fail(ErrTooLarge, "request body is larger than %d bytes", mbe.Limit)
	}
	return fail(ErrBadRequest, "request body is not a CDS Hooks %s object: %s", what, jsonReason(err))
}

// goType is the "Go value of type pkg.T" part of encoding/json's texts.
var goType = regexp.MustCompile(`(?: into)? Go (?:value|struct field) of type [^\s:]+`)

// jsonReason words a JSON decoding error for the caller, without the Go
// types encoding/json names (trial-web #13: "cannot unmarshal string into
// Go value of type cdshooks.shallow"): which field held what, and what
// was expected there, or where the syntax broke.
func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		where := "the value"
		if te.Field != "" {
			where = te.Field
		}
		return fmt.Sprintf("%s is %s where %s is expected", where, jsonkind.Value(te.Value), jsonkind.Of(te.Type))
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d (%s)", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF) || err.Error() == "unexpected end of JSON input":
		return "the JSON ends early (truncated)"
	}
	return strings.TrimPrefix(goType.ReplaceAllString(err.Error(), ""), "json: ")
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
// audit row says why the call was refused; a call refused with 400
// because its context.patientId is not a FHIR id stores a reason that
// does not quote the value.
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
	switch {
	case errors.Is(err, errNoCredentials):
		// RFC 6750 §3.1: "If the request lacks any authentication
		// information (e.g., the client was unaware that authentication
		// is necessary or attempted using an unsupported authentication
		// method), the resource server SHOULD NOT include an error code".
		w.Header().Set("WWW-Authenticate", "Bearer")
	case st == http.StatusUnauthorized:
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
