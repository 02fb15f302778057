package assess

import "renalwatch/ckd"

// slopeFit is one fitted window of a.points (slopePoints' lo:hi): the
// fit and the slope the output shows, nil when the fit failed.
type slopeFit struct {
	lo, hi int
	err    error
	out    *Slope
}

// windowSlope is toSlope(ckd.EGFRSlope(pts), pts, eqs) for the points
// slopePoints last returned (pts, eqs), or the fit's error: the fit of a
// window of a.points is remembered, because the courses of one regimen,
// started days apart, mostly have the same eGFR values in their 12 months
// before and after (issue 10 §3). Each caller gets its own Slope.
func (a *assessor) windowSlope(pts []ckd.Point, eqs []string) (*Slope, error) {
	lo, hi := a.slopeLo, a.slopeHi
	for _, f := range a.slopeFits {
		if f.lo == lo && f.hi == hi {
			return cloned(f.out), f.err
		}
	}
	f := slopeFit{lo: lo, hi: hi}
	if s, err := ckd.EGFRSlope(pts); err == nil {
		f.out = toSlope(s, pts, eqs)
	} else {
		f.err = err
	}
	a.slopeFits = append(a.slopeFits, f)
	return cloned(f.out), f.err
}
