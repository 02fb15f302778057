package assess

import (
	"slices"
	"time"

	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// upcrList is the measured UPCRs at or before as_of (no bounds), in time
// order, with what every rule reads of each, computed once per assessment:
// the stage, the response of lupus and of each therapy, and the flare rules
// all read the same UPCRs (issue 10 §3: index once, share).
type upcrList struct {
	obs []record.Observation // the timeline's own slice (shared, not modified) when every one is measured, else a copy without the bounds
	q   []units.Quantity     // each UPCR in the unit of report (reported)
	at  []stamp              // each UPCR's time
	// near is the creatinine-only eGFR nearest each UPCR within 90 days
	// (egfrNear(t, 90 days, false); nil when none), read on first use.
	near     []*point
	nearDone []bool
	// ranks holds rankAt's judgements, per episode start; their
	// categories and errors are held in cats and errs (rankSlot).
	ranks []episodeRanks
	cats  []string
	errs  []error
}

// episodeRanks is rankAt's judgements of the UPCRs (by index into
// upcrList.obs) against the baseline of the episode started at start.
type episodeRanks struct {
	start  time.Time
	startS stamp
	vals   []rankSlot
}

// rankSlot is a rankVal as the list keeps it: 8 bytes without pointers
// (an assessment keeps one per UPCR and episode), its category an index
// into upcrList.cats and its error, if any, at errs[err-1].
type rankSlot struct {
	done, ok bool
	cat      uint8
	err      int32
}

// slot returns v as a rankSlot of l.
func (l *upcrList) slot(v rankVal) rankSlot {
	s := rankSlot{done: v.done, ok: v.ok}
	if v.err != nil {
		l.errs = append(l.errs, v.err)
		s.err = int32(len(l.errs))
	}
	i := slices.Index(l.cats, v.cat)
	if i < 0 {
		if len(l.cats) > 255 {
			panic("assess: more than 256 response categories") // lupus has 7
		}
		i = len(l.cats)
		l.cats = append(l.cats, v.cat)
	}
	s.cat = uint8(i)
	return s
}

// val returns the rankVal of s, a rankSlot of l.
func (l *upcrList) val(s rankSlot) rankVal {
	v := rankVal{done: s.done, ok: s.ok, cat: l.cats[s.cat]}
	if s.err > 0 {
		v.err = l.errs[s.err-1]
	}
	return v
}

// upcrs returns the assessment's measured UPCRs, built on first use.
func (a *assessor) upcrs() *upcrList {
	if a.upcr != nil {
		return a.upcr
	}
	obs := a.upTo(units.PCR)
	if slices.ContainsFunc(obs, func(o record.Observation) bool { return o.Comparator != record.Exact }) {
		obs = slices.DeleteFunc(slices.Clone(obs), func(o record.Observation) bool { return o.Comparator != record.Exact })
	}
	n := len(obs)
	l := &upcrList{obs: obs, q: make([]units.Quantity, n), at: make([]stamp, n), near: make([]*point, n), nearDone: make([]bool, n)}
	// A record's UPCRs mostly share one source unit: it is looked up once
	// per run of the same unit (reported, reportedIn).
	var lastUnit string
	var u units.Unit
	var uOK, looked bool
	for i := range obs {
		o := &obs[i]
		l.at[i] = stampOf(o.Time)
		srcUnit := o.SourceUnit()
		switch {
		case units.Unit(srcUnit) == o.Value.Unit:
			l.q[i] = o.Value
		default:
			if !looked || srcUnit != lastUnit {
				lastUnit, looked = srcUnit, true
				u, uOK = units.LookupUnit(lastUnit)
			}
			l.q[i] = reportedIn(o, u, uOK)
		}
	}
	a.upcr = l
	return l
}

// reportedPCR is reportedAt(o) for a UPCR: the value upcrs computed for a
// UPCR of the list with the same inputs (time, source unit and value,
// stored value), else reportedAt's own. The baseline and follow-up UPCRs
// of every course and response are list UPCRs: read, not parsed again.
func (a *assessor) reportedPCR(o *record.Observation) units.Quantity {
	l := a.upcrs()
	ts := stampOf(o.Time)
	for k := searchFrom(l.at, ts); k < len(l.at) && !l.at[k].after(ts); k++ {
		if x := &l.obs[k]; x.Analyte == o.Analyte && x.Value == o.Value && x.Source == o.Source && x.SourceValue == o.SourceValue {
			return l.q[k]
		}
	}
	return reportedAt(o)
}

// nearEGFR is egfrNear(obs[k].Time, 90 days, false), computed once per UPCR.
// The point is a.points' own (shared, not to be modified).
func (a *assessor) nearEGFR(k int) (*point, bool) {
	l := a.upcrs()
	if !l.nearDone[k] {
		l.near[k], _ = a.egfrNear(l.obs[k].Time, 90*day, false)
		l.nearDone[k] = true
	}
	return l.near[k], l.near[k] != nil
}

// responseInput is the lupus.ResponseInput of a UPCR judged against a
// baseline. Its eGFRs and months point into the assessor's scratch array,
// which lupus reads only during the call and keeps no pointer to, so the
// hundreds of judgements of an assessment allocate nothing for them (the
// escape analysis cannot see that and would move each to the heap).
// The input is valid until the next call.
func (a *assessor) responseInput(bq, q units.Quantity, be, cr, m float64) lupus.ResponseInput {
	a.scratch = [3]float64{be, cr, m}
	return lupus.ResponseInput{BaselineUPCR: bq, UPCR: q, BaselineEGFR: &a.scratch[0], EGFR: &a.scratch[1], Months: &a.scratch[2]}
}

// rankVal is the response rule's category at one UPCR. The UPCR in the
// unit of report and the nearest eGFR are the upcrList's (q, nearEGFR).
type rankVal struct {
	done bool // judged
	ok   bool // a creatinine-only eGFR was found within 90 days of the UPCR
	cat  string
	err  error
}

// rankAt judges the UPCR k (an index into upcrs().obs) against the baseline
// UPCR bq and eGFR be of the episode started at start, with the
// creatinine-only eGFR nearest the UPCR within 90 days and the months from
// start to it, by lupus.ResponseCategory. The baseline UPCR and eGFR are
// functions of the start (the latest measured UPCR and the nearest eGFR
// within the baseline lookback before it), so the judgement is too: each
// UPCR is judged once per episode and assessment, and judgeEpisode (for
// lupus.response and each therapy's effect) and the flare gate share it.
func (a *assessor) rankAt(start time.Time, bq units.Quantity, be float64, k int) rankVal {
	l := a.upcrs()
	var er *episodeRanks
	for i := range l.ranks {
		if l.ranks[i].start.Equal(start) {
			er = &l.ranks[i]
			break
		}
	}
	if er == nil {
		l.ranks = append(l.ranks, episodeRanks{start: start, startS: stampOf(start), vals: make([]rankSlot, len(l.obs))})
		er = &l.ranks[len(l.ranks)-1]
	}
	if er.vals[k].done {
		return l.val(er.vals[k])
	}
	v := rankVal{done: true}
	if ce, ok := a.nearEGFR(k); ok {
		v.ok = true
		v.cat, v.err = lupus.ResponseCategory(a.cfg.ResponseRule, a.responseInput(bq, l.q[k], be, ce.cr, monthsAt(start, l.obs[k].Time, er.startS, l.at[k])))
	}
	er.vals[k] = l.slot(v)
	return v
}
