package cdshooks

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"strings"
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
	// uuidRE is the 8-4-4-4-12 hex form of a UUID (RFC 9562 §4).
	uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// isNull reports whether raw is absent or the JSON null.
func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// decodeCall reads and checks a service call for the patient-view service
// named id. Every problem is an ErrBadRequest naming the field.
func decodeCall(r io.Reader, id string) (*Request, PatientViewContext, error) {
	var req Request
	var pv PatientViewContext
	dec := json.NewDecoder(r)
	if err := dec.Decode(&req); err != nil {
		return nil, pv, decodeError(err, "request")
	}
	if dec.More() {
		return nil, pv, fail(ErrBadRequest, "request body holds more than one JSON value")
	}
	// § Calling a CDS Service, HTTP Request: hook, hookInstance and
	// context are REQUIRED.
	switch {
	case req.Hook == "":
		return nil, pv, fail(ErrBadRequest, "hook is required")
	case req.Hook != HookPatientView:
		return nil, pv, fail(ErrBadRequest, "hook %q is not the hook of service %q (%s)", req.Hook, id, HookPatientView)
	case req.HookInstance == "":
		return nil, pv, fail(ErrBadRequest, "hookInstance is required")
	case !uuidRE.MatchString(req.HookInstance):
		return nil, pv, fail(ErrBadRequest, "hookInstance %q is not a UUID", req.HookInstance)
	case isNull(req.Context):
		return nil, pv, fail(ErrBadRequest, "context is required")
	}
	if err := json.Unmarshal(req.Context, &pv); err != nil {
		return nil, pv, fail(ErrBadRequest, "context is not a patient-view context object: %v", err)
	}
	// patient-view 1.0, Context: userId and patientId REQUIRED.
	switch {
	case pv.UserID == "":
		return nil, pv, fail(ErrBadRequest, "context.userId is required")
	case !userRef.MatchString(pv.UserID):
		return nil, pv, fail(ErrBadRequest, "context.userId %q must be Practitioner/{id}, PractitionerRole/{id}, Patient/{id} or RelatedPerson/{id}", pv.UserID)
	case pv.PatientID == "":
		return nil, pv, fail(ErrBadRequest, "context.patientId is required")
	case strings.Contains(pv.PatientID, "/"):
		return nil, pv, fail(ErrBadRequest, "context.patientId %q must be the bare Patient.id (such as \"123\"), not a reference (such as \"Patient/123\")", pv.PatientID)
	case !fhirID.MatchString(pv.PatientID):
		return nil, pv, fail(ErrBadRequest, "context.patientId %q is not a FHIR id (1-64 of A-Z a-z 0-9 - .)", pv.PatientID)
	case pv.EncounterID != "" && !fhirID.MatchString(pv.EncounterID):
		return nil, pv, fail(ErrBadRequest, "context.encounterId %q is not a FHIR id", pv.EncounterID)
	}
	if req.FHIRServer != "" {
		u, err := url.Parse(req.FHIRServer)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, pv, fail(ErrBadRequest, "fhirServer %q is not an absolute http(s) URL", req.FHIRServer)
		}
	}
	if a := req.FHIRAuthorization; a != nil {
		// § HTTP Request: "If fhirAuthorization is provided, this field
		// [fhirServer] is REQUIRED"; § Passing the Access Token:
		// access_token REQUIRED, token_type fixed "Bearer".
		switch {
		case req.FHIRServer == "":
			return nil, pv, fail(ErrBadRequest, "fhirServer is required when fhirAuthorization is given")
		case a.AccessToken == "":
			return nil, pv, fail(ErrBadRequest, "fhirAuthorization.access_token is required")
		case !strings.EqualFold(a.TokenType, "Bearer"):
			return nil, pv, fail(ErrBadRequest, "fhirAuthorization.token_type %q must be Bearer", a.TokenType)
		}
	}
	return &req, pv, nil
}
