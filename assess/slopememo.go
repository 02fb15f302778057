package assess

import (
	"sort"
	"time"

	"renalwatch/ckd"
)

// slopeFit is the eGFR slope of one window of a.points (lo:hi, the points
// slopePoints reads for it): the slope the output shows, or the fit's
// error and what the window has (slopeHave of its points), and the times
// of its first and last points.
type slopeFit struct {
	lo, hi      int
	out         *Slope
	err         error
	have        string
	first, last time.Time
}

// windowFit is the fit of the creatinine-only eGFR points in [from, to]
// (slopePoints): toSlope(ckd.EGFRSlope(pts), pts, eqs) and what the
// messages read of the points. A window's fit is remembered, because the
// courses of one regimen, started days apart, mostly have the same eGFR
// values in their 12 months before and after (issue 10 §3); the points
// are not even collected again. The fit is shared: callers copy out.
func (a *assessor) windowFit(from, to time.Time) *slopeFit {
	ss := a.pointStamps()
	lo, toS := searchFrom(ss, stampOf(from)), stampOf(to)
	hi := lo + sort.Search(len(ss)-lo, func(i int) bool { return ss[lo+i].after(toS) })
	for i := range a.slopeFits {
		if f := &a.slopeFits[i]; f.lo == lo && f.hi == hi {
			return f
		}
	}
	pts, eqs := a.slopePoints(from, to)
	f := slopeFit{lo: lo, hi: hi}
	if s, err := ckd.EGFRSlope(pts); err == nil {
		f.out = toSlope(s, pts, eqs)
		f.first, f.last = pts[0].Time, pts[len(pts)-1].Time
	} else {
		f.err, f.have = err, slopeHave(pts, "")
	}
	a.slopeFits = append(a.slopeFits, f)
	return &a.slopeFits[len(a.slopeFits)-1]
}
