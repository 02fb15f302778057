package main

import (
	"renalwatch/assess"
	"renalwatch/internal/textfmt"
)

// inUnits returns a copy of the report whose human messages (alert
// messages, the KFRE's ACR note) quote their measured values and
// thresholds in the unit system u shows the labs in (assess.RenderQuotes),
// so that a report in SI units does not quote conventional units in its
// alerts (trial #5). It runs before safeReport, whose escaping would move
// the quoted spans. The JSON is not affected: it prints the report as
// assessed.
func inUnits(r *reportJSON, u unitSystem) *reportJSON {
	if u == unitsReported {
		return r
	}
	c := *r
	c.Alerts = textfmt.AlertsIn(r.Alerts, r.Lupus.Flares, textfmt.Display{Convert: u.show})
	if k := r.Kidney.KFRE; k != nil {
		cp := *k
		cp.ACRNote, cp.ACRNoteQuotes = assess.RenderQuotes(k.ACRNote, k.ACRNoteQuotes, u.show), nil
		c.Kidney.KFRE = &cp
	}
	return &c
}
