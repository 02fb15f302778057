package assess

import (
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// stamp is an instant as whole seconds and nanoseconds since the Unix epoch.
// Stamps order exactly as time.Time's Before and After order the times they
// come from (neither has a monotonic reading: times read from a record, and
// as_of made UTC), and compare without time.Time's calls: the searches for
// the value nearest a date (a UPCR's creatinine, urine sediment and casts,
// its eGFR) are the assessment's innermost loops (issue 10 §3).
type stamp struct {
	sec  int64 // time.Time.Unix
	nsec int64 // time.Time.Nanosecond, 0 to 999,999,999
}

func stampOf(t time.Time) stamp { return stamp{t.Unix(), int64(t.Nanosecond())} }

func (x stamp) before(y stamp) bool { return x.sec < y.sec || (x.sec == y.sec && x.nsec < y.nsec) }

func (x stamp) after(y stamp) bool { return y.before(x) }

// add is time.Time.Add: the stamp of t.Add(d) for the stamp of t.
func (x stamp) add(d time.Duration) stamp {
	x.sec += int64(d / time.Second)
	x.nsec += int64(d % time.Second)
	switch {
	case x.nsec >= 1e9:
		x.sec++
		x.nsec -= 1e9
	case x.nsec < 0:
		x.sec--
		x.nsec += 1e9
	}
	return x
}

// sub is time.Time.Sub for two stamps less than about 290 years apart,
// where Sub does not saturate; callers use it inside windows of days.
func (x stamp) sub(y stamp) time.Duration {
	return time.Duration(x.sec-y.sec)*time.Second + time.Duration(x.nsec-y.nsec)
}

// searchFrom returns the index of the first stamp in ss (in time order)
// that is not before t: sort.Search with !Time.Before(t).
func searchFrom(ss []stamp, t stamp) int {
	lo, hi := 0, len(ss)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ss[m].before(t) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// obsStamps returns the stamps of the timeline's observations of an
// analyte (a.values(an), index for index), built on first use.
func (a *assessor) obsStamps(an units.Analyte) []stamp {
	i := int(an)
	if i < 0 {
		return nil
	}
	if i >= len(a.obsAt) {
		a.obsAt = append(a.obsAt, make([][]stamp, max(i+1, analyteRoom)-len(a.obsAt))...)
	}
	if a.obsAt[i] == nil {
		obs := a.values(an)
		ss := make([]stamp, len(obs))
		for k := range obs {
			ss[k] = stampOf(obs[k].Time)
		}
		a.obsAt[i] = ss
	}
	return a.obsAt[i]
}

// pointStamps returns the stamps of a.points, index for index, built on
// first use (a.points is final once egfrSeries has run).
func (a *assessor) pointStamps() []stamp {
	if a.pointAt == nil {
		a.pointAt = make([]stamp, len(a.points))
		for k := range a.points {
			a.pointAt[k] = stampOf(a.points[k].obs.Time)
		}
	}
	return a.pointAt
}

// findingStamps returns the stamps of the timeline's findings, index for
// index, built on first use.
func (a *assessor) findingStamps() []stamp {
	if a.findingAt == nil {
		a.findingAt = make([]stamp, len(a.tl.Findings))
		for k := range a.tl.Findings {
			a.findingAt[k] = stampOf(a.tl.Findings[k].Time)
		}
	}
	return a.findingAt
}

// stampCursor walks a list of stamps in time order for searches whose
// window starts do not move backwards: from returns the index of the first
// stamp not before t (searchFrom) by stepping on from the previous answer.
type stampCursor struct {
	ss []stamp
	lo int
}

func (c *stampCursor) from(t stamp) int {
	for c.lo < len(c.ss) && c.ss[c.lo].before(t) {
		c.lo++
	}
	return c.lo
}

// nearCursor is nearest over one analyte for times that do not decrease
// from call to call.
type nearCursor struct {
	a   *assessor
	obs []record.Observation
	c   stampCursor
}

func (a *assessor) cursor(an units.Analyte) nearCursor {
	return nearCursor{a: a, obs: a.values(an), c: stampCursor{ss: a.obsStamps(an)}}
}

// nearest is a.nearest(an, t, tol) for ts the stamp of t, not before the
// previous call's ts (with the same tol).
func (n *nearCursor) nearest(ts stamp, tol time.Duration) *record.Observation {
	return n.a.nearestFrom(n.obs, n.c.ss, n.c.from(ts.add(-tol)), ts, tol)
}

// findingCursor is a stampCursor over the timeline's findings.
func (a *assessor) findingCursor() stampCursor {
	return stampCursor{ss: a.findingStamps()}
}

// subExact is time.Time.Sub for the stamps of two times less than 9e9
// seconds (about 285 years) apart, where Sub's Duration neither saturates
// nor differs; ok is false otherwise (far apart, or a stamp beyond a
// million centuries), and the caller uses Sub.
func (x stamp) subExact(y stamp) (d time.Duration, ok bool) {
	const far = 3e15 // seconds: about 95 million years
	if x.sec > far || x.sec < -far || y.sec > far || y.sec < -far {
		return 0, false
	}
	if ds := x.sec - y.sec; ds >= 9e9 || ds <= -9e9 {
		return 0, false
	}
	return x.sub(y), true
}

// monthsAt is months(a, b) for the stamps as and bs of a and b.
func monthsAt(a, b time.Time, as, bs stamp) float64 {
	if d, ok := bs.subExact(as); ok {
		return d.Hours() / 24 / 30.4375
	}
	return months(a, b)
}

// ageYearsAt is ageYears(birth, t) for the stamps bs and ts of birth and t.
func ageYearsAt(birth, t time.Time, bs, ts stamp) float64 {
	if d, ok := ts.subExact(bs); ok {
		return d.Hours() / 24 / 365.25
	}
	return ageYears(birth, t)
}
