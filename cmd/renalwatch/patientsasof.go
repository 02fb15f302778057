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
	var r recordAsOf
	for _, o := range tl.Observations() {
		if !o.Time.After(asOf) {
			r.observations++
		}
	}
	for _, c := range tl.Conditions {
		if !c.Onset.After(asOf) {
			r.conditions++
		}
	}
	for _, f := range tl.Findings {
		if !f.Time.After(asOf) {
			r.findings++
		}
	}
	for _, b := range tl.Biopsies {
		if !b.Time.After(asOf) {
			r.biopsies++
		}
	}
	for _, t := range tl.Therapies {
		if !t.Start.After(asOf) {
			r.therapies++
		}
	}
	for _, x := range tl.Replacements {
		if !x.Start.After(asOf) {
			r.replacements++
		}
	}
	if o, ok := tl.Latest(units.Creatinine, asOf); ok {
		r.creatinine = &o
	}
	return r
}
