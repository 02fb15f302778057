package textfmt

import (
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// NotUsed is one line of the "Not used" list (assess.NotUsed: a stored
// record its source retracted): "Creatinine 3.50 mg/dL on 2025-11-03
// (Observation/cr2): retracted by the source (status entered-in-error):
// kept in the store, not used in this assessment", or for an observation
// the source corrected "Creatinine 2.35 mg/dL on 2026-09-17
// (Observation/cr35): replaced by a correction from the source (1.20
// mg/dL, status corrected): kept in the store, not used in this
// assessment", or for an eGFR RenalWatch computed in an earlier report
// (assess.ComputedEarlier) "eGFR 27 mL/min/1.73 m² on 2026-09-17
// (Observation/…): computed by RenalWatch with … in an earlier report, not
// a laboratory result: not used; …", its value rounded as the report
// rounds the eGFRs it computes. The text report and the dashboard's patient page print it,
// so they agree.
func NotUsed(n assess.NotUsed, d Display) string {
	what := n.What
	if an, ok := units.ParseAnalyte(n.What); ok {
		what = LabName(n.What)
		if n.Value != nil {
			what += " " + notUsedValue(an, n, d, true)
		}
	} else if _, ok := record.ParseConditionKind(n.What); ok {
		what = "Diagnosis " + strings.NewReplacer("sle", "SLE", "ckd", "CKD", "_", " ").Replace(n.What)
	}
	on := ", date not recorded"
	if n.Date != nil {
		on = " on " + n.Date.UTC().Format(time.DateOnly)
	}
	reason, id := n.Reason, n.ID
	if n.EarlierCorrection != "" {
		id += ", an earlier correction, status " + n.EarlierCorrection
	}
	if c := n.CorrectedBy; c != nil {
		v := c.Comparator + c.Value.Text()
		if an, ok := units.ParseAnalyte(n.What); ok {
			q := d.Show(an, c.Value)
			v = LabQ(an, q)
			if c.Comparator != "" {
				v = c.Comparator + MeasuredQ(q)
			}
		}
		if n.Date == nil || !n.Date.Equal(c.Date) {
			v += " on " + c.Date.UTC().Format(time.DateOnly)
		}
		reason = "replaced by a correction from the source (" + v + ", status " + c.Status + "): kept in the store, not used in this assessment"
	}
	return what + on + " (" + id + "): " + reason
}

// notUsedValue is the value of n, an observation of an with a value, as
// its Not used line shows it, with its unit or without.
func notUsedValue(an units.Analyte, n assess.NotUsed, d Display, withUnit bool) string {
	q := d.Show(an, *n.Value)
	unit := ""
	if withUnit {
		unit = q.Unit.Display()
	}
	v := Lab(an, q.Value, q.Unit)
	if n.Comparator != "" {
		v = Measured(q.Value)
	} else if n.Origin == assess.OriginRenalWatchReport {
		// RenalWatch's own unrounded result: rounded as the report
		// rounds the eGFRs it computes (ckd.EGFRText).
		return EGFR(q.Value, unit)
	}
	if unit != "" {
		v += " " + unit
	}
	return n.Comparator + v
}
