package assess

import (
	"time"

	"renalwatch/ckd"
)

// Steady state (trial-cli #4). A creatinine-based eGFR estimates GFR only
// when creatinine is in steady state: "estimated GFR does not reflect
// measured GFR in AKI as accurately as in CKD" (KDIGO 2012 AKI guideline,
// Table 11), and while creatinine rises fast the same value corresponds to a
// lower GFR (Chen S. J Am Soc Nephrol 2013;24:877-888, kinetic GFR). The G
// category read from it may then describe no lasting state: CKD is an
// abnormality present for more than 3 months (KDIGO 2012 CKD guideline
// 1.1.1, kept in KDIGO 2024). The KFRE was developed and validated in people
// with established CKD G3-G5 (eGFR 10-59) under nephrology care (Tangri N et
// al. JAMA 2011;305:1553-1559; Tangri 2016), not during an acute fall, where
// a high 2-year risk may reflect acute kidney injury or a rapidly progressive
// glomerulonephritis that can recover with treatment.
//
// "Changing fast" is KDIGO's functional criterion of acute kidney disease
// (AKD; KDIGO 2012 AKI guideline, Table 11): a decrease in GFR by 35% or
// more within 3 months. RenalWatch applies it to the creatinine-based eGFRs
// of the present kidney: the latest eGFR is at least 35% below the highest
// one of the 3 calendar months before it. A slower fall (29 to 23 over 8
// months, -21%) is progression, which the egfr-drop alert already raises; it
// does not put creatinine out of steady state. A fast rise (recovery,
// response, a child's growth) is not flagged: the advice, to look for acute
// kidney injury, would mislead.
const (
	// akdFall is KDIGO's AKD criterion: a GFR decrease of 35% or more.
	akdFall = 0.35
	// unsteadyStage begins the stage's warning, which ends with the fall
	// ("eGFR 38 (2026-08-01) to 14 (2026-11-01): -62%") and unsteadyAdvice.
	// It is kept short (trial #6): that CKD needs more than 3 months is
	// the Persists line's (textfmt.Persists).
	unsteadyStage = "creatinine not in steady state (acute kidney disease by KDIGO: an eGFR fall of 35% or more within 3 months, KDIGO 2012 AKI guideline Table 11): "
	// unsteadyAdvice ends the stage's warning.
	unsteadyAdvice = "; evaluate for acute kidney injury before reading the G category as CKD"
	// unsteadyKFRE is the KFRE's warning.
	unsteadyKFRE = "creatinine not in steady state: the KFRE was validated in stable CKD G3-G5 (Tangri 2011, 2016), not during an acute fall; the risk assumes the eGFR is stable"
	// unsteadyAlert ends the KFRE alerts' messages.
	unsteadyAlert = " (creatinine not in steady state: the KFRE was validated in stable CKD; evaluate the acute fall first)"
)

// steadyState sets a.unsteady, and the stage's warning, when the latest
// eGFR fell by akdFall or more from the highest creatinine-based eGFR of the
// 3 calendar months before it.
func (a *assessor) steadyState() {
	if a.latest == nil || a.onDialysis != nil || a.out.Kidney.Stage.G == nil {
		return
	}
	fall, ok := a.akdFallTo(a.latest.obs.Time)
	if !ok {
		return
	}
	a.unsteady = fall
	st := &a.out.Kidney.Stage
	st.Warnings = append(st.Warnings, unsteadyStage+a.unsteady+unsteadyAdvice)
}

// akdFallTo applies KDIGO's AKD criterion (akdFall) to the creatinine-based
// eGFR of the day at: when it is akdFall or more below the highest eGFR of
// the 3 calendar months before it, it returns the fall as the warnings
// quote it ("eGFR 38 (2026-08-01) to 14 (2026-11-01): -62%") and true.
// No eGFR on that day, or none before it in the 3 months, is no fall.
func (a *assessor) akdFallTo(at time.Time) (string, bool) {
	pts, _ := a.slopePoints(at.AddDate(0, -3, 0), at)
	if len(pts) < 2 || !sameDay(pts[len(pts)-1].Time, at) {
		return "", false
	}
	last, hi := pts[len(pts)-1], -1
	for i, p := range pts[:len(pts)-1] {
		if !sameDay(p.Time, at) && (hi < 0 || p.EGFR > pts[hi].EGFR) {
			hi = i
		}
	}
	if hi < 0 {
		return "", false
	}
	ch := ckd.RelativeChange(pts[hi].EGFR, last.EGFR)
	if ch > -akdFall {
		return "", false
	}
	pct, note := egfrPct(pts[hi].EGFR, last.EGFR, pctChange, -100*akdFall)
	return "eGFR " + ckd.EGFRText(pts[hi].EGFR) + " (" + date(pts[hi].Time) + ") to " + ckd.EGFRText(last.EGFR) + " (" + date(last.Time) + "): " + pct + "%" + paren(note), true
}

// gSince sets Stage.GSince: the first eGFR of the trailing run, over the
// present kidney, whose G category is that of the stage.
func (a *assessor) gSince() {
	st := &a.out.Kidney.Stage
	if st.G == nil || a.onDialysis != nil || a.latest == nil {
		return
	}
	var since *point // the earliest point of the run so far
	for i := len(a.points) - 1; i >= 0; i-- {
		p := &a.points[i]
		if !p.shown || !a.currentState(p.obs.Time) || p.obs.Time.After(a.latest.obs.Time) {
			continue
		}
		if g, err := ckd.GCategory(p.value); err != nil || g != *st.G {
			break
		}
		since = p
	}
	if since != nil {
		st.GSince = ptr(since.obs.Time) // one copy, not one per point of the run
	}
}
