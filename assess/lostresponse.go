package assess

import (
	"renalwatch/record"
	"sort"
	"strings"
	"time"

	"renalwatch/ckd"
	"renalwatch/lupus"
	"renalwatch/units"
)

// A response is lost when a new induction episode starts while the patient
// is no longer in it. A renal flare is a relapse after a documented
// response (relapse.go: KDIGO 2012 GN guideline Table 29, EULAR/ERA-EDTA
// 2012, AURORA 2), and KDIGO 2024 LN calls persistent disease without a
// partial or complete response "no response", not a flare. A response
// reached in an earlier episode says nothing about a later one started for
// persisting or returning activity: the response to that episode is judged
// from its own baseline (judgeEpisode), and so is the gate's.
//
// lose applies the response rule to the baseline of each new induction
// episode (the measured UPCR, and the creatinine-only eGFR, that the
// episode's own response is judged from: episodeBase) against the baseline
// the response had been reached from: the latest flare's (flareBase), else
// the latest induction episode's that did not start in response. When that
// judgement shows no response ("none"), the response is lost: the gate
// starts over at the episode, and a flare then needs a response within it
// (judged from 6 calendar months after its start, as any response). An
// episode started in response (a partial or complete response at its
// baseline; belimumab added in remission) keeps the response, and its
// baseline does not become the one later episodes are judged against.
// When the judgement cannot be made (no baseline UPCR or eGFR, a rule
// error), the response is kept, as before this rule: the loss is not
// assumed. Each rise the loss keeps from being a flare is named in missing
// (missLost).
func (g *responseGate) lose(t time.Time) {
	for ; g.ep < len(g.eps) && g.eps[g.ep].start.Before(t); g.ep++ {
		s := g.eps[g.ep].start
		if g.flare != nil && !s.After(g.since) {
			continue // started before the latest flare: the flare is the baseline
		}
		// The UPCRs up to the start are judged against earlier baselines
		// (judge: an episode counts from the day after its start).
		end := sort.Search(len(g.upcr), func(k int) bool { return g.upcr[k].Time.After(s) })
		// The check leaves the gate as it was unless the response is lost:
		// a later call finds the response it would have found without it
		// (the latest, which castsCleared reads).
		next, best, cat, at := g.next, g.best, g.cat, g.at
		if g.scan(end-1, false) == "" {
			if g.flare == nil {
				g.ref, g.refFrom = g.episodeBase(g.ep), s // nothing to lose: a fresh start
			}
			continue
		}
		ref, from := g.ref, g.refFrom
		if g.flare != nil {
			ref, from = g.flare, g.since
		}
		nb := g.episodeBase(g.ep)
		lost := ref != nil && ref.ok && nb.ok && !nb.at.Before(ref.six)
		if lost {
			c, err := lupus.ResponseCategory(g.a.cfg.ResponseRule, g.a.responseInput(ref.upcr, nb.upcr, ref.egfr, nb.egfr, months(from, nb.at)))
			lost = err == nil && responseRank(c) == 0
		}
		if !lost { // kept, or it cannot be judged
			g.next, g.best, g.cat, g.at = next, best, cat, at
			continue
		}
		g.lost = &lostResponse{cat: g.cat, at: g.at, start: s, therapies: g.eps[g.ep].therapies, base: nb, ref: ref}
		g.losses = append(g.losses, g.lost)
		g.next, g.best, g.cat, g.at = end, 0, "", time.Time{}
		g.flare, g.ref, g.refFrom = nil, nb, s
	}
}

// lostResponse is a response lost at the start of an induction episode
// (lose): what missing names for the visits it keeps from being flares.
type lostResponse struct {
	cat       string      // the category lost
	at        time.Time   // the date of the UPCR that showed it
	start     time.Time   // the new episode's start
	therapies []string    // the new episode's therapies
	base, ref *gateBase   // the new episode's baseline and the one it was judged against
	rises     []time.Time // rises that met the flare rule, not flares for it
	casts     []time.Time // casts that would have recurred after the response
	skipped   bool        // an eular-2012 visit was not judged for it
}

// missLost names, in missing, each lost response (lose) that kept a
// visit from being a flare: a rise that meets the flare rule, casts
// recorded absent after the lost response and present again (a kdigo-2012
// recurrence had the response held), an eular-2012 visit not judged.
func (a *assessor) missLost(rule lupus.FlareRule, losses []*lostResponse) {
	for _, l := range losses {
		var parts []string
		if n := len(l.rises); n > 0 {
			parts = append(parts, risesAt(l.rises)+" the "+string(rule)+" flare criteria but "+map[bool]string{true: "is not a flare", false: "are not flares"}[n == 1])
		}
		if len(l.casts) > 0 {
			parts = append(parts, "the casts at "+visitDates(l.casts)+", recorded absent after the lost response, are persisting activity, not a recurrence")
		}
		if l.skipped {
			parts = append(parts, "eular-2012 did not judge the visits after it (it judges a visit only after a complete or partial response; they are among the visits listed as not judged)")
		}
		if len(parts) == 0 {
			continue
		}
		a.miss("lupus.flares", "response lost at a new induction episode: the "+l.cat+" renal response ("+string(a.cfg.ResponseRule)+") reached at the UPCR of "+date(l.at)+
			" was lost when "+record.JoinTherapyClassWords(l.therapies)+" started on "+date(l.start)+" (the episode's baseline UPCR "+labq(units.PCR, l.base.upcr)+" of "+date(l.base.at)+
			", eGFR "+ckd.EGFRText(l.base.egfr)+", shows no response against the baseline UPCR "+labq(units.PCR, l.ref.upcr)+" of "+date(l.ref.at)+", eGFR "+ckd.EGFRText(l.ref.egfr)+
			", that the response was judged from) and no partial or complete response was reached in that episode since, so "+strings.Join(parts, "; ")+
			"; persistent disease without a response is no response, not a flare (KDIGO 2024 LN guideline), and a renal flare is a relapse after a documented response (KDIGO 2012 GN guideline Table 29, EULAR/ERA-EDTA 2012)")
	}
}
