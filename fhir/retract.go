package fhir

import (
	"strings"

	"renalwatch/record"
)

// retract reads an Observation re-sent with status entered-in-error, or a
// Condition re-sent with verificationStatus entered-in-error, as a
// record.Retraction of the item stored under the same id (FHIR R4
// observation-status and condition-ver-status: entered-in-error means the
// resource "should not have existed" / "is not valid"). fhir.md skips such
// resources as new data, and so does the reader: nothing is imported from
// them. But the same id may be stored from an earlier file, where it would
// otherwise keep driving the assessment (trial 3 #2); the retraction lets
// the store keep that item and every timeline leave it out. A resource
// whose patient cannot be resolved is only skipped, as before.
func (f *file) retract(r *resource, id, kind, status string, cd coding) {
	pid, err := f.subject(r)
	if err != nil {
		f.skipped.add(r.ResourceType, cd, status)
		return
	}
	var sent []string
	if cd.Code != "" {
		sent = append(sent, cd.Code)
	}
	if cd.Display != "" {
		sent = append(sent, cd.Display)
	}
	if r.ValueQuantity != nil && r.ValueQuantity.Value != nil {
		sent = append(sent, strings.TrimSpace(quantityValue(r.ValueQuantity)+" "+quantityUnit(r.ValueQuantity)))
	}
	for _, d := range []string{r.EffectiveDateTime, r.EffectiveInstant, r.OnsetDateTime} {
		if d != "" {
			sent = append(sent, d)
			break
		}
	}
	f.res.Batch.Retractions = append(f.res.Batch.Retractions, record.Retraction{
		ID: record.RetractionID(kind, id), PatientID: pid, Kind: kind, Target: id, Status: status,
		Sent: strings.Join(sent, ", "), Provenance: f.prov(r, cd)})
}
