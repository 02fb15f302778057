package main

import (
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// recordAsOf is what "patients" shows of a record as it stood at asOf
// (issue 7 item 12): the counts of items dated at or before it and the
// latest creatinine taken at or before it, so that no column shows a value
// from after the list's date next to an eGFR from before it. The counts
// are of items taken (observations, findings, biopsies), with onset
// (conditions) or started (therapies, kidney replacement) by asOf.
type recordAsOf struct {
	observations, conditions, findings, biopsies, therapies, replacements int
	creatinine                                                            *record.Observation
}

func countAsOf(tl *record.Timeline, asOf time.Time) recordAsOf {
	r := recordAsOf{
		observations: countBy(tl.Observations(), asOf, func(o record.Observation) time.Time { return o.Time }),
		conditions:   countBy(tl.Conditions, asOf, func(c record.Condition) time.Time { return c.Onset }),
		findings:     countBy(tl.Findings, asOf, func(f record.Finding) time.Time { return f.Time }),
		biopsies:     countBy(tl.Biopsies, asOf, func(b record.Biopsy) time.Time { return b.Time }),
		therapies:    countBy(tl.Therapies, asOf, func(t record.Therapy) time.Time { return t.Start }),
		replacements: countBy(tl.Replacements, asOf, func(x record.Replacement) time.Time { return x.Start }),
	}
	if o, ok := tl.Latest(units.Creatinine, asOf); ok {
		r.creatinine = &o
	}
	return r
}

// countBy counts the items of xs whose time (at) is not after asOf.
func countBy[T any](xs []T, asOf time.Time, at func(T) time.Time) int {
	n := 0
	for _, x := range xs {
		if !at(x).After(asOf) {
			n++
		}
	}
	return n
}
