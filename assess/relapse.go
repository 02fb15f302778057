package assess

import (
	"time"

	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// A renal flare is a relapse: a worsening after a documented response.
//
//   - KDIGO 2012 GN guideline Table 29 (the kdigo-2012 rule) is titled
//     "Criteria for the diagnosis and classification of relapses of LN"
//     (confirmed with the search tool on PMC4089588, table tbl29; adapted
//     from Rovin BH, Stillman IE, in Systemic Lupus Erythematosus 5th edn,
//     2011, ch. 42).
//   - EULAR/ERA-EDTA 2012 (Bertsias, Ann Rheum Dis 2012;71:1771) defines
//     the proteinuric flare after a complete or a partial response.
//   - AURORA 2 (Lupus Sci Med 2024;11 Suppl 2:A85) counts flares after an
//     adequate response.
//   - KDIGO 2024 LN: persistent disease without a partial or complete
//     response is "no response" (refractory), not a flare.
//
// So flares reports a flare only when, before its first visit, the patient
// had reached a partial or complete response by the configured response
// rule and had not flared since without responding again. Before the first
// flare each UPCR is judged as judgeEpisode judges it: against the baseline
// of the latest induction episode started before it, from 6 calendar months
// after the episode's start. After a flare, "responding again" is the
// response to the flare: each later UPCR is judged against the UPCR and
// eGFR of the flare's latest visit, from 6 calendar months after it (the
// flare is treated like a new disease episode; KDIGO 2024 LN treats a flare
// with the initial therapy and judges its response the same way). A rise that meets the flare rule without
// a prior response is persistent activity with no response yet: it is named
// in missing (lupus.flares), with its dates, and raises no flare alert.
// A response is also lost when a new induction episode starts while the
// patient is no longer in it (lose, lostresponse.go: its baseline judged
// against the baseline the response was reached from shows no response);
// a flare then needs a response within the new episode, and the rises the
// loss keeps from being flares are named in missing.
//
// Reproducibility: EULAR/ERA-EDTA 2012 asks for a reproducible doubling;
// Table 29 does not. RenalWatch reports a flare at the first visit that
// meets the rule (flagged for review rather than held back until the next
// visit) and lupus.Flare lists "reproducible" as a criterion not assessed,
// which makes an eular-2012 flare provisional. The spontaneous variation of
// UPCR is largest at a UPCR of 1 g/g or more (Rovin et al. Arthritis Rheum
// 2011;63:2031-7, checked with the search tool): the variation that looked
// like flares in persistent proteinuria is removed by the prior-response
// requirement, not by a second visit.

// responseGate tracks, along the UPCRs flares compares, whether a partial
// or complete response has been reached since the latest flare. Each UPCR
// is judged at most once, and only when a flare rule needs the answer.
type responseGate struct {
	a    *assessor
	upcr []record.Observation // the measured UPCRs flares compares, in time order
	eps  []episode
	base []*gateBase // per episode, read on first use
	// After a flare, a response is judged against the flare: the UPCR and
	// eGFR at its latest visit (flare), from that visit (since).
	flare  *gateBase
	since  time.Time
	sinceS stamp     // since as a stamp
	next   int       // the first UPCR not yet judged since the latest reset
	best   int       // responseRank of the best response judged since the latest flare
	cat    string    // its category ("complete", "partial", "responder")
	at     time.Time // the date of the UPCR that showed it
	// The lost-response rule (lose): ep is the first induction episode not
	// yet checked; ref, from refFrom, is the baseline the response is
	// judged from while no flare is (the latest episode not started in
	// response); lost is the latest loss since the latest flare.
	ep      int
	ref     *gateBase
	refFrom time.Time
	lost    *lostResponse
	losses  []*lostResponse // every loss, in time order
}

// gateBase is what the response rule compares with for one episode.
type gateBase struct {
	ok   bool
	upcr units.Quantity
	at   time.Time // the date of the baseline UPCR
	egfr float64
	six  time.Time // 6 calendar months after the start (episode or flare)
}

func (a *assessor) newResponseGate() *responseGate {
	eps := a.inductions()
	return &responseGate{a: a, upcr: a.upcrs().obs, eps: eps, base: make([]*gateBase, len(eps))}
}

// reached reports the response category reached at a UPCR from the
// latest reset to index hi ("" when none), for a flare at the UPCR hi+1:
// with best, the best category (eular-2012 reads complete or partial);
// without, any. A reset is a flare (reset) or a response lost at an
// induction episode started before the UPCR hi+1 (lose). Calls come with
// hi increasing.
func (g *responseGate) reached(hi int, best bool) string {
	if hi+1 < len(g.upcr) {
		g.lose(g.upcr[hi+1].Time)
	}
	return g.scan(hi, best)
}

// scan is reached without checking the episodes for a lost response. It
// judges from hi backwards and stops as soon as the answer cannot change,
// so a long record judges few UPCRs; a range judged in full is not judged
// again.
func (g *responseGate) scan(hi int, best bool) string {
	done := func() bool { return g.best == topRank || (!best && g.best > 0) }
	if done() {
		return g.cat
	}
	for k := hi; k >= g.next; k-- {
		if r, cat := g.judge(k); r > g.best {
			g.best, g.cat, g.at = r, cat, g.upcr[k].Time
		}
		if done() {
			return g.cat // the answer is final: later calls return at the top
		}
	}
	g.next = max(g.next, hi+1)
	return g.cat
}

// reset starts over after a flare visit at index i: a later flare needs a
// response at a UPCR after i.
func (g *responseGate) reset(i int) {
	g.next, g.best, g.cat, g.at = i+1, 0, "", time.Time{}
	g.flare, g.since, g.sinceS = g.a.flareBase(i), g.upcr[i].Time, g.a.upcrs().at[i]
	g.lost = nil
}

// flareBase is the baseline a response after a flare is judged against:
// the UPCR at the flare visit i (an index into a.upcrs(); the flare's
// latest visit) and the creatinine-only eGFR nearest it, from 6 calendar
// months after it. The flare gate (reset) and the current state after a
// flare (markFlareState) both use it: one baseline after a flare.
func (a *assessor) flareBase(i int) *gateBase {
	ul := a.upcrs()
	gb := &gateBase{upcr: ul.q[i], at: ul.obs[i].Time, six: ul.obs[i].Time.AddDate(0, 6, 0)}
	if ce, ok := a.nearEGFR(i); ok {
		gb.ok, gb.egfr = true, ce.cr
	}
	return gb
}

// judge applies the configured response rule at the UPCR k (o, an index
// into g.upcr) against the baseline of
// the latest induction episode started before o, as judgeEpisode does: from
// 6 calendar months after the start, with the creatinine-only eGFR nearest
// o within 90 days. It returns the rank and category, 0 and "" when o
// cannot be judged or shows no response.
func (g *responseGate) judge(k int) (int, string) {
	if g.flare != nil {
		return g.judgeAgainst(k, g.since, g.sinceS, g.flare)
	}
	o := &g.upcr[k]
	a := g.a
	ei := -1
	for i := range g.eps {
		if g.eps[i].start.Before(o.Time) {
			ei = i
		}
	}
	if ei < 0 {
		return 0, ""
	}
	e := g.eps[ei]
	gb := g.episodeBase(ei)
	if !gb.ok || o.Time.Before(gb.six) {
		return 0, ""
	}
	rv := a.rankAt(e.start, gb.upcr, gb.egfr, k)
	if !rv.ok || rv.err != nil {
		return 0, ""
	}
	return responseRank(rv.cat), rv.cat
}

// episodeBase is the baseline of the induction episode ei, as
// judgeEpisode reads it: the latest measured UPCR and the creatinine-only
// eGFR nearest the start within the baseline lookback before it.
func (g *responseGate) episodeBase(ei int) *gateBase {
	if g.base[ei] == nil {
		a, e := g.a, &g.eps[ei]
		gb := &gateBase{six: e.start.AddDate(0, 6, 0)}
		if base, ok := a.tl.Baseline(units.PCR, e.start, a.cfg.BaselineLookback); ok && base.Comparator == record.Exact {
			if be, ok := a.egfrNear(e.start, a.cfg.BaselineLookback, true); ok {
				gb.ok, gb.upcr, gb.egfr, gb.at = true, a.reportedPCR(&base), be.cr, base.Time
			}
		}
		g.base[ei] = gb
	}
	return g.base[ei]
}

// judgeAgainst is assessor.judgeAgainst.
func (g *responseGate) judgeAgainst(k int, from time.Time, fromS stamp, gb *gateBase) (int, string) {
	return g.a.judgeAgainst(k, from, fromS, gb)
}

// judgeAgainst applies the response rule at the UPCR k (an index into
// a.upcrs()) against gb, from 6 calendar months after from (KDIGO 2024 LN:
// responses are judged 6-12 months after the start of therapy). It returns
// 0 and "" when k cannot be judged (too early, no eGFR near it, no baseline
// eGFR), else the rank and the rule's category (rank 0 for "none").
func (a *assessor) judgeAgainst(k int, from time.Time, fromS stamp, gb *gateBase) (int, string) {
	o := &a.upcrs().obs[k]
	if !gb.ok || o.Time.Before(gb.six) {
		return 0, ""
	}
	ce, ok := a.nearEGFR(k)
	if !ok {
		return 0, ""
	}
	cat, err := lupus.ResponseCategory(a.cfg.ResponseRule, a.responseInput(gb.upcr, a.upcrs().q[k], gb.egfr, ce.cr, monthsAt(from, o.Time, fromS, a.upcrs().at[k])))
	if err != nil {
		return 0, ""
	}
	return responseRank(cat), cat
}

// missNoResponse names, in missing, the rises that met the flare rule but
// were not reported as flares: before any response (never), or after a
// flare with no response reached again (again).
func (a *assessor) missNoResponse(rule lupus.FlareRule, never, again []time.Time) {
	resp := string(a.cfg.ResponseRule)
	if len(never) > 0 {
		a.miss("lupus.flares", "persistent activity, no response yet: "+risesAt(never)+" the "+string(rule)+
			" flare criteria, but no partial or complete renal response ("+resp+") was reached before, so it is not a flare; a renal flare is a relapse after a documented response"+
			" (KDIGO 2012 GN guideline Table 29, EULAR/ERA-EDTA 2012). A response documented outside this record is not seen")
	}
	if len(again) > 0 {
		// The response is sought between the flare and the rise (the gate
		// reads the UPCRs before it): the rising UPCR itself may show a
		// response to the flare (lupus.response.current).
		rise := "the rise"
		if len(again) > 1 {
			rise = "each rise"
		}
		a.miss("lupus.flares", "activity persisting after a flare: "+risesAt(again)+" the "+string(rule)+
			" flare criteria, but no partial or complete renal response ("+resp+") was reached between the previous flare and "+rise+", so it is not a new flare"+
			"; a response is judged from 6 months after a flare (KDIGO 2024 LN guideline: 6-12 months after the start of therapy), so an earlier fall does not count,"+
			" and the rising UPCR itself may still be a partial response to the flare (the response's current state)")
	}
}

// risesAt is "the rise at the UPCR of D meets" or "the rises at the UPCRs
// of D1 and D2 meet".
func risesAt(ds []time.Time) string {
	if len(ds) == 1 {
		return "the rise at " + visitDates(ds) + " meets"
	}
	return "the rises at " + visitDates(ds) + " meet"
}

// visitDates lists dates for a message: every date up to four, else the
// first two, the latest and the count.
func visitDates(ds []time.Time) string {
	switch n := len(ds); {
	case n == 1:
		return "the UPCR of " + date(ds[0])
	case n <= 4:
		s := "the UPCRs of " + date(ds[0])
		for i := 1; i < n-1; i++ {
			s += ", " + date(ds[i])
		}
		return s + " and " + date(ds[n-1])
	default:
		return num(float64(n)) + " UPCRs (" + date(ds[0]) + ", " + date(ds[1]) + ", …, " + date(ds[n-1]) + ")"
	}
}
