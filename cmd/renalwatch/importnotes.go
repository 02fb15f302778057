package main

import (
	"strings"

	"renalwatch/fhir"
	"renalwatch/store"
)

// noteKey names the notes (fhir.Result.Notes) of one resource type, code
// and reason.
type noteKey struct{ resourceType, system, code, reason string }

// unstoredNotes counts the notes on items the store rejected (such as
// those of a patient the store does not hold): the notes the reader put on
// each (store.Rejection.Notes, such as a blood pressure's unit from its
// LOINC definition) and, for an eGFR computed by RenalWatch in an earlier
// report (source code in fhir.SystemEquation), fhir.ComputedEGFRNote.
type unstoredNotes map[noteKey]int

// add counts the notes of r.
func (u unstoredNotes) add(r store.Rejection) {
	p := r.Provenance
	for _, n := range r.Notes {
		u[noteKey{p.ResourceType, p.Code.System, p.Code.Code, n}]++
	}
	if p.Code.System == fhir.SystemEquation {
		u[noteKey{p.ResourceType, p.Code.System, p.Code.Code, fhir.ComputedEGFRNote}]++
	}
}

// storedOnly returns notes with each count cut to the items actually
// stored: less the rejected ones (u), and none when nothing of the file
// was stored (a --strict file refused or rolled back). The summary lists
// them as "Notes on imported items" (a computed eGFR's note says "kept",
// a blood pressure's that its unit was "stored as mm[Hg]"), so an item
// that was not stored must not be counted there beside "Nothing was
// imported" (trial 11 F2, for computed eGFRs; the same for the blood
// pressures of a Synthea Observation file imported without its
// patients).
func (u unstoredNotes) storedOnly(notes []fhir.CodeCount, nothingStored bool) []fhir.CodeCount {
	out := notes[:0:0]
	for _, n := range notes {
		if nothingStored {
			continue
		}
		n.Count -= u[noteKey{n.ResourceType, n.System, n.Code, n.Reason}]
		if n.Count <= 0 {
			continue
		}
		out = append(out, n)
	}
	return out
}

// unitFromLOINC counts the items of notes whose unit was taken from
// their LOINC definition (fhir.UnitFromLOINC).
func unitFromLOINC(notes []fhir.CodeCount) int {
	n := 0
	for _, c := range notes {
		if strings.HasPrefix(c.Reason, fhir.UnitFromLOINC) {
			n += c.Count
		}
	}
	return n
}
