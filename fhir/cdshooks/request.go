package cdshooks

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"renalwatch/fhir"
)

// HookPatientView is the patient-view hook (hook version 1.0).
const HookPatientView = "patient-view"

var (
	// fhirID is the FHIR R4 id datatype: [A-Za-z0-9\-\.]{1,64}.
	fhirID = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)
	// userRef is patient-view's context.userId: "[ResourceType]/[id]" with
	// the user "of type Practitioner, PractitionerRole, Patient, or
	// RelatedPerson" (patient-view 1.0, Context).
	userRef = regexp.MustCompile(`^(Practitioner|PractitionerRole|Patient|RelatedPerson)/[A-Za-z0-9\-.]{1,64}$`)
	// reference is a relative FHIR reference "[ResourceType]/[id]" (with
	// an optional "/_history/[vid]"), what an EHR sends by mistake for a
	// patientId.
	reference = regexp.MustCompile(`^[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\-.]{1,64}(/_history/[A-Za-z0-9\-.]{1,64})?$`)
	// uuidRE is the 8-4-4-4-12 hex form of a UUID (RFC 9562 §4).
	uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// readBody reads a request body whole into dst (reused: it is cut to
// length 0). size is its Content-Length (0 or less: unknown), which
// presizes the buffer up to limit and maxPresize: a client's claim does
// not reserve more memory than it sends.
func readBody(dst []byte, r io.Reader, size, limit int64) ([]byte, error) {
	if size <= 0 || size > limit {
		size = 4096
	}
	size = min(size, maxPresize)
	b := dst[:0]
	if int64(cap(b)) < size+1 {
		b = make([]byte, 0, size+1) // +1: the end is seen without growing
	}
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// maxPresize is the most readBody reserves before the bytes arrive.
const maxPresize = 2 << 20

// bodies keeps call body buffers for reuse: a ten-year prefetch is
// hundreds of kilobytes, allocated and collected once per call otherwise.
// Nothing decoded from a body keeps a reference to it (strings are
// copies), and a buffer goes back only once the answer is written.
var bodies sync.Pool

// maxPooledBody is the largest buffer kept for reuse.
const maxPooledBody = 8 << 20

func getBody() []byte {
	if p, ok := bodies.Get().(*[]byte); ok {
		return *p
	}
	return nil
}

func putBody(b []byte) {
	if cap(b) <= maxPooledBody {
		b = b[:0]
		bodies.Put(&b)
	}
}

// decodeRequest decodes a service call's body: in one pass when it has
// the plain shape (scanCall), which also gives what gather reads of each
// prefetched Bundle; else with encoding/json, which words the errors.
// Prefetch values are slices of body.
// With skim, entries' resources may be left unchecked (skim.go); skimmed
// says whether they were.
func decodeRequest(body []byte, skim bool) (req *Request, sh map[string]*shallow, skimmed bool, err error) {
	return decodeRequestDec(body, skim, nil)
}

// decodeRequestDec is decodeRequest; with skim and into, skimmed entries'
// resources are decoded by into where they are (skim.go).
func decodeRequestDec(body []byte, skim bool, into *fhir.Entries) (req *Request, sh map[string]*shallow, skimmed bool, err error) {
	if sc := scanCallDec(body, skim, into); sc != nil {
		var req Request
		if json.Unmarshal(sc.envelope, &req) == nil {
			req.Prefetch = sc.prefetch
			return &req, sc.shallow, sc.skimmed, nil
		}
		if sc.skimmed {
			return nil, nil, true, errChecked
		}
	}
	req = &Request{}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(req); err != nil {
		return nil, nil, false, decodeError(err, "request")
	}
	if dec.More() {
		return nil, nil, false, fail(ErrBadRequest, "request body holds more than one JSON value")
	}
	return req, nil, false, nil
}

// decodeCall reads and checks a service call for the patient-view service
// named id. Every problem is an ErrBadRequest naming the field. The
// context is returned whenever it could be decoded, also with an error
// (the audit names the patient of a refused call). The shallow reading of
// the prefetch is given when decodeRequest made it.
func decodeCall(body []byte, id string) (*Request, map[string]*shallow, PatientViewContext, error) {
	req, sh, pv, _, err := decodeCallWith(body, id, false, nil)
	return req, sh, pv, err
}

// decodeCallWith is decodeCall; with skim, entries' resources may be left
// unchecked (skim.go), and skimmed says whether they were; with dec too,
// they are decoded by dec where they are.
func decodeCallWith(body []byte, id string, skim bool, dec *fhir.Entries) (*Request, map[string]*shallow, PatientViewContext, bool, error) {
	req, sh, skimmed, err := decodeRequestDec(body, skim, dec)
	pv, err := checkCall(req, id, err)
	if err != nil {
		return nil, nil, pv, skimmed, err
	}
	return req, sh, pv, skimmed, nil
}

// checkCall checks the decoded call (req, or the error decoding it).
func checkCall(req *Request, id string, err error) (PatientViewContext, error) {
	var pv PatientViewContext
	if err != nil {
		return pv, err
	}
	var pvErr error
	if !isNull(req.Context) {
		pvErr = json.Unmarshal(req.Context, &pv)
	}
	// § Calling a CDS Service, HTTP Request: hook, hookInstance and
	// context are REQUIRED.
	switch {
	case req.Hook == "":
		return pv, fail(ErrBadRequest, "hook is required")
	case req.Hook != HookPatientView:
		return pv, fail(ErrBadRequest, "hook %q is not the hook of service %q (%s)", req.Hook, id, HookPatientView)
	case req.HookInstance == "":
		return pv, fail(ErrBadRequest, "hookInstance is required")
	case !uuidRE.MatchString(req.HookInstance):
		return pv, fail(ErrBadRequest, "hookInstance %q is not a UUID", req.HookInstance)
	case isNull(req.Context):
		return pv, fail(ErrBadRequest, "context is required")
	}
	if pvErr != nil {
		return pv, fail(ErrBadRequest, "context is not a patient-view context object: %s", jsonReason(pvErr))
	}
	// patient-view 1.0, Context: userId and patientId REQUIRED.
	switch {
	case pv.UserID == "":
		return pv, fail(ErrBadRequest, "context.userId is required")
	case !userRef.MatchString(pv.UserID):
		return pv, fail(ErrBadRequest, "context.userId %q must be Practitioner/{id}, PractitionerRole/{id}, Patient/{id} or RelatedPerson/{id}", pv.UserID)
	case pv.PatientID == "":
		return pv, fail(ErrBadRequest, "context.patientId is required")
	case reference.MatchString(pv.PatientID):
		return pv, fail(ErrBadRequest, "context.patientId %q must be the bare Patient.id (such as \"123\"), not a reference (such as \"Patient/123\")", pv.PatientID)
	case !fhirID.MatchString(pv.PatientID):
		return pv, fail(ErrBadRequest, "context.patientId %q is not a FHIR id: the FHIR id grammar is [A-Za-z0-9\\-\\.]{1,64} (letters, digits, - and ., 1 to 64 characters)", pv.PatientID)
	case pv.EncounterID != "" && !fhirID.MatchString(pv.EncounterID):
		return pv, fail(ErrBadRequest, "context.encounterId %q is not a FHIR id", pv.EncounterID)
	}
	if req.FHIRServer != "" {
		u, err := url.Parse(req.FHIRServer)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return pv, fail(ErrBadRequest, "fhirServer %q is not an absolute http(s) URL", req.FHIRServer)
		}
	}
	if a := req.FHIRAuthorization; a != nil {
		// § HTTP Request: "If fhirAuthorization is provided, this field
		// [fhirServer] is REQUIRED"; § Passing the Access Token:
		// access_token REQUIRED, token_type fixed "Bearer".
		switch {
		case req.FHIRServer == "":
			return pv, fail(ErrBadRequest, "fhirServer is required when fhirAuthorization is given")
		case a.AccessToken == "":
			return pv, fail(ErrBadRequest, "fhirAuthorization.access_token is required")
		case !strings.EqualFold(a.TokenType, "Bearer"):
			return pv, fail(ErrBadRequest, "fhirAuthorization.token_type %q must be Bearer", a.TokenType)
		}
	}
	return pv, nil
}
