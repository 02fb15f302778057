package cohort

import (
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
)

// LandmarkMonths is the landmark of the add-on therapy comparison: 12
// months after the start of induction, when KDIGO 2024 LN expects at least
// a partial response (rec 10.2.3.1, Practice Point on response by 12
// months). Comparing from a landmark, among patients event-free at it,
// avoids counting the time before a therapy was given as time on it
// (immortal time): Anderson JR, Cain KC, Gelber RD. J Clin Oncol
// 1983;1:710-9.
const LandmarkMonths = 12

// LandmarkCount counts, for one therapy class, the lupus nephritis
// patients who had no renal response at the landmark, were not on
// dialysis and had no kidney transplant by then, and were followed a year
// past it; and their kidney failure after it, with and without the class
// started after the landmark.
//
// The state at the landmark is the response of the first induction
// course judged at the landmark (its therapies[].effect.response, judged
// 12 months after its start: LandmarkMonths), so a patient is classified
// by what was known then, whatever happens later (trial 12 F1: counting
// only patients whose response was still judged at as_of dropped those on
// dialysis, the outcome itself). Failure, kidney failure after the
// landmark by effective_date (dialysis or a transplant that started after
// it, or G5 at the latest eGFR), is measured the same way in both groups
// and is the outcome to compare.
//
// Responded counts a best response of the report's latest induction
// episode reached after the landmark. It is judged against that episode's
// own baseline UPCR: for an add-on that starts a new episode the baseline
// is the persistent UPCR at its start, for the others the acute UPCR of
// the first induction, so the two response counts are NOT comparable (on
// the synthetic cohort, whose stem-cell infusion has no effect, they
// differ widely). A patient on dialysis or with a transplant at as_of has
// no judged response and counts as not responded.
type LandmarkCount struct {
	Treated            int64 `json:"treated"`
	TreatedResponded   int64 `json:"treated_responded"`
	TreatedFailure     int64 `json:"treated_kidney_failure"`
	Untreated          int64 `json:"untreated"`
	UntreatedResponded int64 `json:"untreated_responded"`
	UntreatedFailure   int64 `json:"untreated_kidney_failure"`
}

// inductionClasses start a lupus nephritis induction (KDIGO 2024 LN rec
// 10.2.3.1: mycophenolate or low-dose cyclophosphamide, with belimumab, a
// calcineurin inhibitor such as voclosporin, or an anti-CD20 antibody).
var inductionClasses = map[string]bool{"mycophenolate": true, "cyclophosphamide": true, "voclosporin": true,
	"belimumab": true, "obinutuzumab": true, "rituximab": true, "calcineurin_inhibitor": true}

// landmarkClasses are the therapy classes compared at the landmark: the
// add-on and rescue therapies of persistent lupus nephritis.
var landmarkClasses = []string{"msc_infusion", "rituximab", "obinutuzumab", "belimumab", "voclosporin", "calcineurin_inhibitor", "cyclophosphamide", "mycophenolate"}

// firstInduction returns the first induction course (inductionClasses;
// not graft immunosuppression) whose response the report judged at 12
// months (therapies[].effect.response: of courses started together, one
// carries the judgement and the others say they continue it), and the
// start of the first induction course. ok is false without induction.
func firstInduction(r *assess.Report) (judged *assess.Therapy, start time.Time, ok bool) {
	for i := range r.Therapies {
		t := &r.Therapies[i]
		if !inductionClasses[t.Class] || t.Indication != "" {
			continue
		}
		switch {
		case !ok || t.Start.Before(start):
			start, ok, judged = t.Start, true, nil
			if t.Effect.Response != nil {
				judged = t
			}
		case t.Start.Equal(start) && judged == nil && t.Effect.Response != nil:
			judged = t
		}
	}
	return judged, start, ok
}

// landmark counts one lupus nephritis patient in the landmark comparison
// (LandmarkCount).
func (s *Summary) landmark(r *assess.Report) {
	first, t0, ok := firstInduction(r)
	if !ok {
		return
	}
	mark := t0.AddDate(0, LandmarkMonths, 0)
	eff, err := parseDay(r.EffectiveDate)
	if err != nil || eff.Before(mark.AddDate(1, 0, 0)) {
		return // not followed for a year past the landmark
	}
	failure := false
	for _, rp := range r.Kidney.Replacement {
		if !rp.Start.After(mark) {
			return // kidney failure by the landmark: the outcome came first
		}
		failure = failure || !rp.Start.After(eff.Add(24*time.Hour-time.Nanosecond))
	}
	if g := r.Kidney.Stage.G; g != nil && *g == ckd.G5 {
		failure = true
	}
	if first == nil {
		s.LandmarkUnknown++ // the response at the landmark was not judged (no UPCR)
		return
	}
	if first.Effect.Response.Best != nil {
		return // responded by the landmark
	}
	later := false
	if resp := r.Lupus.Response; resp != nil && resp.Best != nil {
		later = resp.Best.Date.After(mark)
	}
	// A class counts as started when it started after the landmark and
	// before any dialysis or transplant: a course begun at or after
	// kidney failure treats it, or the graft (tacrolimus after a
	// transplant), and cannot have prevented it.
	kf, anyKF := firstReplacement(r)
	after := map[string]bool{}
	for _, t := range r.Therapies {
		if t.Start.After(mark) && t.Indication == "" && (!anyKF || t.Start.Before(kf)) {
			after[t.Class] = true
		}
	}
	for _, c := range landmarkClasses {
		lc := s.Landmark[c]
		if lc == nil {
			lc = &LandmarkCount{}
			s.Landmark[c] = lc
		}
		if after[c] {
			lc.Treated++
			lc.TreatedResponded += b2i(later)
			lc.TreatedFailure += b2i(failure)
		} else {
			lc.Untreated++
			lc.UntreatedResponded += b2i(later)
			lc.UntreatedFailure += b2i(failure)
		}
	}
}

func (lc *LandmarkCount) merge(o *LandmarkCount) {
	lc.Treated += o.Treated
	lc.TreatedResponded += o.TreatedResponded
	lc.TreatedFailure += o.TreatedFailure
	lc.Untreated += o.Untreated
	lc.UntreatedResponded += o.UntreatedResponded
	lc.UntreatedFailure += o.UntreatedFailure
}
