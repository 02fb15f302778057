package cohort

import (
	"cmp"
	"slices"

	"renalwatch/record"
)

// sortObservations returns a patient's observations (one per ID, as dedupe
// leaves them) in dst, ordered by analyte, then time, then ID: the order
// record.NewTimelineOwned sorts them into. That order is total on
// observations with distinct IDs, so its sort then finds them in order (a
// pass of comparisons) and the timeline is the same; sorting here is
// cheaper: a stable counting sort by analyte moves each observation once
// (pdqsort swaps the 176-byte structs many times), and a patient's results
// of one analyte usually come in time order already, which one pass
// checks.
func sortObservations(obs, dst []record.Observation) []record.Observation {
	var count [64]int
	for i := range obs {
		a := int(obs[i].Analyte)
		if a < 0 || a >= len(count)-1 {
			// Not expected (units.Analyte is a small enum): sort as the
			// timeline does.
			dst = append(dst[:0], obs...)
			slices.SortFunc(dst, func(a, b record.Observation) int {
				if c := cmp.Compare(a.Analyte, b.Analyte); c != 0 {
					return c
				}
				return timeThenID(a, b)
			})
			return dst
		}
		count[a+1]++
	}
	for a := 1; a < len(count); a++ {
		count[a] += count[a-1]
	}
	start := count
	dst = slices.Grow(dst[:0], len(obs))[:len(obs)]
	for i := range obs {
		a := obs[i].Analyte
		dst[count[a]] = obs[i]
		count[a]++
	}
	for a := 0; a < len(start)-1; a++ {
		run := dst[start[a]:start[a+1]]
		for i := 1; i < len(run); i++ {
			if timeThenIDPtr(&run[i-1], &run[i]) > 0 { // no copies of the 176-byte observations
				slices.SortFunc(run, timeThenID)
				break
			}
		}
	}
	return dst
}

// timeThenID is record's observation order: time, then ID.
func timeThenID(a, b record.Observation) int { return timeThenIDPtr(&a, &b) }

// timeThenIDPtr is timeThenID(*a, *b).
func timeThenIDPtr(a, b *record.Observation) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
