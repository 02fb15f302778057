package ckd

import (
	"slices"
	"time"
)

// PersistenceDays is how long an abnormality must last to count as chronic:
// KDIGO 2012/2024 define CKD by abnormalities "present for > 3 months"
// (lupus.md §7.1), implemented as two qualifying results more than 90 days
// apart.
const PersistenceDays = 90

// Persistent reports whether the latest point qualifies and qualifying values
// have followed each other, with no non-qualifying value between them, over
// more than PersistenceDays days (lupus.md §7.1: "require ≥2 qualifying
// results > 90 days apart"). Points need not be sorted.
func Persistent(points []Point, qualifies func(egfr float64) bool) bool {
	if len(points) < 2 {
		return false
	}
	ps := slices.Clone(points)
	slices.SortStableFunc(ps, func(a, b Point) int { return a.Time.Compare(b.Time) })
	last := ps[len(ps)-1]
	if !qualifies(last.EGFR) {
		return false
	}
	first := last
	for i := len(ps) - 2; i >= 0 && qualifies(ps[i].EGFR); i-- {
		first = ps[i]
	}
	return last.Time.Sub(first.Time) > PersistenceDays*24*time.Hour
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
