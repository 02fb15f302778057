package cdshooks

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"renalwatch/fhir"
)

// tokenPatient is the prefetch token of the patient-view context's patient
// (§ Prefetch tokens: "{{context.name-of-the-field}}").
const tokenPatient = "{{context.patientId}}"

// prefetchKey is one prefetch template. The keys are stable: EHRs store
// them with the service registration.
type prefetchKey struct {
	key    string
	search bool // a search (Bundle), else a read (one resource)
}

// prefetchKeys are the templates in the order they are read.
var prefetchKeys = []prefetchKey{
	{"patient", false},
	{"observations", true},
	{"conditions", true},
	{"medicationRequests", true},
	{"medicationStatements", true},
	{"procedures", true},
}

// templates returns the prefetch templates. They keep to § Prefetch query
// restrictions: an instance read of the Patient, type-level searches by
// patient reference, token equality on code, and a date search with the
// ge prefix. CDS Hooks 2.0.1 has no token for today's date (§ Prefetch
// tokens allows only context fields and the user ids), so the window
// start is written as a date computed when discovery is served; a client
// that caches discovery gets a window that only grows, never misses data.
//
// Only Observations are filtered, by the LOINC codes the fhir package
// reads (fhir.ObservationCodes) and the date window. Conditions,
// MedicationRequests/Statements and Procedures are not: ICD-10-CM code
// families (M32.1x, N18.x) and drugs recognised by RxNorm ingredient,
// ATC or text cannot be written as token equality, the kidney biopsy is
// read from its text, and the onset of SLE or a transplant ten years
// back still matters.
func templates(now time.Time, window time.Duration) map[string]string {
	codes := fhir.ObservationCodes()
	for i, c := range codes {
		codes[i] = fhir.LOINCSystem + "|" + c
	}
	from := now.UTC().Add(-window).Format(time.DateOnly)
	return map[string]string{
		"patient":              "Patient/" + tokenPatient,
		"observations":         "Observation?patient=" + tokenPatient + "&code=" + strings.Join(codes, ",") + "&date=ge" + from,
		"conditions":           "Condition?patient=" + tokenPatient,
		"medicationRequests":   "MedicationRequest?patient=" + tokenPatient,
		"medicationStatements": "MedicationStatement?patient=" + tokenPatient,
		"procedures":           "Procedure?patient=" + tokenPatient,
	}
}

// shallow is the part of a prefetched resource read before the fhir
// package reads it: its type and id, and for a Bundle its links and
// entries.
type shallow struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Type         string `json:"type"` // a Bundle's
	Link         []struct {
		Relation string `json:"relation"`
		URL      string `json:"url"`
	} `json:"link"`
	Entry []entry `json:"entry"`
}

type entry struct {
	FullURL  string          `json:"fullUrl,omitempty"`
	Resource json.RawMessage `json:"resource"`
}

func (s *shallow) next() string {
	for _, l := range s.Link {
		if l.Relation == "next" {
			return l.URL
		}
	}
	return ""
}

// gatherer collects the resources of one call.
type gatherer struct {
	client *http.Client
	req    *Request
	pv     PatientViewContext
	// now and window give the templates (templates), built only when a
	// key is fetched: a call whose prefetch is complete never needs them.
	now    time.Time
	window time.Duration
	// shallow is the prefetch values' shallow reading made with the
	// request's (decodeRequest); a key without one is decoded here.
	shallow map[string]*shallow
	entries []entry
	// Fetched names the keys fetched from the fhirServer, for the log.
	fetched []string
	// patientNull: prefetch.patient was null (cards say what that left
	// unassessed).
	patientNull bool
	// refused is why fhirServer may not be called (not allowlisted for
	// the client, fhirRefused); empty when it may.
	refused string
	// outside are the entries of a search key's Bundle its search cannot
	// return, left out (outsideSearch).
	outside []fhir.Rejection
	// skimmed: the call's resources are not checked yet (skim.go); it
	// fetches nothing, and ends with errChecked instead.
	skimmed bool
}

// maxPages bounds the searchset pages followed for one key.
const maxPages = 200

