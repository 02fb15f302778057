package assess

import (
	"strings"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// NotUsed is a stored record the assessment leaves out, and why: a record
// the source retracted as entered in error (record.Retraction; trial 3
// #2), an observation it replaced by a correction (record.NewCorrection),
// or an eGFR RenalWatch computed in an earlier report and read back from
// its FHIR Bundle (ComputedEarlier). The record stays in the store as it
// was; nothing of the assessment rests on it.
type NotUsed struct {
	Kind string `json:"kind"` // "observation" or "condition"
	ID   string `json:"id"`   // the stored record's id
	// Date is the observation's time or the condition's onset; null when
	// the source gave none.
	Date *time.Time `json:"date"`
	// What names the record: the analyte ("creatinine") or the
	// condition kind ("lupus_nephritis").
	What string `json:"what"`
	// Value and Comparator are an observation's value in its canonical
	// unit, unrounded.
	Value      *units.Quantity `json:"value,omitempty"`
	Comparator string          `json:"comparator,omitempty"`
	// Reason says why it is not used, with the source's status.
	Reason string `json:"reason"`
	// CorrectedBy is, for an observation the source replaced by a
	// correction (record.NewCorrection), the correction in use.
	CorrectedBy *Correction `json:"corrected_by,omitempty"`
	// EarlierCorrection is set when the record left out is itself a
	// correction the source sent before the one in use: its status
	// ("amended" or "corrected").
	EarlierCorrection string `json:"earlier_correction,omitempty"`
	// Origin names where a record left out for what it is, not for its
	// source's status, came from: OriginRenalWatchReport for an eGFR
	// RenalWatch computed in an earlier report (ComputedEarlier). Equation
	// is then the RenalWatch equation code that computed it
	// ("ckd-epi-2021").
	Origin   string `json:"origin,omitempty"`
	Equation string `json:"equation,omitempty"`
}

// Correction is the value a source's correction (FHIR Observation status
// amended or corrected) put in place of a stored observation: in the
// analyte's canonical unit, unrounded.
type Correction struct {
	Value      units.Quantity `json:"value"`
	Comparator string         `json:"comparator,omitempty"`
	Date       time.Time      `json:"date"`
	// Status is the source's status: "amended" or "corrected".
	Status string `json:"status"`
}

// notUsed lists the retracted records of the timeline dated at or before
// the effective date (or undated), in the timeline's order.
func (a *assessor) notUsed() {
	for _, x := range a.tl.Retracted {
		if t := x.Time(); !t.IsZero() && t.After(a.asOf) {
			continue
		}
		n := NotUsed{Kind: x.Retraction.Kind, ID: x.Retraction.Target,
			Reason: "retracted by the source (" + x.Retraction.Status + "): kept in the store, not used in this assessment"}
		if c := x.Retraction.Replacement; c != nil {
			n.Kind = record.RetractObservation
			n.CorrectedBy = &Correction{Value: c.Value, Comparator: string(c.Comparator), Date: c.Time.UTC(),
				Status: strings.TrimPrefix(x.Retraction.Status, "status ")}
			n.Reason = "replaced by a correction from the source (" + string(c.Comparator) + c.Value.Text() + ", " + x.Retraction.Status +
				"): kept in the store, not used in this assessment"
			if e := x.Earlier; e != nil {
				n.EarlierCorrection = strings.TrimPrefix(e.Status, "status ")
				n.Reason = "an earlier correction (" + e.Status + "), " + n.Reason
			}
		}
		if t := x.Time(); !t.IsZero() {
			t = t.UTC()
			n.Date = &t
		}
		switch {
		case x.Observation != nil:
			o := x.Observation
			n.ID, n.What, n.Comparator = o.ID, o.Analyte.String(), string(o.Comparator)
			v := o.Value
			n.Value = &v
		case x.Condition != nil:
			n.ID, n.What = x.Condition.ID, x.Condition.Kind.String()
		}
		a.out.NotUsed = append(a.out.NotUsed, n)
	}
}
