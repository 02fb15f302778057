package assess

import (
	"time"

	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// rankKey is one UPCR judged against the baseline of the induction episode
// started at start. The baseline UPCR and eGFR are functions of the start
// (the latest measured UPCR and the nearest eGFR within the baseline
// lookback before it), so the judgement is too: judgeEpisode (for
// lupus.response and each therapy's effect) and the flare gate share it.
type rankKey struct {
	start int64               // episode start, Unix nanoseconds
	o     *record.Observation // the UPCR (a pointer into the timeline, or a copy: a copy only misses the cache)
}

// rankVal is the response rule's category at one UPCR.
type rankVal struct {
	q   units.Quantity // the UPCR in the unit of report
	ok  bool           // a creatinine-only eGFR was found within 90 days of the UPCR
	ceT time.Time      // the date of the nearest one
	cr  float64        // and its value
	cat string
	err error
}

// rankAt judges o against the baseline UPCR bq and eGFR be of the episode
// started at start, with the creatinine-only eGFR nearest o within 90 days
// and the months from start to o, by lupus.ResponseCategory; each UPCR is
// judged once per episode and assessment.
func (a *assessor) rankAt(start time.Time, bq units.Quantity, be float64, o *record.Observation) rankVal {
	k := rankKey{start.UnixNano(), o}
	if v, ok := a.ranks[k]; ok {
		return v
	}
	v := rankVal{q: a.reportedOf(o)}
	ce, ok := a.egfrNear(o.Time, 90*day, false)
	if ok {
		v.ok, v.ceT, v.cr = true, ce.obs.Time, ce.cr
		m, cr := months(start, o.Time), ce.cr
		v.cat, v.err = lupus.ResponseCategory(a.cfg.ResponseRule, lupus.ResponseInput{BaselineUPCR: bq, UPCR: v.q,
			BaselineEGFR: &be, EGFR: &cr, Months: &m})
	}
	if a.ranks == nil {
		a.ranks = make(map[rankKey]rankVal, len(a.tl.Values(units.PCR)))
	}
	a.ranks[k] = v
	return v
}

// reportedOf is reported(*o), computed once per observation and
// assessment (the UPCRs are read by the stage, the response, each therapy's
// effect and the flare rules). o points into the timeline (shared, not
// modified); a pointer to a copy only misses the cache.
func (a *assessor) reportedOf(o *record.Observation) units.Quantity {
	if q, ok := a.reportedQ[o]; ok {
		return q
	}
	q := reported(*o)
	if a.reportedQ == nil {
		a.reportedQ = make(map[*record.Observation]units.Quantity, len(a.tl.Values(units.PCR))+len(a.tl.Values(units.Creatinine)))
	}
	a.reportedQ[o] = q
	return q
}