// maxFHIRBody bounds one FHIR server response.
const maxFHIRBody = 64 << 20

// gather resolves every prefetch key by its state (§ Prefetch Template,
// § Example prefetch data, § FHIR Resource Access):
//   - absent: the client did not or could not fill it: fetch it from
//     fhirServer, or fail with ErrPrecondition (412) without one;
//   - null: the client has no such data: nothing to read;
//   - an OperationOutcome: the client's query failed: fetch, or 412;
//   - a searchset Bundle with a "next" link: only its first page was
//     given, and reading it as complete would hide later results: fetch
//     the following pages from fhirServer, or 412;
//   - a searchset Bundle holding an OperationOutcome entry that says its
//     results are incomplete (incomplete; § Prefetch Template: "CDS
//     Services SHOULD check any prefetched data for the existence of
//     OperationOutcomes"): fetch the search again from fhirServer, or 412;
//   - else the resource or Bundle is read as given.
func (g *gatherer) gather(ctx context.Context) error {
	n := len(prefetchKeys)
	for _, s := range g.shallow {
		n += len(s.Entry)
	}
	g.entries = make([]entry, 0, n)
	for _, k := range prefetchKeys {
		raw, present := g.req.Prefetch[k.key]
		if present && isNull(raw) {
			g.patientNull = g.patientNull || k.key == "patient"
			continue
		}
		if !present {
			if err := g.fetch(ctx, k, "prefetch."+k.key+" is absent"); err != nil {
				return err
			}
			continue
		}
		s := g.shallow[k.key]
		if s == nil {
			s = &shallow{}
			if err := json.Unmarshal(raw, s); err != nil {
				return fail(ErrBadRequest, "prefetch.%s is not a FHIR resource: %s", k.key, jsonReason(err))
			}
		}
		switch {
		case s.ResourceType == "OperationOutcome":
			if err := g.fetch(ctx, k, "prefetch."+k.key+" is an OperationOutcome (the client's query failed)"); err != nil {
				return err
			}
		case s.ResourceType == "Bundle" && (!k.search || s.Type == "searchset"):
			if why := incomplete(s.Entry); why != "" {
				if err := g.fetch(ctx, k, "prefetch."+k.key+" holds "+why+" (its results are not complete)"); err != nil {
					return err
				}
				break
			}
			g.keep(k.key, s.Entry)
			if nx := s.next(); nx != "" {
				if g.req.FHIRServer == "" {
					return fail(ErrPrecondition, "prefetch.%s is one page of a search (it has a next link) and no fhirServer was given to fetch the rest", k.key)
				}
				if g.refused != "" {
					return fail(ErrPrecondition, "prefetch.%s is one page of a search (it has a next link) and %s", k.key, g.refused)
				}
				if err := g.pages(ctx, k.key, nx); err != nil {
					return err
				}
			}
		case k.key == "patient" && s.ResourceType != "Patient":
			return fail(ErrBadRequest, "prefetch.patient is a %s, not a Patient", s.ResourceType)
		case k.key == "patient" && s.ID != g.pv.PatientID:
			return fail(ErrBadRequest, "prefetch.patient is not the Patient of context.patientId")
		case s.ResourceType == "":
			return fail(ErrBadRequest, "prefetch.%s has no resourceType", k.key)
		case k.search:
			// § Prefetch Template: the data MUST be what the service's own
			// call would get, and a search answers a searchset Bundle; a
			// lone resource read as the whole set would hide the rest
			// (trial 10: a bare Observation gave "No ACR or UPCR").
			return fail(ErrBadRequest, "prefetch.%s is %s, not a searchset Bundle: its template is a search (%s?…)", k.key, foundKind(s), searchType(k.key))
		default:
			g.entries = append(g.entries, entry{Resource: raw})
		}
	}
	return nil
}

