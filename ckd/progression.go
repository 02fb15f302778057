package ckd

import (
	"slices"
	"strconv"
	"time"
)

// Day is 24 hours; the KDIGO "3 months" of chronicity is taken as 90 days
// (lupus.md §7.1: two qualifying results more than 90 days apart).
const Day = 24 * time.Hour

// chronicity is the minimum time an abnormality must persist to count as
// chronic: more than 90 days (KDIGO 2024 CKD definition, "> 3 months").
const chronicity = 90 * Day

// Finding is one dated kidney marker result, already judged abnormal or not
// by the caller (for instance eGFR < 60, i.e. GCategory G3a or worse, or
// ACategory A2 or worse).
type Finding struct {
	At       time.Time
	Abnormal bool
}

// Persistence says whether an abnormal kidney marker has persisted for more
// than 90 days.
type Persistence struct {
	Persistent bool      `json:"persistent"`
	Since      time.Time `json:"since,omitzero"`     // first abnormal result of the run that qualifies
	Confirmed  time.Time `json:"confirmed,omitzero"` // the first result of that run more than 90 days after Since
	Rule       string    `json:"rule"`
}

// PersistenceRule names the rule Persists applies.
const PersistenceRule = "KDIGO 2024 CKD definition: abnormality present for > 3 months; two abnormal results more than 90 days apart with no normal result between them"

// Persists reports whether findings at or before asOf contain two abnormal
// results more than 90 days apart with no normal result between them (KDIGO
// 2024: CKD needs abnormalities of kidney structure or function present for
// more than 3 months; abnormal results are confirmed on repeat testing). A
// normal result in between breaks the run: the abnormality was not present
// throughout. Exactly 90 days apart does not qualify. The order of findings
// does not matter; the slice is not modified. Findings after asOf are
// ignored; a finding with a zero time is an *InputError.
func Persists(findings []Finding, asOf time.Time) (Persistence, error) {
	res := Persistence{Rule: PersistenceRule}
	// Callers usually pass results in time order and none after asOf: then
	// the findings are read as they are, else a copy is filtered and
	// sorted (a stable sort leaves results in time order as they are).
	byTime := func(a, b Finding) int { return a.At.Compare(b.At) }
	fs, inOrder := findings, true
	for i, f := range findings {
		if f.At.IsZero() {
			return res, &InputError{Field: "findings[" + strconv.Itoa(i) + "].at", Value: "zero time", Want: "the date of the result"}
		}
		if f.At.After(asOf) || (i > 0 && byTime(findings[i-1], f) > 0) {
			inOrder = false
		}
	}
	if !inOrder {
		fs = make([]Finding, 0, len(findings))
		for _, f := range findings {
			if !f.At.After(asOf) {
				fs = append(fs, f)
			}
		}
		if !slices.IsSortedFunc(fs, byTime) {
			slices.SortStableFunc(fs, byTime)
		}
	}
	var start time.Time // first abnormal result of the current run; zero when none
	for _, f := range fs {
		switch {
		case !f.Abnormal:
			start = time.Time{}
		case start.IsZero():
			start = f.At
		case f.At.Sub(start) > chronicity:
			res.Persistent, res.Since, res.Confirmed = true, start, f.At
			return res, nil
		}
	}
	return res, nil
}

// ProgressionRule names a published definition of CKD progression. The
// definitions are not equivalent (lupus.md §9 ambiguity A5), so every result
// says which one it applied.
type ProgressionRule string

// Progression rules.
const (
	// KDIGO2012Rapid: rapid progression is a sustained decline in eGFR of
	// more than 5 mL/min/1.73 m2 per year (KDIGO 2012 rec 2.1.3).
	KDIGO2012Rapid ProgressionRule = "kdigo-2012-rapid"
	// KDIGO2024Change: a change in eGFR of more than 20% on a subsequent
	// test exceeds expected variability and warrants evaluation (KDIGO 2024
	// practice point 2.1.3).
	KDIGO2024Change ProgressionRule = "kdigo-2024-change"
	// KDIGO2012CertainDrop: a drop in GFR category accompanied by a 25% or
	// greater decline from baseline (KDIGO 2012 rec 2.1.3).
	KDIGO2012CertainDrop ProgressionRule = "kdigo-2012-certain-drop"
	// NICE2021Accelerated: a sustained decrease in eGFR of 25% or more and a
	// change in GFR category within 12 months, or a sustained decrease of 15
	// mL/min/1.73 m2 or more per year (NICE NG203, 2021, rec 1.3.3).
	NICE2021Accelerated ProgressionRule = "nice-ng203-accelerated"
)

// RapidDeclinePerYear is the KDIGO 2012 rec 2.1.3 threshold for rapid
// progression: a decline of more than 5 mL/min/1.73 m2 per year.
const RapidDeclinePerYear = 5.0

// RapidProgression applies KDIGO 2012 rec 2.1.3 to a slope: true when eGFR
// declines by more than 5 mL/min/1.73 m2 per year. The slope must come from
// EGFRSlope (at least three values over at least 90 days), so that a single
// pair of values cannot trigger it.
func RapidProgression(s Slope) bool { return s.PerYear < -RapidDeclinePerYear }

// ChangeThreshold is the KDIGO 2024 practice point 2.1.3 threshold: a change
// of more than 20% between tests exceeds expected variability.
const ChangeThreshold = 0.20

// RelativeChange returns (to - from) / from: -0.25 is a 25% fall.
func RelativeChange(from, to float64) float64 { return (to - from) / from }

// SignificantChange applies KDIGO 2024 practice point 2.1.3 to two
// consecutive eGFR values: true when the later differs from the earlier by
// more than 20% in either direction.
func SignificantChange(from, to float64) bool {
	c := RelativeChange(from, to)
	return c > ChangeThreshold || c < -ChangeThreshold
}

// CertainDrop applies the KDIGO 2012 rec 2.1.3 definition of a certain drop in
// eGFR: the GFR category worsens and eGFR falls by 25% or more from baseline.
func CertainDrop(baseline, current float64) bool {
	gb, err1 := GCategory(baseline)
	gc, err2 := GCategory(current)
	if err1 != nil || err2 != nil {
		return false
	}
	return gc > gb && RelativeChange(baseline, current) <= -0.25
}
