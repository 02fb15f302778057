package cdshooks

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"renalwatch/fhir"
	"renalwatch/record"
)

// errVersions is why two versions of one result were left out
// (oneVersion).
var errVersions = errors.New("sent twice with different values")

// oneVersion leaves out of b every observation whose id the call sent
// twice or more with different content (a value, unit, date, test or
// patient) and neither an amended/corrected version nor an
// entered-in-error withdrawal of the id, and returns one rejection per
// such id naming the versions sent (trial 10 F6: creatinine 300 and 30
// µmol/L under one id, both final, made an "eGFR fall ... -87%" card out
// of two versions of one result, or hid the referral card, depending on
// their order). FHIR R4 gives a resource one current version per id
// (§ Resource.id, "Once assigned, this value never changes"; a changed
// result is re-sent with status amended or corrected, observation-status).
// `renalwatch import` keeps the version it read first and rejects the
// other as a conflict (store/importcore sameID); one call has no stored
// version to prefer, so neither is used: a number is never built from
// two versions of one result. An id a correction or withdrawal names is
// the timeline's to settle (record.Timeline: the correction in force
// replaces every version, a withdrawal withdraws them all), as import
// settles it. Copies with the same content are one result: one is kept.
func oneVersion(b *record.Batch) []fhir.Rejection {
	obs := b.Observations
	first := make(map[string]int, len(obs))
	var clash map[string]bool
	for i := range obs {
		j, seen := first[obs[i].ID]
		switch {
		case !seen:
			first[obs[i].ID] = i
		case obs[j].ContentHash() != obs[i].ContentHash():
			if clash == nil {
				clash = map[string]bool{}
			}
			clash[obs[i].ID] = true
		}
	}
	if len(first) == len(obs) {
		return nil // every id once: nothing to do
	}
	for _, r := range b.Retractions {
		if r.Kind == record.RetractObservation || r.IsCorrection() {
			for id := range clash {
				if r.Retracts(record.RetractObservation, id) || r.Target == id {
					delete(clash, id)
				}
			}
		}
	}
	versions := map[string][]*record.Observation{}
	keep := obs[:0]
	for i := range obs {
		o := &obs[i]
		switch {
		case clash[o.ID]:
			o := *o
			versions[o.ID] = append(versions[o.ID], &o)
		case first[o.ID] == i:
			keep = append(keep, *o)
		}
	}
	clear(obs[len(keep):])
	b.Observations = keep
	var out []fhir.Rejection
	for _, id := range slices.Sorted(maps.Keys(versions)) {
		out = append(out, versionsLeftOut(id, versions[id]))
	}
	return out
}

// versionsLeftOut is the rejection of the versions vs of the result
// sent under id: "sent twice with different values: 300 umol/L and 30
// umol/L; neither used", with the dates when they differ.
func versionsLeftOut(id string, vs []*record.Observation) fhir.Rejection {
	var texts []string
	var seen []time.Time
	for _, o := range vs {
		if !slices.ContainsFunc(seen, o.Time.Equal) {
			seen = append(seen, o.Time)
		}
	}
	for _, o := range vs {
		p := o.Provenance()
		s := strings.TrimSpace(p.Value + " " + p.Unit)
		if p.Value == "" {
			s = string(o.Comparator) + o.Value.Text()
		}
		if len(seen) > 1 {
			s += " on " + day(o.Time)
		}
		if !slices.Contains(texts, s) {
			texts = append(texts, s)
		}
	}
	n := "twice"
	if len(vs) > 2 {
		n = strconv.Itoa(len(vs)) + " times"
	}
	what := "values"
	if len(texts) < 2 {
		what = "content (test or patient)"
	}
	rid := vs[0].Provenance().ResourceID // the record id is "Observation/" + the resource's
	if rid == "" {
		rid = id
	}
	rj := fhir.Rejection{ResourceType: "Observation", ID: rid, Analyte: vs[0].Analyte, Time: vs[0].Time}
	if len(seen) > 1 {
		rj.Time = time.Time{} // the line names each version's date
	}
	rj.Err = versionsError{errVersions, "sent " + n + " with different " + what + ": " + strings.Join(texts, " and ") + "; neither used"}
	if len(vs) > 2 {
		rj.Err = versionsError{errVersions, "sent " + n + " with different " + what + ": " + strings.Join(texts, ", ") + "; none used"}
	}
	return rj
}

// versionsError is an error with its own sentence that unwraps to
// errVersions.
type versionsError struct {
	base error
	text string
}

func (e versionsError) Error() string { return e.text }
func (e versionsError) Unwrap() error { return e.base }