// fetch runs the template of k against fhirServer (§ FHIR Resource
// Access), following searchset pages.
func (g *gatherer) fetch(ctx context.Context, k prefetchKey, why string) error {
	if g.skimmed {
		return errChecked
	}
	if g.req.FHIRServer == "" {
		return fail(ErrPrecondition, "%s and no fhirServer was given to fetch it from", why)
	}
	if g.refused != "" {
		return fail(ErrPrecondition, "%s and %s", why, g.refused)
	}
	g.fetched = append(g.fetched, k.key)
	rel := strings.ReplaceAll(templates(g.now, g.window)[k.key], tokenPatient, url.PathEscape(g.pv.PatientID))
	u := strings.TrimSuffix(g.req.FHIRServer, "/") + "/" + rel
	if !k.search {
		raw, err := g.get(ctx, k.key, u)
		if err != nil {
			return err
		}
		var s shallow
		if err := json.Unmarshal(raw, &s); err != nil || s.ResourceType != "Patient" || s.ID != g.pv.PatientID {
			return fail(ErrPrecondition, "fhirServer did not answer %s with Patient/%s", rel, g.pv.PatientID)
		}
		g.entries = append(g.entries, entry{Resource: raw})
		return nil
	}
	return g.pages(ctx, k.key, u)
}

// pages reads the searchset Bundle at u and every page after it.
func (g *gatherer) pages(ctx context.Context, key, u string) error {
	if g.skimmed {
		return errChecked
	}
	for n := 0; u != ""; n++ {
		if n == maxPages {
			return fail(ErrPrecondition, "fhirServer search for %s has more than %d pages", key, maxPages)
		}
		if !g.sameServer(u) {
			// A next link elsewhere would send the access token to
			// another host: refused.
			return fail(ErrPrecondition, "search for %s links to %q, outside fhirServer", key, u)
		}
		raw, err := g.get(ctx, key, u)
		if err != nil {
			return err
		}
		var s shallow
		if err := json.Unmarshal(raw, &s); err != nil || s.ResourceType != "Bundle" {
			return fail(ErrPrecondition, "fhirServer search for %s did not answer with a Bundle", key)
		}
		if why := incomplete(s.Entry); why != "" {
			return fail(ErrPrecondition, "fhirServer search for %s answered with %s (its results are not complete)", key, why)
		}
		g.keep(key, s.Entry)
		u = s.next()
	}
	return nil
}

// keep adds es, the entries of key's Bundle, to the call's, but for
// those key's search cannot return (outsideSearch). A read key's Bundle
// is kept whole.
func (g *gatherer) keep(key string, es []entry) {
	kept, out := outsideSearch(key, es)
	g.entries = append(g.entries, kept...)
	g.outside = append(g.outside, out...)
}

// sameServer reports whether u is under fhirServer (same scheme, host and
// base path, compared in canonical form: underBase).
func (g *gatherer) sameServer(u string) bool {
	return underBase(g.req.FHIRServer, u)
}

// get fetches u with the client's access token. Any failure is a 412:
// the service could not retrieve the data it needs (§ CDS Service
// Response, HTTP Status Codes).
func (g *gatherer) get(ctx context.Context, key, u string) (body []byte, err error) {
	// While the call waits on the network its place in the gate is
	// another call's (gate.go).
	p := passOf(ctx)
	p.leave()
	defer func() {
		if e := p.enter(ctx); e != nil && err == nil {
			body, err = nil, errGone()
		}
	}()
	return g.roundTrip(ctx, key, u)
}

// roundTrip GETs u from the fhirServer, with the call's access token.
func (g *gatherer) roundTrip(ctx context.Context, key, u string) ([]byte, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fail(ErrPrecondition, "cannot build the FHIR request for %s: %v", key, err)
	}
	hr.Header.Set("Accept", "application/fhir+json")
	if a := g.req.FHIRAuthorization; a != nil {
		hr.Header.Set("Authorization", "Bearer "+a.AccessToken)
	}
	resp, err := g.client.Do(hr)
	if err != nil {
		// The network error is not echoed (it names hosts and addresses
		// behind the service): only whether it timed out.
		what := "could not be reached"
		if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
			what = "did not answer in time"
		}
		return nil, fail(ErrPrecondition, "fhirServer %s for %s", what, key)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFHIRBody+1))
	switch {
	case err != nil:
		return nil, fail(ErrPrecondition, "reading the fhirServer answer for %s failed", key)
	case len(body) > maxFHIRBody:
		return nil, fail(ErrPrecondition, "fhirServer answer for %s is larger than %d bytes", key, maxFHIRBody)
	case resp.StatusCode != http.StatusOK:
		return nil, fail(ErrPrecondition, "fhirServer answered HTTP %d for %s", resp.StatusCode, key)
	}
	return body, nil
}

