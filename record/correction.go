package record

import (
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"time"
)

// RetractCorrection is the kind of a correction: a Retraction whose
// Replacement is the observation the source sent to replace the one stored
// under Target.
const RetractCorrection = "correction"

// NewCorrection returns the correction that o, read from a FHIR
// Observation re-sent with status amended or corrected (FHIR R4 code
// system observation-status, hl7.org/fhir/R4/codesystem-observation-status.html:
// amended "Subsequent to being Final, the observation has been modified
// ... This includes updates/new information and corrections"; corrected,
// a child of amended, "modified to correct an error in the test result"),
// makes of the observation stored under o.ID.
// status is the source's word ("amended" or "corrected"); updated is its
// meta.lastUpdated (zero when not given). Each distinct replacement is an
// item of its own (its ID names the replacement's content): the same
// correction sent again is unchanged, and every version received stays
// stored.
func NewCorrection(o Observation, status string, updated time.Time) Retraction {
	h := o.ContentHash()
	o.Notes = slices.Clone(o.Notes)
	p := o.Provenance()
	return Retraction{ID: CorrectionPrefix(o.ID) + hex.EncodeToString(h[:8]), PatientID: o.PatientID,
		Kind: RetractCorrection, Target: o.ID, Status: "status " + status, Sent: strings.TrimSpace(p.Value + " " + p.Unit),
		Replacement: &o, Updated: updated, Provenance: p}
}

// CorrectionPrefix is how the ids of the corrections of the observation
// stored under target begin: "correction:" + target + "@", then the first
// 8 bytes of the replacement's content hash in hex.
func CorrectionPrefix(target string) string { return "correction:" + target + "@" }

// CorrectedNote is the note a corrected value carries where it is used:
// "corrected by the source (status corrected); the value sent before is
// not used".
func CorrectedNote(status string) string {
	return "corrected by the source (" + status + "); the value sent before is not used"
}

// IsCorrection reports whether r is a correction (it carries the
// observation that replaces its target) rather than a withdrawal.
func (r Retraction) IsCorrection() bool { return r.Replacement != nil }

// newer reports whether correction a supersedes b, both of one target:
// the later meta.lastUpdated when both carry one, else the one received
// (stored) later; a tie keeps b, the one listed first.
func newer(a, b *Retraction) bool {
	if !a.Updated.IsZero() && !b.Updated.IsZero() && !a.Updated.Equal(b.Updated) {
		return a.Updated.After(b.Updated)
	}
	return a.Received.After(b.Received)
}

// latestCorrections returns the correction in force for each target of
// cs (the newest, see newer) and the others, which a newer one
// superseded, each with the one in force.
func latestCorrections(cs []Retraction) (latest map[string]*Retraction, superseded map[*Retraction]*Retraction) {
	latest = map[string]*Retraction{}
	for i := range cs {
		c := &cs[i]
		if cur, ok := latest[c.Target]; !ok || newer(c, cur) {
			latest[c.Target] = c
		}
	}
	superseded = map[*Retraction]*Retraction{}
	for i := range cs {
		if c := &cs[i]; latest[c.Target] != c {
			superseded[c] = latest[c.Target]
		}
	}
	return latest, superseded
}

// correct applies the corrections cs to the timeline's observations: the
// observation stored under each target, and every correction a newer one
// superseded, move to Retracted (replaced by the correction in force), and
// the newest correction's observation takes their place. A correction
// whose target is not among the observations is the only version there
// is: it is used as it is.
func (t *Timeline) correct(cs []Retraction) {
	latest, superseded := latestCorrections(cs)
	keep := t.obs[:0]
	replaced := map[string]bool{}
	for _, o := range t.obs {
		if c, ok := latest[o.ID]; ok {
			t.Retracted = append(t.Retracted, RetractedItem{Retraction: *c, Observation: &o})
			replaced[o.ID] = true
			continue
		}
		keep = append(keep, o)
	}
	clear(t.obs[len(keep):])
	t.obs = keep
	for i := range cs {
		c := &cs[i]
		if by, ok := superseded[c]; ok {
			t.Retracted = append(t.Retracted, RetractedItem{Retraction: *by, Observation: c.Replacement, Earlier: c})
		}
	}
	for _, target := range slices.Sorted(maps.Keys(latest)) {
		c := latest[target]
		o := *c.Replacement
		o.ID, o.PatientID = target, t.Patient.ID
		if replaced[target] {
			// Wherever the value is shown, it says it is a correction.
			o.Notes = append(slices.Clip(o.Notes), CorrectedNote(c.Status))
		}
		t.obs = append(t.obs, o)
	}
}
