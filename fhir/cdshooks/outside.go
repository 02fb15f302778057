package cdshooks

import (
	"bytes"
	"encoding/json"
	"errors"

	"renalwatch/fhir"
)

// errOutsideSearch is why an entry of a search key's Bundle whose type
// the key's search cannot answer was left out (outsideSearch).
var errOutsideSearch = errors.New("sent under a prefetch key whose search cannot return it")

// outsideError is an error with its own sentence that unwraps to
// errOutsideSearch.
type outsideError struct{ text string }

func (e outsideError) Error() string { return e.text }
func (e outsideError) Unwrap() error { return errOutsideSearch }

// searchTypes is the resource type each search key's template asks for
// ("conditions": "Condition").
var searchTypes = func() map[string]string {
	m := map[string]string{}
	for _, k := range prefetchKeys {
		if k.search {
			m[k.key] = searchType(k.key)
		}
	}
	return m
}()

// referencesMedication are the keys whose resources may name their drug
// by a reference to a Medication (medicationReference). A Medication
// entry under them is kept, as _include=…:medication would return it: it
// holds no patient data and is read only through such a reference, and
// leaving it out would leave the drug of the request unrecognised.
var referencesMedication = map[string]bool{"medicationRequests": true, "medicationStatements": true}

// outsideSearch returns the entries of es, a search key's Bundle (or a
// page of it fetched from fhirServer), that its search can return, and a
// rejection for each other entry. CDS Hooks 2.0.1 § Prefetch Template:
// the prefetched data "MUST be equivalent to the data the CDS Service
// would receive if it were making its own call"; a FHIR R4 search
// returns resources of its type, OperationOutcomes (search mode
// "outcome"), and others only for _include or _revinclude, which none of
// our templates uses (templates), the Medications of
// referencesMedication aside. An Observation under "conditions" is
// an EHR's error: it is left out and named in the cards' left-out list
// rather than read (trial 11 F5), and the call goes on, so one
// misplaced entry does not cost the clinician every card. An entry whose
// type cannot be read is kept: the fhir reader rejects it with its
// reason. es itself is returned, not copied, when every entry is kept.
func outsideSearch(key string, es []entry) ([]entry, []fhir.Rejection) {
	want := searchTypes[key]
	if want == "" {
		return es, nil
	}
	fast := []byte(`{"resourceType":"` + want + `"`)
	var kept []entry
	var out []fhir.Rejection
	for i, e := range es {
		in := bytes.HasPrefix(e.Resource, fast) // no decoding for the usual entry
		var t []byte
		ok := false
		if !in {
			t, ok = entryType(e.Resource)
		}
		if in || !ok || string(t) == want || string(t) == "OperationOutcome" || string(t) == "Medication" && referencesMedication[key] {
			if kept != nil {
				kept = append(kept, e)
			}
			continue
		}
		if kept == nil {
			kept = append(make([]entry, 0, len(es)-1), es[:i]...)
		}
		var id struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(e.Resource, &id)
		out = append(out, fhir.Rejection{ResourceType: string(t), ID: id.ID, Err: outsideError{
			"sent under prefetch key " + key + ", whose search is " + want + ": not used"}})
	}
	if kept == nil {
		return es, nil
	}
	return kept, out
}

// entryType is the resourceType of the resource r, read where servers
// write it (first, without white space) without copying, else decoded;
// ok is false when r has none that can be read.
func entryType(r []byte) ([]byte, bool) {
	const lead = `{"resourceType":"`
	if t, ok := bytes.CutPrefix(r, []byte(lead)); ok {
		if end := bytes.IndexByte(t, '"'); end > 0 && bytes.IndexByte(t[:end], '\\') < 0 {
			return t[:end], true
		}
	}
	var s struct {
		ResourceType string `json:"resourceType"`
	}
	if json.Unmarshal(r, &s) != nil || s.ResourceType == "" {
		return nil, false
	}
	return []byte(s.ResourceType), true
}
