package cdshooks

import "encoding/json"

// The wire types of CDS Hooks 2.0.1. Every optional field carries
// omitempty: the specification (§ Use of JSON) says "If a JSON attribute is
// defined as OPTIONAL, and does not have a value, implementers SHALL omit
// it", so null, "", [] and {} never appear except "cards": [] (§ HTTP
// Response: an empty array of cards means no guidance).

// Discovery is the response of GET {base}/cds-services (§ Discovery,
// Response): "an object containing a list of CDS Services".
type Discovery struct {
	Services []Service `json:"services"`
}

// Service describes one CDS Service (§ Discovery, Response). Hook,
// Description and ID are REQUIRED; Title is RECOMMENDED.
type Service struct {
	Hook              string            `json:"hook"`
	Title             string            `json:"title,omitempty"`
	Description       string            `json:"description"`
	ID                string            `json:"id"`
	Prefetch          map[string]string `json:"prefetch,omitempty"`
	UsageRequirements string            `json:"usageRequirements,omitempty"`
}

// Request is the body of POST {base}/cds-services/{id} (§ Calling a CDS
// Service, HTTP Request). Prefetch keeps each value raw, because a key
// that is absent, a key that is null and a key that holds a resource mean
// three different things (§ Prefetch Template).
type Request struct {
	Hook              string                     `json:"hook"`
	HookInstance      string                     `json:"hookInstance"`
	FHIRServer        string                     `json:"fhirServer,omitempty"`
	FHIRAuthorization *FHIRAuthorization         `json:"fhirAuthorization,omitempty"`
	Context           json.RawMessage            `json:"context"`
	Prefetch          map[string]json.RawMessage `json:"prefetch,omitempty"`
}

// FHIRAuthorization is the access token the CDS Client lends the service
// for its own FHIR calls (§ Passing the Access Token to the CDS Service).
type FHIRAuthorization struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
	Subject     string `json:"subject"`
	Patient     string `json:"patient,omitempty"`
}

// PatientViewContext is the context of the patient-view hook 1.0: userId
// and patientId REQUIRED, encounterId OPTIONAL.
type PatientViewContext struct {
	UserID      string `json:"userId"`
	PatientID   string `json:"patientId"`
	EncounterID string `json:"encounterId,omitempty"`
}

// Response is a successful service response (§ HTTP Response): cards is
// REQUIRED and present even when empty, so it has no omitempty.
type Response struct {
	Cards []Card `json:"cards"`
}

// Card is one piece of guidance (§ Card Attributes). RenalWatch informs and
// never prescribes, so its cards carry no suggestions and therefore no
// selectionBehavior.
type Card struct {
	UUID      string `json:"uuid,omitempty"`
	Summary   string `json:"summary"`
	Detail    string `json:"detail,omitempty"`
	Indicator string `json:"indicator"`
	Source    Source `json:"source"`
	Links     []Link `json:"links,omitempty"`
}

// Source is the primary source of a card's guidance (§ Source): label
// REQUIRED, url OPTIONAL.
type Source struct {
	Label string  `json:"label"`
	URL   string  `json:"url,omitempty"`
	Topic *Coding `json:"topic,omitempty"`
}

// Link is a link a card offers (§ Link): label, url and type REQUIRED.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
	Type  string `json:"type"`
}

// Coding is the CDS Hooks Coding data type (§ Coding).
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// FeedbackRequest is the body of POST {base}/cds-services/{id}/feedback
// (§ Feedback): "an object containing an array".
type FeedbackRequest struct {
	Feedback []Feedback `json:"feedback"`
}

// Feedback is one end-user outcome on a card (§ Feedback).
type Feedback struct {
	Card                string               `json:"card"`
	Outcome             string               `json:"outcome"`
	AcceptedSuggestions []AcceptedSuggestion `json:"acceptedSuggestions,omitempty"`
	OverrideReason      *OverrideReason      `json:"overrideReason,omitempty"`
	OutcomeTimestamp    string               `json:"outcomeTimestamp"`
}

// AcceptedSuggestion names an accepted suggestion (§ Suggestion accepted).
type AcceptedSuggestion struct {
	ID string `json:"id"`
}

// OverrideReason is why a card was overridden (§ OverrideReason).
type OverrideReason struct {
	Reason      *Coding `json:"reason,omitempty"`
	UserComment string  `json:"userComment,omitempty"`
}

// Feedback outcomes (§ Feedback).
const (
	OutcomeAccepted   = "accepted"
	OutcomeOverridden = "overridden"
)
