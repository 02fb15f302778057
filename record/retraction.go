package record

import "time"

// Retraction kinds: what a Retraction withdraws.
const (
	RetractObservation = "observation"
	RetractCondition   = "condition"
)

// Retraction is a source's statement that an item it sent earlier was
// entered in error: a FHIR Observation re-sent with status
// entered-in-error, or a Condition re-sent with verificationStatus
// entered-in-error or refuted (FHIR R4 observation-status and
// condition-ver-status: "the statement was entered in error and is not
// valid"; refuted: "ruled out by subsequent diagnostic and clinical
// evidence"). It is kept as an item of its own: the retracted item stays
// stored as it was (nothing is lost), and a Timeline leaves it out of what
// the assessment uses, listing it in Timeline.Retracted instead.
type Retraction struct {
	ID        string // RetractionID(Kind, Target)
	PatientID string
	Kind      string // RetractObservation or RetractCondition
	// Target is the id the retracted item has (or would have) in the
	// store, such as "Observation/o3". An Observation's retraction also
	// withdraws the components stored under Target#code (a blood pressure
	// panel).
	Target string
	// Status is the source's word for it: "status entered-in-error",
	// "verificationStatus entered-in-error" or "verificationStatus refuted".
	Status string
	// Sent describes what the retraction itself carried, as the source
	// wrote it ("2160-0 1.2 mg/dL, 2026-10-03"), for the import summary.
	// It is not part of the content: the same retraction sent again is
	// unchanged.
	Sent string
	// Replacement is, for a correction (Kind RetractCorrection, see
	// NewCorrection), the observation the source sent to replace Target;
	// nil for a withdrawal.
	Replacement *Observation
	// Updated is a correction's meta.lastUpdated (zero when the source
	// gave none); Received is when the store first stored it (zero until
	// then). They order the corrections of one item (see newer) and are not
	// part of the content.
	Updated, Received time.Time
	Provenance        Provenance
}

// RetractionID is the id under which the retraction of item target of
// kind is stored: one per retracted item.
func RetractionID(kind, target string) string { return "retraction:" + kind + ":" + target }

// Retracts reports whether r withdraws the item of kind with id.
func (r Retraction) Retracts(kind, id string) bool {
	if r.Kind != kind {
		return false
	}
	if id == r.Target {
		return true
	}
	return kind == RetractObservation && len(id) > len(r.Target) && id[len(r.Target)] == '#' && id[:len(r.Target)] == r.Target
}

// ContentHash returns a hash of the retraction's content: its patient,
// kind, target, status and a correction's replacement (not Sent, Updated,
// Received, nor where it was read).
func (r Retraction) ContentHash() [32]byte {
	var h hasher
	h.str("retraction")
	h.str(r.ID)
	h.str(r.PatientID)
	h.str(r.Kind)
	h.str(r.Target)
	h.str(r.Status)
	if r.Replacement != nil {
		rh := r.Replacement.ContentHash()
		h.b = append(h.b, rh[:]...)
	}
	return h.sum()
}

// RetractedItem is a stored item a Retraction withdraws, as a Timeline
// lists it: exactly one of Observation and Condition is set.
type RetractedItem struct {
	Retraction  Retraction
	Observation *Observation
	Condition   *Condition
	// Earlier is set when Observation is itself a correction that the
	// newer correction Retraction replaced (see NewCorrection).
	Earlier *Retraction
}

// Time is the time of the retracted item: the observation's time or the
// condition's onset (zero when unknown).
func (x RetractedItem) Time() time.Time {
	if x.Observation != nil {
		return x.Observation.Time
	}
	if x.Condition != nil {
		return x.Condition.Onset
	}
	return time.Time{}
}
