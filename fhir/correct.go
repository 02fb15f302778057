package fhir

import (
	"time"

	"renalwatch/record"
)

// correct turns the observations read from r, an Observation sent with
// status amended or corrected, into corrections (record.NewCorrection) of
// the observations stored under their ids: f.res.Batch.Observations[from:]
// move to f.res.Batch.Retractions. FHIR R4 code system observation-status
// (hl7.org/fhir/R4/codesystem-observation-status.html): amended
// "Subsequent to being Final, the observation has been modified ... This
// includes updates/new information and corrections"; corrected, a child of
// amended, "modified to correct an error in the test result". A source
// corrects a result by sending it again under the same id with one of
// these statuses and the new value; without this, the store refused the
// new value as a conflict and kept the old one (a correction a clinician
// found missing). The store replaces the value stored under the id and
// keeps it (store.ImportResult.Corrected); with nothing stored under the
// id, the correction is imported as the observation it is. The order of
// several corrections of one item is that of meta.lastUpdated when every
// one carries it (an instant that does not parse counts as not given),
// else the order they were received in.
func (f *file) correct(r *resource, from int) {
	obs := f.res.Batch.Observations
	if from >= len(obs) {
		return
	}
	updated := lastUpdated(r)
	for _, o := range obs[from:] {
		f.res.Batch.Retractions = append(f.res.Batch.Retractions, record.NewCorrection(o, r.Status, updated))
	}
	clear(obs[from:])
	f.res.Batch.Observations = obs[:from]
}

// lastUpdated is the resource's meta.lastUpdated, UTC; the zero time when
// it is not given or does not parse as an instant.
func lastUpdated(r *resource) time.Time {
	if r.Meta != nil && r.Meta.LastUpdated != "" {
		if t, err := time.Parse(time.RFC3339Nano, r.Meta.LastUpdated); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