// resources are the gathered entries for fhir.Reader.ReadEntries, which
// reads them as one collection Bundle (references resolve across keys: a
// MedicationStatement and its Medication, a Bundle fullUrl and its
// Patient) straight from the request's bytes: nothing is copied or
// wrapped.
func (g *gatherer) resources() []fhir.RawEntry {
	out := make([]fhir.RawEntry, 0, len(g.entries))
	for _, e := range g.entries {
		if !isNull(e.Resource) {
			out = append(out, fhir.RawEntry{FullURL: e.FullURL, Resource: e.Resource})
		}
	}
	return out
}

// foundKind words what a prefetch value holds, for an error.
func foundKind(s *shallow) string {
	switch {
	case s.ResourceType == "":
		return "an object with no resourceType"
	case s.ResourceType == "Bundle" && s.Type == "":
		return "a Bundle with no type"
	case s.ResourceType == "Bundle":
		return "a Bundle of type " + strconv.Quote(s.Type)
	}
	return "a resource of type " + strconv.Quote(s.ResourceType)
}

// searchType is the resource type the template of a search key asks for.
func searchType(key string) string {
	t, _, _ := strings.Cut(templates(time.Time{}, 0)[key], "?")
	return t
}

// incomplete returns why a searchset's entries say its results are not
// complete, or "" when none does: an OperationOutcome entry (FHIR R4
// Bundle.entry.search.mode "outcome": "information about the processing
// of a search") with an issue of severity fatal or error, or a warning
// whose code (FHIR R4 IssueType) says results were left out. Reading
// such a set as complete would hide the results left out (trial 10: a
// "too many results, truncated" warning was read as the whole record).
// Only entries that may be an OperationOutcome (mayBeOutcome) are
// decoded.
func incomplete(es []entry) string {
	for _, e := range es {
		if !mayBeOutcome(e.Resource) {
			continue
		}
		var oo struct {
			ResourceType string `json:"resourceType"`
			Issue        []struct {
				Severity string `json:"severity"`
				Code     string `json:"code"`
			} `json:"issue"`
		}
		if json.Unmarshal(e.Resource, &oo) != nil || oo.ResourceType != "OperationOutcome" {
			continue
		}
		for _, is := range oo.Issue {
			if is.Severity == "fatal" || is.Severity == "error" || is.Severity == "warning" && leftOutCodes[is.Code] {
				return "an OperationOutcome entry with a " + strconv.Quote(is.Severity) + " issue " + strconv.Quote(is.Code)
			}
		}
	}
	return ""
}

// leftOutCodes are the FHIR R4 IssueType codes
// (http://hl7.org/fhir/R4/valueset-issue-type.html) that, in a warning,
// say a search's results are not all there: incomplete ("the result is
// not complete"), too-costly, too-long, throttled, timeout, transient and
// suppressed (withheld for privacy).
var leftOutCodes = map[string]bool{
	"incomplete": true, "too-costly": true, "too-long": true, "throttled": true,
	"timeout": true, "transient": true, "suppressed": true,
}

// mayBeOutcome reports whether the resource r may be an OperationOutcome.
// Its type is read where servers write it, first and without white
// space, at no cost per entry (searching every resource for the name
// cost a quarter of a call's instructions); a resource written otherwise
// is searched whole for the name.
func mayBeOutcome(r []byte) bool {
	const lead = `{"resourceType":"`
	if t, ok := bytes.CutPrefix(r, []byte(lead)); ok {
		return bytes.HasPrefix(t, []byte(`OperationOutcome"`))
	}
	return bytes.Contains(r, []byte(`"OperationOutcome"`))
}
