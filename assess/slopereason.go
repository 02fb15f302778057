package assess

import (
	"renalwatch/ckd"
)

// noSlopeReason says why no eGFR slope was fitted to pts, the
// creatinine-based eGFRs of the slope window (ckd.EGFRSlope: at least 3
// values over at least 90 days): how many there are, the span they cover,
// and that values before a kidney transplant in the window are left out
// (the graft is another kidney). The report's Not assessed list and the
// dashboard's trend say it (trial #4).
func (a *assessor) noSlopeReason(pts []ckd.Point) string {
	r := "needs at least 3 eGFR values spanning at least 90 days in the " + num(a.cfg.SlopeWindow.Hours()/24/365) + " years before as_of; " +
		slopeHave(pts, "creatinine-based")
	if t := a.transplant; t != nil && t.Start.After(a.asOf.Add(-a.cfg.SlopeWindow)) {
		r += " (only values after the kidney transplant of " + date(t.Start) + " count: the graft is another kidney)"
	}
	return r
}
