package fhir

import (
	"slices"
	"testing"
)

// TestObservationCodes: the list holds every analyte code and the blood
// pressure panels, sorted, once each.
func TestObservationCodes(t *testing.T) {
	got := ObservationCodes()
	if len(got) != len(loincAnalytes)+len(bpPanels) || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Fatalf("ObservationCodes() = %v", got)
	}
	for _, c := range []string{"2160-0", "14682-9", "98979-8", "2890-2", "85354-9", "55284-4", "8302-2"} {
		if !slices.Contains(got, c) {
			t.Errorf("missing %s", c)
		}
	}
}
