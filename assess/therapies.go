package assess

import (
	"slices"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// followUpTolerance: the 6- and 12-month UPCR is the measured value nearest
// the time point within this many days (6 months: 4 to 8 months).
const followUpTolerance = 61 * day

func (a *assessor) therapies() {
	// Each course of an induction episode after its first continues the
	// episode: its response is the episode's, judged once at the first.
	// By timeline index (slices, not maps: one allocation each):
	// episodeOf is the timeline index of the episode's first record + 1
	// (0: none), drugs the drug classes of an episode's first record.
	var episodeOf []int
	var drugs [][]string
	if a.lupusOn && len(a.inductions()) > 0 {
		episodeOf, drugs = make([]int, len(a.tl.Therapies)), make([][]string, len(a.tl.Therapies))
		for _, e := range a.inductions() {
			drugs[e.members[0]] = slices.DeleteFunc(slices.Clone(e.therapies), func(c string) bool { return c == record.Glucocorticoid.String() })
			for _, m := range e.members[1:] {
				episodeOf[m] = e.members[0] + 1
			}
		}
	}
	cs := a.courseList()
	withData := a.hasEffectData()
	if !withData && len(cs) > 0 {
		a.miss("therapies", "no creatinine-based eGFR and no UPCR in the record: no therapy has a before/after comparison")
	}
	year := 365 * day
	caveat := a.therapyCaveat()
	a.out.Therapies = slices.Grow(a.out.Therapies, len(cs))
	for ci, c := range cs {
		th := a.tl.Therapies[c.members[0]]
		ev := a.courseEvidence(c)
		out := Therapy{ID: th.ID, Name: displayName(th), Class: th.Class.String(), Evidence: ev.Level, EvidenceSource: ev.Source, EvidenceNote: ev.Note,
			Start: c.start, Records: len(c.members), Effect: Effect{Caveat: caveat, Concurrent: []Concurrent{}}}
		out.RecordIDs = make([]string, 0, len(c.members)) // one allocation per course, not one per doubling
		for _, m := range c.members {
			out.RecordIDs = append(out.RecordIDs, a.tl.Therapies[m].ID)
			out.LastRecord = a.tl.Therapies[m].Start
			if d := a.tl.Therapies[m].Dose; d != "" {
				out.DoseChanged = out.DoseChanged || out.Dose != "" && out.Dose != d
				out.Dose = d
			}
		}
		if end, basis := a.courseEnd(c); basis != "" {
			out.End, out.EndBasis = ptr(end), basis
		} else {
			out.Open = c.last
		}
		path := "therapies[" + num(float64(ci)) + "]"
		if c.graft {
			out.Indication = "graft immunosuppression"
			a.miss(path+".effect", "graft immunosuppression (kidney transplant of "+date(a.firstTransplant().Start)+"): no lupus nephritis before/after analysis")
			a.out.Therapies = append(a.out.Therapies, out)
			continue
		}
		to := c.start.Add(year)
		if to.After(a.asOf) {
			to = a.asOf
		}
		out.Effect.Concurrent = a.concurrent(c.start, to, ci, nil)
		if withData {
			var first int
			var classes []string
			cont := false
			if episodeOf != nil {
				first, cont, classes = episodeOf[c.members[0]]-1, episodeOf[c.members[0]] > 0, drugs[c.members[0]]
			}
			if classes == nil {
				classes = []string{th.Class.String()}
			}
			a.courseEffect(th, &out.Effect, path+".effect", !cont, classes)
			if cont {
				k := "therapies[" + num(float64(courseOf(cs, first))) + "]"
				a.miss(path+".effect.response", "continues the induction course started on "+date(a.tl.Therapies[first].Start)+" ("+k+
					"): the response is judged once for the course, at "+k+".effect.response and in lupus.response")
			}
			a.attribute(out.Effect.Response, ci)
			out.Effect.Note = a.effectNote(c.start, out.Effect)
		}
		a.out.Therapies = append(a.out.Therapies, out)
	}
	a.attribute(a.out.Lupus.Response, -1)
}

// courseOf returns the index in cs of the course holding timeline record m.
func courseOf(cs []course, m int) int {
	for ci, c := range cs {
		if slices.Contains(c.members, m) {
			return ci
		}
	}
	return 0 // as the map it replaces gave for a record of no course (none is)
}

// effect fills the before/after comparison of one therapy episode.
// The response is judged only when judge is set (a record that continues
// an induction course is judged with the course), with classes as the
// therapies given (the course's drugs for its first record).
func (a *assessor) effect(th record.Therapy, e *Effect, path string, judge bool, classes []string) {
	year := 365 * day
	if a.onDialysis != nil && !a.onDialysis.start.After(th.Start) {
		a.miss(path, "started on dialysis: eGFR and UPCR changes are not assessed")
		return
	}
	// eGFR slope in the 12 months before and after the start.
	if f := a.windowFit(th.Start.Add(-year), th.Start.Add(-time.Nanosecond)); f.err == nil {
		e.EGFRSlopeBefore = cloned(f.out)
	} else {
		a.miss(path+".egfr_slope_before", "needs at least 3 eGFR values spanning at least 90 days in the 12 months before "+date(th.Start)+"; "+f.have)
	}
	end := th.Start.Add(year)
	if end.After(a.asOf) {
		end = a.asOf
	}
	if f := a.windowFit(th.Start, end); f.err == nil {
		e.EGFRSlopeAfter = cloned(f.out)
		if a.asOf.Before(th.Start.Add(year)) {
			// The slope spans its eGFR values, not the time to as_of
			// (trial #19: "slope over 10.48 months" with the last eGFR at
			// 7.8 months).
			first, last := f.first, f.last
			a.miss(path+".egfr_slope_after", "fewer than 12 months of follow-up ("+monthsText(months(th.Start, a.asOf))+" months to as_of): slope over the eGFR values of "+date(first)+" to "+date(last)+" ("+monthsText(months(first, last))+" months)")
		}
	} else {
		a.miss(path+".egfr_slope_after", "needs at least 3 eGFR values spanning at least 90 days in the 12 months after "+date(th.Start)+"; "+f.have)
	}
	// UPCR change at 6 and 12 months against the baseline at the start.
	base, ok := a.tl.Baseline(units.PCR, th.Start, a.cfg.BaselineLookback)
	if !ok || base.Comparator != record.Exact || base.Value.Value <= 0 {
		why := "no measured UPCR in the " + num(a.cfg.BaselineLookback.Hours()/24) + " days before " + date(th.Start)
		a.miss(path+".upcr_change_6m", why)
		a.miss(path+".upcr_change_12m", why)
	} else {
		for _, m := range []struct {
			months int
			dst    **UPCRChange
			name   string
		}{{6, &e.UPCRChange6m, "upcr_change_6m"}, {12, &e.UPCRChange12m, "upcr_change_12m"}} {
			at := th.Start.AddDate(0, m.months, 0)
			if a.asOf.Before(at.Add(-followUpTolerance)) {
				a.miss(path+"."+m.name, "too early: "+num(float64(m.months))+" months after the start is after as_of")
				continue
			}
			f, ok := a.nearestExact(units.PCR, at, followUpTolerance)
			if !ok || !f.Time.After(th.Start) {
				// A time point after as_of is "too early", as above, never
				// a date after as_of to look around (trial #19).
				if at.After(a.asOf) {
					a.miss(path+"."+m.name, "too early: "+num(float64(m.months))+" months after the start is after as_of, and no measured UPCR since "+date(at.Add(-followUpTolerance)))
				} else {
					a.miss(path+"."+m.name, "no measured UPCR within "+num(followUpTolerance.Hours()/24)+" days of "+date(at))
				}
				continue
			}
			*m.dst = &UPCRChange{Ratio: (f.Value.Value - base.Value.Value) / base.Value.Value,
				Baseline: a.reportedPCR(&base), BaselineDate: base.Time, Value: a.reportedPCR(&f), Date: f.Time}
		}
	}
	if !a.lupusOn {
		a.miss(path+".response", "lupus rules not applied (see lupus)")
		return
	}
	if !judge {
		return
	}
	if a.noLN {
		a.miss(path+".response", noLNResponse)
		return
	}
	// Response by the configured rule at 12 months (or at as_of if sooner).
	at := th.Start.AddDate(0, 12, 0)
	if at.After(a.asOf) {
		at = a.asOf
	}
	if why := a.replacementBlocks(at); why != "" {
		a.miss(path+".response", why)
		return
	}
	e.Response = a.responseAt(episode{start: th.Start, therapies: classes}, at, path+".response")
	a.markFlareState(e.Response, at, path+".response")
}
