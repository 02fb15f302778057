package assess

import (
	"slices"
	"time"

	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// ResponseReached is the best renal response an induction episode reached:
// the rule's best category and the first UPCR that showed it.
type ResponseReached struct {
	Response    string             `json:"response"` // "complete", "partial" or "responder" (the rule's categories)
	Rule        lupus.ResponseRule `json:"rule"`
	Date        time.Time          `json:"date"`   // the UPCR that first reached it
	Months      float64            `json:"months"` // from the start of the episode to Date, 1 decimal
	UPCR        units.Quantity     `json:"upcr"`   // in the unit of report
	Provisional bool               `json:"provisional"`
}

// ResponseState is where the patient stands after the best response: the
// rule's category at the latest UPCR judged, or "flare" when a renal flare
// (lupus.flares, by the configured flare rule) followed the best response
// and no later UPCR has met a response again.
type ResponseState struct {
	State     string         `json:"state"`
	Date      time.Time      `json:"date"` // the UPCR the state was read at, or the flare's first visit
	UPCR      units.Quantity `json:"upcr"` // the latest UPCR judged, in the unit of report
	UPCRDate  time.Time      `json:"upcr_date"`
	FlareDate *time.Time     `json:"flare_date,omitempty"` // first visit of the latest flare after the best response
}

// StateFlare is ResponseState.State after a flare that followed a response.
const StateFlare = "flare"

// responseRank orders the rules' categories: a complete response (or the
// single-level "responder") outranks a partial one; the negative categories
// rank 0.
func responseRank(r string) int {
	switch r {
	case lupus.ResponseComplete, lupus.Responder:
		return 2
	case lupus.ResponsePartial:
		return 1
	}
	return 0
}

// topRank is the rank of a complete response (or "responder").
const topRank = 2

// judgement is the response rule applied at one UPCR: its category, and
// the inputs to compute the full result (criteria, warnings) for the few
// judgements the report shows.
type judgement struct {
	upcr  *record.Observation // in the timeline (shared; not to be modified)
	egfr  float64             // creatinine-only eGFR nearest the UPCR
	cat   string              // the rule's category (lupus.ResponseCategory)
	upcrQ units.Quantity
}

// full returns the rule's full result at j against the baseline UPCR bq
// and eGFR be of the episode started at start: lupus.Response with the
// inputs rankAt gave lupus.ResponseCategory, so the same category (and no
// error). The eGFRs and months are passed in a's scratch array
// (assessor.responseInput).
func (j *judgement) full(a *assessor, rule lupus.ResponseRule, start time.Time, bq units.Quantity, be float64) lupus.ResponseResult {
	res, _ := lupus.Response(rule, a.responseInput(bq, j.upcrQ, be, j.egfr, months(start, j.upcr.Time)))
	return res
}

// provisional is full(…).Provisional without writing out the criteria and
// warnings (lupus.ResponseBrief).
func (j *judgement) provisional(a *assessor, rule lupus.ResponseRule, start time.Time, bq units.Quantity, be float64) bool {
	_, p, _ := lupus.ResponseBrief(rule, a.responseInput(bq, j.upcrQ, be, j.egfr, months(start, j.upcr.Time)))
	return p
}

// judgeEpisode applies the response rule to every measured UPCR of episode
// e from 6 calendar months after its start to at (cur is the latest), each
// against the baseline UPCR bq and the baseline eGFR, and fills r with the
// best response reached.
//
// KDIGO 2024 LN guideline (Kidney Int 2024;105(1S):S1-S69, definitions of
// response; wording confirmed with the search tool): complete and partial responses are
// reached "within 6-12 months of starting therapy" (a complete response may
// take more than 12 months), and no response is the "failure to achieve a
// partial or complete response within 6-12 months of starting therapy". A
// response, once reached, is therefore not undone by a later rise of the
// UPCR: that rise is a flare (judged by the flare rule) or a loss of
// response, reported in r.Current, while r.Response stays the best
// category reached. Only an episode that never reached a response is
// "none" (or the rule's negative category), and only it raises the
// no-response alert.
//
// The detail fields (assessed_at, upcr, egfr, criteria, provisional,
// warnings, source) are those of the judgement behind r.Response: the latest
// UPCR that showed the best response (the latest evidence of it; r.Best.Date
// is when it was first reached), or the latest UPCR judged when none was
// reached.
func (a *assessor) judgeEpisode(r *Response, e episode, at time.Time, cur record.Observation, bq units.Quantity, path string) {
	sixMonths := e.start.AddDate(0, 6, 0)
	cq := reported(cur)
	r.UPCR, r.AssessedAt = &cq, ptr(cur.Time)
	if cur.Time.Before(sixMonths) {
		a.miss(path, "the latest UPCR ("+date(cur.Time)+") is less than 6 months after the start of therapy; response not judged")
		return
	}
	be, ok := a.egfrNear(e.start, a.cfg.BaselineLookback, true)
	if !ok {
		a.miss(path, "no eGFR in the "+num(a.cfg.BaselineLookback.Hours()/24)+" days before the start of therapy")
		return
	}
	// The measured UPCRs at or before as_of, from 6 months to at, after
	// the start: indices into the assessment's list.
	ul := a.upcrs()
	obs := ul.obs
	lo, hi := firstFrom(obs, sixMonths), firstAfter(obs, at)
	cand := make([]int, 0, max(hi-lo, 0))
	for i := lo; i < hi; i++ {
		if obs[i].Time.After(e.start) {
			cand = append(cand, i)
		}
	}
	var errs []string
	latestUnjudged := "" // the latest UPCR from 6 months on with no eGFR near it
	judge := func(k int) (judgement, bool) {
		o := &obs[k]
		rv := a.rankAt(e.start, bq, be.cr, k)
		ce, _ := a.nearEGFR(k)
		if !rv.ok || ce.obs.Time.After(at) {
			latestUnjudged = max(latestUnjudged, date(o.Time))
			return judgement{}, false
		}
		if rv.err != nil {
			errs = append(errs, date(o.Time)+": "+rv.err.Error())
			return judgement{}, false
		}
		return judgement{upcr: o, egfr: ce.cr, cat: rv.cat, upcrQ: ul.q[k]}, true
	}
	// Only three judgements matter: the first at the best rank, the latest
	// at the best rank, and the latest of all. Once a top-rank response is
	// found going forward, the latest top-rank one and the latest judgement
	// are found going backward from the end; the UPCRs between cannot change
	// any of the three and are not judged (a long record judges a few UPCRs,
	// not all).
	// Few judgements are kept (see above): room for them on the stack.
	var judgedBuf, backBuf [8]judgement
	judged := judgedBuf[:0]
	topAt := -1
	for i, o := range cand {
		if j, ok := judge(o); ok {
			judged = append(judged, j)
			if responseRank(j.cat) == topRank {
				topAt = i
				break
			}
		}
	}
	if topAt >= 0 {
		back := backBuf[:0]
		for i := len(cand) - 1; i > topAt; i-- {
			if j, ok := judge(cand[i]); ok {
				back = append(back, j)
				if responseRank(j.cat) == topRank {
					break
				}
			}
		}
		slices.Reverse(back)
		judged = append(judged, back...)
	}
	for _, msg := range errs {
		a.miss(path, "response not judged at the UPCR of "+msg)
	}
	if len(judged) == 0 {
		if len(errs) == 0 {
			a.miss(path, "no eGFR within 90 days of the UPCR of "+date(cur.Time))
		}
		return
	}
	last := judged[len(judged)-1]
	if latestUnjudged > date(last.upcr.Time) {
		a.miss(path+".current", "no eGFR within 90 days of the UPCR of "+latestUnjudged+": not judged; the state is read at the UPCR of "+date(last.upcr.Time))
	}
	// first: the first UPCR at the best rank; shown: the latest one.
	first, shown := last, last
	for _, j := range judged {
		if rj, rf := responseRank(j.cat), responseRank(first.cat); rj > rf || (rj == rf && rj > 0 && j.upcr.Time.Before(first.upcr.Time)) {
			first = j
		}
		if rj, rs := responseRank(j.cat), responseRank(shown.cat); rj > rs {
			shown = j
		} else if rj == rs && j.upcr.Time.After(shown.upcr.Time) {
			shown = j
		}
	}
	res := shown.full(a, r.Rule, e.start, bq, be.cr)
	if responseRank(first.cat) > 0 {
		prov := res.Provisional
		if first.upcr != shown.upcr {
			prov = first.provisional(a, r.Rule, e.start, bq, be.cr)
		}
		r.Best = &ResponseReached{Response: first.cat, Rule: r.Rule, Date: first.upcr.Time, Months: months(e.start, first.upcr.Time),
			UPCR: first.upcrQ, Provisional: prov}
	}
	r.Current = &ResponseState{State: last.cat, Date: last.upcr.Time, UPCR: last.upcrQ, UPCRDate: last.upcr.Time}
	r.UPCR, r.AssessedAt = ptr(shown.upcrQ), ptr(shown.upcr.Time)
	r.BaselineEGFR, r.EGFR = ptr(be.cr), ptr(shown.egfr)
	r.Response, r.Provisional, r.Criteria, r.Warnings, r.Source = ptr(res.Response), res.Provisional, res.Criteria, res.Warnings, res.Source
}

// markFlareState sets r.Current to "flare" when a renal flare found by the
// configured flare rule started after the best response and no UPCR
// judged after the flare's last visit meets a response again. A flare
// after a response is a relapse, not a non-response: the ACR 2024 LN
// guideline names them apart ("LN flare or non-response after six months
// of therapy", checked with the search tool). Called after flares.
func (a *assessor) markFlareState(r *Response) {
	if r == nil || r.Best == nil || r.Current == nil {
		return
	}
	var f *FlareEvent
	for i, fl := range a.out.Lupus.Flares {
		if fl.Date.After(r.Best.Date) && !fl.Date.After(r.Current.UPCRDate) {
			f = &a.out.Lupus.Flares[i]
		}
	}
	if f == nil {
		return
	}
	r.Current.FlareDate = ptr(f.Date)
	if r.Current.UPCRDate.After(f.LastDate) && responseRank(r.Current.State) > 0 {
		return // a response met again after the flare
	}
	r.Current.State, r.Current.Date = StateFlare, f.Date
}
