package assess

import (
	"slices"
	"time"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// followUpTolerance: the 6- and 12-month UPCR is the measured value nearest
// the time point within this many days (6 months: 4 to 8 months).
const followUpTolerance = 61 * day

func (a *assessor) therapies() {
	// Each record of an induction course after its first continues the
	// course: its response is the course's, judged once at the first record.
	var course map[int]int     // timeline index -> timeline index of the course's first record
	var drugs map[int][]string // timeline index of a course's first record -> the course's drug classes
	if a.lupusOn {
		course, drugs = map[int]int{}, map[int][]string{}
		for _, e := range a.inductions() {
			drugs[e.members[0]] = slices.DeleteFunc(slices.Clone(e.therapies), func(c string) bool { return c == record.Glucocorticoid.String() })
			for _, m := range e.members[1:] {
				course[m] = e.members[0]
			}
		}
	}
	outIndex := map[int]int{} // timeline index -> index in a.out.Therapies
	for i, th := range a.tl.Therapies {
		if th.Start.After(a.asOf) {
			continue
		}
		outIndex[i] = len(a.out.Therapies)
		ev := EvidenceFor(th.Class)
		out := Therapy{ID: th.ID, Name: th.Name, Class: th.Class.String(), Evidence: ev.Level, EvidenceSource: ev.Source, EvidenceNote: ev.Note, Start: th.Start,
			Effect: Effect{Caveat: UncontrolledCaveat}}
		if out.Name == "" {
			out.Name = th.Class.String()
		}
		if !th.End.IsZero() && !th.End.After(a.asOf) {
			out.End = ptr(th.End)
		}
		path := "therapies[" + num(float64(len(a.out.Therapies))) + "]"
		first, cont := course[i]
		classes := drugs[i]
		if classes == nil {
			classes = []string{th.Class.String()}
		}
		a.effect(th, &out.Effect, path+".effect", !cont, classes)
		if cont {
			k := "therapies[" + num(float64(outIndex[first])) + "]"
			a.miss(path+".effect.response", "continues the induction course started on "+date(a.tl.Therapies[first].Start)+" ("+k+
				"): the response is judged once for the course, at "+k+".effect.response and in lupus.response")
		}
		a.out.Therapies = append(a.out.Therapies, out)
	}
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
	pts, eqs := a.slopePoints(th.Start.Add(-year), th.Start.Add(-time.Nanosecond))
	if s, err := ckd.EGFRSlope(pts); err == nil {
		e.EGFRSlopeBefore = toSlope(s, pts, eqs)
	} else {
		a.miss(path+".egfr_slope_before", "needs at least 3 eGFR values spanning at least 90 days in the 12 months before "+date(th.Start)+"; have "+num(float64(len(pts))))
	}
	end := th.Start.Add(year)
	if end.After(a.asOf) {
		end = a.asOf
	}
	pts, eqs = a.slopePoints(th.Start, end)
	if s, err := ckd.EGFRSlope(pts); err == nil {
		e.EGFRSlopeAfter = toSlope(s, pts, eqs)
		if a.asOf.Before(th.Start.Add(year)) {
			a.miss(path+".egfr_slope_after", "fewer than 12 months of follow-up: slope over "+num(months(th.Start, a.asOf))+" months")
		}
	} else {
		a.miss(path+".egfr_slope_after", "needs at least 3 eGFR values spanning at least 90 days in the 12 months after "+date(th.Start)+"; have "+num(float64(len(pts))))
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
				a.miss(path+"."+m.name, "no measured UPCR within "+num(followUpTolerance.Hours()/24)+" days of "+date(at))
				continue
			}
			*m.dst = &UPCRChange{Ratio: (f.Value.Value - base.Value.Value) / base.Value.Value,
				Baseline: reported(base), BaselineDate: base.Time, Value: reported(f), Date: f.Time}
		}
	}
	if !a.lupusOn {
		a.miss(path+".response", "lupus rules not applied (see lupus)")
		return
	}
	if !judge {
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
}
