package assess

import (
	"math"
	"time"

	"renalwatch/ckd"
)

// slopeHave is what an eGFR slope that ckd.EGFRSlope refused had, naming
// the condition that failed (trial 3 #8: "have 3" when three values were
// there but spanned 31 days): "have 2" below ckd.MinSlopePoints values,
// with the span of two ("have 2, spanning 63 days"), else "have 3,
// spanning only 31 days" (ckd.MinSlopeDays: KDIGO 2012 rec 2.1.3 judges
// progression over at least 90 days; lupus.md §7.4).
// what names the values ("creatinine-based"), or "".
func slopeHave(pts []ckd.Point, what string) string {
	s := "have " + num(float64(len(pts)))
	if what != "" {
		s += " " + what
	}
	if len(pts) < 2 {
		return s
	}
	first, last := pointSpan(pts)
	span := ", spanning only "
	if len(pts) < ckd.MinSlopePoints {
		span = ", spanning "
	}
	return s + span + num(math.Floor(last.Sub(first).Hours()/24)) + " days"
}

// pointSpan returns the earliest and latest times of pts (not empty),
// which need not be in time order.
func pointSpan(pts []ckd.Point) (first, last time.Time) {
	first, last = pts[0].Time, pts[0].Time
	for _, p := range pts {
		if p.Time.Before(first) {
			first = p.Time
		}
		if p.Time.After(last) {
			last = p.Time
		}
	}
	return first, last
}
