package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"renalwatch/fhir"
	"renalwatch/synth"
)

// call is one patient's service call body, split around its hookInstance
// so that every request carries a new one.
type call struct {
	patient      string
	head, tail   []byte // body = head + hookInstance + tail
	observations int
}

func (c call) size() int { return len(c.head) + 36 + len(c.tail) }

// calls builds the patient-view calls of n synthetic patients (synth, seed
// seed): a prefetch as an EHR honouring the service's templates would send
// it, as of now: the Patient, the Observations with a LOINC code the
// service asks for dated within ten years, and every Condition,
// MedicationRequest and Procedure, each search as a searchset Bundle;
// medicationStatements is an empty searchset (synth writes none).
func calls(n int, seed uint64, now time.Time) ([]call, error) {
	bufs := map[string]io.Writer{}
	out := map[string]*bytes.Buffer{}
	opt := synth.Options{Patients: n, Seed: seed, Format: synth.NDJSON, Workers: 2}
	for _, f := range opt.Files() {
		b := &bytes.Buffer{}
		bufs[f], out[f] = b, b
	}
	if _, err := synth.Write(context.Background(), opt, bufs); err != nil {
		return nil, err
	}
	codes := fhir.ObservationCodes()
	from := now.AddDate(-10, 0, 0).Format(time.DateOnly)
	type head struct {
		ResourceType      string `json:"resourceType"`
		ID                string `json:"id"`
		EffectiveDateTime string `json:"effectiveDateTime"`
		Subject           struct {
			Reference string `json:"reference"`
		} `json:"subject"`
		Code struct {
			Coding []struct{ System, Code string } `json:"coding"`
		} `json:"code"`
	}
	// byPatient[patient id][prefetch key] = resources
	byPatient := map[string]map[string][]json.RawMessage{}
	var order []string
	for _, f := range synth.FHIRFiles() {
		sc := bufio.NewScanner(bytes.NewReader(out[f].Bytes()))
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			line := bytes.Clone(sc.Bytes())
			var h head
			if err := json.Unmarshal(line, &h); err != nil {
				return nil, fmt.Errorf("%s: %v", f, err)
			}
			pid, key := strings.TrimPrefix(h.Subject.Reference, "Patient/"), ""
			switch h.ResourceType {
			case "Patient":
				pid, key = h.ID, "patient"
				order = append(order, pid)
			case "Observation":
				asked := false
				for _, c := range h.Code.Coding {
					asked = asked || c.System == fhir.LOINCSystem && slices.Contains(codes, c.Code)
				}
				if !asked || h.EffectiveDateTime < from {
					continue
				}
				key = "observations"
			case "Condition":
				key = "conditions"
			case "MedicationRequest":
				key = "medicationRequests"
			case "Procedure":
				key = "procedures"
			default:
				continue
			}
			if byPatient[pid] == nil {
				byPatient[pid] = map[string][]json.RawMessage{}
			}
			byPatient[pid][key] = append(byPatient[pid][key], line)
		}
	}
	var cs []call
	for _, pid := range order {
		res := byPatient[pid]
		pf := map[string]json.RawMessage{"patient": res["patient"][0]}
		for _, k := range []string{"observations", "conditions", "medicationRequests", "medicationStatements", "procedures"} {
			pf[k] = searchset(res[k])
		}
		body, err := json.Marshal(map[string]any{
			"hook":         "patient-view",
			"hookInstance": "HOOKINSTANCE",
			"fhirServer":   "https://ehr.example.org/fhir",
			"context":      map[string]string{"userId": "Practitioner/bench", "patientId": pid},
			"prefetch":     pf,
		})
		if err != nil {
			return nil, err
		}
		i := bytes.Index(body, []byte("HOOKINSTANCE"))
		cs = append(cs, call{patient: pid, head: body[:i], tail: body[i+len("HOOKINSTANCE"):], observations: len(res["observations"])})
	}
	return cs, nil
}

// searchset is a searchset Bundle of res, each entry with a fullUrl and
// search.mode match, as a FHIR server answers a search.
func searchset(res []json.RawMessage) json.RawMessage {
	type entry struct {
		FullURL  string            `json:"fullUrl"`
		Resource json.RawMessage   `json:"resource"`
		Search   map[string]string `json:"search"`
	}
	es := make([]entry, 0, len(res))
	for _, r := range res {
		var h struct{ ResourceType, ID string }
		json.Unmarshal(r, &h)
		es = append(es, entry{"https://ehr.example.org/fhir/" + h.ResourceType + "/" + h.ID, r, map[string]string{"mode": "match"}})
	}
	raw, _ := json.Marshal(map[string]any{"resourceType": "Bundle", "type": "searchset", "total": len(res), "entry": es})
	return raw
}
