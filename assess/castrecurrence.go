package assess

import (
	"sort"
	"time"

	"renalwatch/record"
)

// KDIGO 2012 GN guideline Table 29 ("Criteria for the diagnosis and
// classification of relapses of LN") counts as a mild relapse the
// *recurrence* of ≥ 1 RBC or WBC cast. A recurrence needs the casts to have
// gone: casts recorded before a response and still there at a later visit
// are persisting activity, not a relapse. castsCleared reads the record for
// that: casts recorded absent (a urinary_casts finding with present false,
// as a urine microscopy or a SLEDAI-2K descriptor records it) after the
// response the flare would follow and before the casts at the flare visit.

// castsCleared reports, for the visit at UPCR index i (date t) with casts
// present, whether casts were recorded absent since the prior response:
// the response the open flare follows (respAt) when a flare is open, else
// the response the gate finds before i. With no response there is nothing
// to recur after, and it is false.
func (a *assessor) castsCleared(g *responseGate, i int, t time.Time, open *FlareEvent, respAt time.Time) *bool {
	from := respAt
	if open == nil {
		if g.reached(i-1, false) == "" {
			if l := g.lost; l != nil && a.castFreeBetween(l.at.Add(-visitTolerance), a.castsTime(t)) {
				l.casts = append(l.casts, t) // a recurrence had the response held (missLost)
			}
			return ptr(false)
		}
		from = g.at
	}
	// A cast result at the response visit pairs with it as any finding
	// pairs with a UPCR (within visitTolerance).
	return ptr(a.castFreeBetween(from.Add(-visitTolerance), a.castsTime(t)))
}

// castsTime is the date of the urinary_casts finding castsNear reads for t.
func (a *assessor) castsTime(t time.Time) time.Time {
	fs := a.tl.Findings
	i := searchFrom(a.findingStamps(), stampOf(t.Add(-visitTolerance)))
	at := t
	for to := t.Add(visitTolerance); i < len(fs) && !fs[i].Time.After(to); i++ {
		if f := fs[i]; f.Code == record.FindingUrinaryCasts && !f.Time.After(a.asOf) {
			at = f.Time
		}
	}
	return at
}

// castFreeBetween reports whether a urinary_casts finding recorded absent
// lies in [from, to).
func (a *assessor) castFreeBetween(from, to time.Time) bool {
	// The first such finding from from on is the one to look at: the
	// findings recorded cast-free, listed once (castFree), are searched
	// rather than every finding of the months between.
	ss, cf := a.findingStamps(), a.castFree()
	fromS := stampOf(from)
	k := sort.Search(len(cf), func(k int) bool { return !ss[cf[k]].before(fromS) })
	return k < len(cf) && ss[cf[k]].before(stampOf(to))
}

// castFree returns the indices, in time order, of the findings at or
// before as_of that record urinary casts absent, listed on first use.
func (a *assessor) castFree() []int {
	if !a.castFreeDone {
		a.castFreeDone = true
		for i := range a.tl.Findings {
			if f := &a.tl.Findings[i]; f.Code == record.FindingUrinaryCasts && !f.Present && !f.Time.After(a.asOf) {
				a.castFreeAt = append(a.castFreeAt, i)
			}
		}
	}
	return a.castFreeAt
}
