package main

import (
	"renalwatch/fhir"
	"renalwatch/store"
)

// computedEGFRKey names the notes of eGFRs computed by RenalWatch
// (fhir.ComputedEGFRNote) of one resource type and equation code.
type computedEGFRKey struct{ resourceType, code string }

// unstoredComputedEGFRs counts the eGFRs computed by RenalWatch in an
// earlier report (source code in fhir.SystemEquation) that the store
// rejected, such as those of a patient the store does not hold.
type unstoredComputedEGFRs map[computedEGFRKey]int

// add counts r when it is such an eGFR.
func (u unstoredComputedEGFRs) add(r store.Rejection) {
	if p := r.Provenance; p.Code.System == fhir.SystemEquation {
		u[computedEGFRKey{p.ResourceType, p.Code.Code}]++
	}
}

// storedOnly returns notes with the fhir.ComputedEGFRNote counts cut to
// the eGFRs actually stored: less the rejected ones (u), and none when
// nothing of the file was stored (a --strict file refused or rolled
// back). The note says "kept", so an eGFR that was not stored must not be
// counted beside "Nothing was imported" (trial 11 F2). Other notes are
// returned as they are.
func (u unstoredComputedEGFRs) storedOnly(notes []fhir.CodeCount, nothingStored bool) []fhir.CodeCount {
	out := notes[:0:0]
	for _, n := range notes {
		if n.Reason == fhir.ComputedEGFRNote && n.System == fhir.SystemEquation {
			if nothingStored {
				continue
			}
			n.Count -= u[computedEGFRKey{n.ResourceType, n.Code}]
			if n.Count <= 0 {
				continue
			}
		}
		out = append(out, n)
	}
	return out
}
