package assess

import (
	"time"

	"renalwatch/lupus"
	"renalwatch/record"
)

// Proteinuria monitoring intervals by population, ACR 2024 LN guideline
// (Sammaritano et al. Arthritis Care Res 2025;77:1045; confirmed with the
// search tool): screen for proteinuria at least every 6-12 months (or at an
// extrarenal flare) in SLE without known kidney disease; quantify it at
// least every 3 months in lupus nephritis until complete renal response,
// and every 3-6 months once the complete response is sustained. The
// monitoring-overdue alert is raised after the longer end of each range
// (calendar months taken as 30.5 days: 3 months = 92 days, 6 = 183, 12 =
// 365).
const (
	lnActiveEvery   = 92 * day  // lupus nephritis, not in complete renal response
	lnCompleteEvery = 183 * day // lupus nephritis in complete renal response
	sleScreenEvery  = 365 * day // SLE without known lupus nephritis
)

// knownNephritis reports whether the record shows lupus nephritis at or
// before as_of: a lupus nephritis diagnosis, a kidney biopsy with an ISN/RPS
// class, or a renal SLEDAI-2K descriptor (urinary casts, haematuria,
// proteinuria or pyuria; Mina 2016) recorded present. An SLE diagnosis or
// non-renal SLEDAI-2K findings alone are SLE without known nephritis, which
// ACR 2024 screens every 6-12 months rather than monitoring every 3 months.
func (a *assessor) knownNephritis() bool {
	if a.hasCondition(record.LupusNephritis) {
		return true
	}
	for _, b := range a.tl.Biopsies {
		if !b.Time.After(a.asOf) && len(b.Classes) > 0 {
			return true
		}
	}
	for i := range a.tl.Findings {
		if f := &a.tl.Findings[i]; f.Present && renalDescriptor[f.Code] && !f.Time.After(a.asOf) {
			return true
		}
	}
	return false
}

// renalDescriptor holds the renal SLEDAI-2K descriptors' names
// (lupus.SLEDAIDescriptors), built once; not modified.
var renalDescriptor = func() map[string]bool {
	renal := map[string]bool{}
	for _, d := range lupus.SLEDAIDescriptors() {
		if d.Renal {
			renal[d.Item] = true
		}
	}
	return renal
}()

// lnProteinuriaEvery is the lupus nephritis UPCR interval: every 3-6
// months when the current state of the latest induction is a complete
// renal response (lupus.response.current, so a flare after a complete
// response returns to every 3 months), every 3 months otherwise.
func (a *assessor) lnProteinuriaEvery() (time.Duration, string) {
	if r := a.response; r != nil && r.Current != nil && r.Current.State == lupus.ResponseComplete {
		return lnCompleteEvery, "lupus nephritis in complete renal response: every 3-6 months by the ACR (American College of Rheumatology) 2024 lupus nephritis guideline"
	}
	return lnActiveEvery, "lupus nephritis not in complete renal response: every 3 months by the ACR (American College of Rheumatology) 2024 lupus nephritis guideline"
}
