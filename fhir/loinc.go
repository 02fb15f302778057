package fhir

import (
	"maps"
	"slices"
)

// ObservationCodes returns, sorted, the LOINC codes (system
// http://loinc.org) of the Observations the Reader maps: every analyte
// code and the blood pressure panels whose components hold systolic and
// diastolic pressure. Services that ask an EHR for data, such as the
// CDS Hooks prefetch templates, filter their Observation searches with it
// so that they ask for no more than RenalWatch reads.
func ObservationCodes() []string {
	out := slices.Collect(maps.Keys(loincAnalytes))
	out = slices.AppendSeq(out, maps.Keys(bpPanels))
	slices.Sort(out)
	return out
}

// LOINCSystem is the code system URI of LOINC, as FHIR codings carry it.
const LOINCSystem = systemLOINC
