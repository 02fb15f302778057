package assess

import (
	"slices"
	"sort"
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
	// After a flare, the baseline the state is judged against: the UPCR of
	// the flare's latest visit and its date (markFlareState); omitted
	// otherwise (the episode's baseline_upcr).
	BaselineUPCR *units.Quantity `json:"baseline_upcr,omitempty"`
	BaselineDate *time.Time      `json:"baseline_date,omitempty"`
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
// (assessor.responseInput). The patient's age at the UPCR (when known)
// only adds the child caveat (trial 3 #4).
func (j *judgement) full(a *assessor, rule lupus.ResponseRule, start time.Time, bq units.Quantity, be float64) lupus.ResponseResult {
	res, _ := lupus.Response(rule, a.responseInput(bq, j.upcrQ, be, j.egfr, months(start, j.upcr.Time)))
	if age, ok := a.tl.Patient.AgeAt(j.upcr.Time); ok {
		lupus.ChildThresholds(&res, age)
	}
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
	// The values r points to, in one allocation: the latest UPCR until a
	// judgement is shown (then the shown one's values replace them).
	box := &responseBox{upcr: a.reportedPCR(&cur), at: cur.Time}
	r.UPCR, r.AssessedAt = &box.upcr, &box.at
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
	// The candidates are obs[lo:lo+n]: every one is after the start, as
	// it is at or after sixMonths (AddDate moves forward).
	lo := firstFrom(obs, sixMonths)
	n := max(firstAfter(obs, at)-lo, 0)
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
	relapsed := false // a flare followed the first response: the candidates end before it
	for i := 0; i < n; i++ {
		j, ok := judge(lo + i)
		if !ok {
			continue
		}
		judged = append(judged, j)
		if rk := responseRank(j.cat); rk > 0 && !relapsed {
			// After a flare a UPCR is judged against the flare, not
			// this episode's baseline (markFlareState, responseGate):
			// the episode's judgements end at the flare's first visit.
			if f := a.flareAfter(j.upcr.Time, at); f != nil {
				relapsed = true
				n = sort.Search(n, func(i int) bool { return !obs[lo+i].Time.Before(f.Date) })
			}
		}
		if responseRank(j.cat) == topRank {
			topAt = i
			break
		}
	}
	if topAt >= 0 {
		back := backBuf[:0]
		for i := n - 1; i > topAt; i-- {
			if j, ok := judge(lo + i); ok {
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
	if latestUnjudged > date(last.upcr.Time) && !relapsed { // after a flare, markFlareState reads the state
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
	box.upcr, box.at, box.be, box.egfr, box.response = shown.upcrQ, shown.upcr.Time, be.cr, shown.egfr, res.Response
	r.BaselineEGFR, r.EGFR, r.Response = &box.be, &box.egfr, &box.response
	r.Provisional, r.Criteria, r.Warnings, r.Source = res.Provisional, res.Criteria, res.Warnings, res.Source
}

// responseBox holds the values a Response judged by judgeEpisode points
// to (upcr, assessed_at, baseline_egfr, egfr, response), allocated once
// per judgement rather than one allocation each. Nothing writes through
// those pointers.
type responseBox struct {
	upcr     units.Quantity
	at       time.Time
	be, egfr float64
	response string
}

// flareAfter returns the first renal flare (lupus.flares, by the
// configured flare rule) whose first visit is after t and not after at, or
// nil.
func (a *assessor) flareAfter(t, at time.Time) *FlareEvent {
	for i := range a.out.Lupus.Flares {
		if f := &a.out.Lupus.Flares[i]; f.Date.After(t) && !f.Date.After(at) {
			return f
		}
	}
	return nil
}

// markFlareState reads r.Current, the state at the time judged (at), when
// a renal flare found by the configured flare rule started after the best
// response: the flare is a relapse, and the response to it is judged as the
// flare gate judges it (responseGate): each UPCR after the flare's latest
// visit against that visit's UPCR and eGFR (flareBase), from 6 calendar
// months after it, never against the episode's baseline (judgeEpisode
// stops at the flare). KDIGO 2024 LN guideline (Kidney Int
// 2024;105(1S):S1-S69): a flare is treated with the initial therapy and
// its response judged the same way, 6-12 months after the start. The
// state is the rule's category at the latest UPCR after the flare that
// can be judged (r.Current.Baseline* name the flare visit), or "flare"
// when that UPCR shows no response or none can be judged yet. A flare
// after a response is a relapse, not a non-response: the ACR 2024 LN
// guideline names them apart ("LN flare or non-response after six months
// of therapy", checked with the search tool). Called after flares.
//
// When the flare's UPCR is below 0.5 g/g (a flare by creatinine or
// sediment), the proteinuria rules have nothing to judge a response from
// (lupus.BaselineBelowActive): the state stays "flare" and missing (path)
// says why.
func (a *assessor) markFlareState(r *Response, at time.Time, path string) {
	if r == nil || r.Best == nil || r.Current == nil {
		return
	}
	var f *FlareEvent
	for i, fl := range a.out.Lupus.Flares {
		if fl.Date.After(r.Best.Date) && !fl.Date.After(at) {
			f = &a.out.Lupus.Flares[i]
		}
	}
	if f == nil {
		return
	}
	ul := a.upcrs()
	gb, fromS := a.flareBase(f.last), ul.at[f.last]
	c := &ResponseState{State: StateFlare, Date: f.Date, FlareDate: ptr(f.Date), BaselineUPCR: &gb.upcr, BaselineDate: ptr(f.LastDate)}
	k := firstAfter(ul.obs, at) - 1
	c.UPCR, c.UPCRDate = ul.q[k], ul.obs[k].Time
	for ; k > f.last; k-- {
		rk, cat := a.judgeAgainst(k, f.LastDate, fromS, gb)
		if cat == "" {
			continue // not judged (too early, no eGFR near it)
		}
		c.UPCR, c.UPCRDate = ul.q[k], ul.obs[k].Time
		if rk > 0 {
			c.State, c.Date = cat, ul.obs[k].Time
		}
		if cat == lupus.ResponseNotApplicable {
			a.miss(path+".current", "the response to the flare of "+date(f.Date)+" is not judged: the UPCR at its latest visit ("+
				date(f.LastDate)+") is below 0.5 g/g (50 mg/mmol): no proteinuria to respond from (KDIGO 2024 LN response definitions reduce proteinuria from active levels); the state stays flare")
		}
		break
	}
	r.Current = c
}
