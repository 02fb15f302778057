package ckd

import (
	"math"
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
	fs := make([]Finding, 0, len(findings))
	for i, f := range findings {
		if f.At.IsZero() {
			return res, &InputError{Field: "findings[" + strconv.Itoa(i) + "].at", Value: "zero time", Want: "the date of the result"}
		}
		if !f.At.After(asOf) {
			fs = append(fs, f)
		}
	}
	slices.SortStableFunc(fs, func(a, b Finding) int { return a.At.Compare(b.At) })
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

// EGFRPoint is one dated eGFR in mL/min/1.73 m2.
type EGFRPoint struct {
	At   time.Time
	EGFR float64
}

// Slope is the least-squares trend of eGFR over time.
type Slope struct {
	PerYear float64   `json:"per_year"` // mL/min/1.73 m2 per year; negative is a decline
	N       int       `json:"n"`        // results used
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	// Rapid is true when eGFR declines faster than 5 mL/min/1.73 m2 per
	// year, KDIGO 2012's "rapid progression" (rec 2.1.3, "sustained decline
	// > 5 mL/min/1.73 m2/yr"). NICE NG203's threshold differs (>= 15 per
	// year, or >= 25 % with a category change); it is not applied here.
	Rapid bool   `json:"rapid"`
	Rule  string `json:"rule"`
}

// SlopeRule names the rule EGFRSlope applies.
const SlopeRule = "least-squares eGFR slope over >= 3 results spanning >= 90 days; rapid progression: decline > 5 mL/min/1.73 m2/year (KDIGO 2012 rec 2.1.3)"

// rapidDecline is KDIGO 2012's rapid-progression threshold, mL/min/1.73 m2
// per year.
const rapidDecline = 5.0

// year is the Julian year used to express the slope per year.
const year = 36525 * Day / 100

// EGFRSlope fits eGFR against time by ordinary least squares over the
// results at or before asOf and returns the slope per year (year = 365.25
// days). It needs at least 3 results spanning at least 90 days (lupus.md
// §7.4: do not call progression on two points); fewer, or a shorter span, is
// an *InputError, as is a result with a zero time or an eGFR that is
// negative, NaN or infinite.
func EGFRSlope(points []EGFRPoint, asOf time.Time) (Slope, error) {
	res := Slope{Rule: SlopeRule}
	var n int
	var first, last time.Time
	for i, p := range points {
		if p.At.IsZero() {
			return res, &InputError{Field: "points[" + strconv.Itoa(i) + "].at", Value: "zero time", Want: "the date of the result"}
		}
		if math.IsNaN(p.EGFR) || math.IsInf(p.EGFR, 0) || p.EGFR < 0 {
			return res, &InputError{Field: "points[" + strconv.Itoa(i) + "].egfr", Value: strconv.FormatFloat(p.EGFR, 'g', -1, 64), Want: "a finite number >= 0 (mL/min/1.73 m2)"}
		}
		if p.At.After(asOf) {
			continue
		}
		if n == 0 || p.At.Before(first) {
			first = p.At
		}
		if n == 0 || p.At.After(last) {
			last = p.At
		}
		n++
	}
	if n < 3 {
		return res, &InputError{Field: "points", Value: strconv.Itoa(n) + " results up to " + asOf.Format(time.DateOnly), Want: "at least 3 eGFR results spanning at least 90 days"}
	}
	if last.Sub(first) < chronicity {
		return res, &InputError{Field: "points", Value: "a span of " + strconv.FormatFloat(last.Sub(first).Hours()/24, 'f', -1, 64) + " days", Want: "at least 3 eGFR results spanning at least 90 days"}
	}
	// Centre time on the first result for numerical stability.
	var sx, sy float64
	for _, p := range points {
		if !p.At.After(asOf) {
			sx += float64(p.At.Sub(first)) / float64(year)
			sy += p.EGFR
		}
	}
	mx, my := sx/float64(n), sy/float64(n)
	var sxy, sxx float64
	for _, p := range points {
		if !p.At.After(asOf) {
			dx := float64(p.At.Sub(first))/float64(year) - mx
			sxy += dx * (p.EGFR - my)
			sxx += dx * dx
		}
	}
	res.PerYear = sxy / sxx
	res.N, res.From, res.To = n, first, last
	res.Rapid = res.PerYear < -rapidDecline
	return res, nil
}
