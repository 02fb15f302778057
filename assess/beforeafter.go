package assess

import (
	"strings"
	"time"
)

// effectNote is Effect.Note for the course starting at start (trial
// 8 F1): what in the 12 months before the start the record shows that
// makes a steeper slope before and a flatter one after, or a UPCR fall,
// expected without any effect of the therapy (RegressionCaveat):
//
//   - the latest renal flare (lupus.flares, by the configured flare rule
//     and its source) dated in the 12 months before the start, or on it:
//     the values before include the flare that may have prompted the
//     course;
//   - a last eGFR of the slope before taken during an acute fall: KDIGO's
//     functional criterion of acute kidney disease, a GFR decrease of 35%
//     or more within 3 months (KDIGO 2012 AKI guideline, Table 11; the
//     stage's steady-state check, akdFallTo), when creatinine is not in
//     steady state and the eGFR does not estimate GFR.
//
// and, after, a kidney transplant in the 12 months after the start: the
// slope after is then the graft's. (Creatinine taken on dialysis gives no
// eGFR, so no slope holds it.)
//
// An effect with no value (no slope, no UPCR change) gets no note.
func (a *assessor) effectNote(start time.Time, e Effect) string {
	if e.EGFRSlopeBefore == nil && e.EGFRSlopeAfter == nil && e.UPCRChange6m == nil && e.UPCRChange12m == nil {
		return ""
	}
	var notes []string
	var flare *FlareEvent
	for i, f := range a.out.Lupus.Flares {
		if !f.Date.After(start) && !f.Date.Before(start.AddDate(-1, 0, 0)) && (flare == nil || f.Date.After(flare.Date)) {
			flare = &a.out.Lupus.Flares[i]
		}
	}
	if flare != nil {
		notes = append(notes, "a renal flare ("+string(flare.Rule)+") on "+date(flare.Date)+" is among the values before")
	}
	if s := e.EGFRSlopeBefore; s != nil {
		if fall, ok := a.akdFallTo(s.To); ok {
			notes = append(notes, "the last eGFR before the start was taken during an acute fall ("+fall+
				"; acute kidney disease: a fall of 35% or more within 3 months, KDIGO 2012 AKI guideline Table 11), when creatinine is not in steady state")
		}
	}
	if len(notes) > 0 {
		notes = []string{strings.Join(notes, "; ") + "; a steeper slope before and a flatter one after are then expected without any effect of the therapy (regression to the mean)"}
	}
	// The slopes leave out the values before the latest kidney transplant
	// (slopePoints): a course started before it has a slope after of the
	// graft (the dialysis demo's prednisone of the day before).
	if tx := a.transplant; tx != nil && e.EGFRSlopeAfter != nil && tx.Start.After(start) && !tx.Start.After(start.Add(365*day)) {
		notes = append(notes, "the kidney transplant of "+date(tx.Start)+" is in the 12 months after the start: the eGFR values after are the graft's, not those of the kidneys the course was started for")
	}
	return strings.Join(notes, ". ")
}
