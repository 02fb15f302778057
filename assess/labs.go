package assess

import (
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// LatestLab is the latest value of one laboratory test or vital sign at or
// before effective_date, with the value before it: the "latest labs" table
// of the text report. Value and Previous are in the unit the laboratory
// reported Value in (a ratio reported in mg/mmol stays in mg/mmol; the
// previous value is converted exactly to that unit), unrounded.
type LatestLab struct {
	// Analyte is the analyte's name as CSV files and flags write it
	// ("creatinine", "pcr", "systolic_bp"; "egfr" is kidney.egfr).
	Analyte string         `json:"analyte"`
	Value   units.Quantity `json:"value"`
	// Comparator is "<", "<=", ">" or ">=" for a value reported as a
	// bound ("<10 [IU]/mL"); empty for a measurement.
	Comparator    string    `json:"comparator,omitempty"`
	Date          time.Time `json:"date"`
	ObservationID string    `json:"observation_id,omitempty"`
	// Equation names the equation of an eGFR row (kidney.egfr.equation).
	Equation           string          `json:"equation,omitempty"`
	Previous           *units.Quantity `json:"previous"` // null: no earlier value
	PreviousComparator string          `json:"previous_comparator,omitempty"`
	// PreviousAsReported is the previous value in the unit the laboratory
	// reported it in, present only when that differs from value's unit
	// (then previous is its exact conversion).
	PreviousAsReported *units.Quantity `json:"previous_as_reported,omitempty"`
	PreviousDate       *time.Time      `json:"previous_date"`
	// PreviousNotComparable says why previous describes another kidney
	// state than value ("is from before the kidney transplant of
	// 2025-03-18", "was taken during dialysis (...)"); change is then null.
	PreviousNotComparable string `json:"previous_not_comparable,omitempty"`
	// Change is value − previous in the unit of value; null when there
	// is no previous value, either is a bound, or previous describes
	// another kidney state (previous_not_comparable).
	Change *float64 `json:"change"`
}

// SerologyTrend is one lupus serology test (complement C3, C4, anti-dsDNA)
// over the 12 months before effective_date, oldest first. Low complement
// and rising anti-dsDNA accompany lupus activity (SLEDAI-2K "low
// complement" and "increased DNA binding" items, Gladman DD et al.
// J Rheumatol 2002;29:288-91); RenalWatch shows the values and does not
// apply a reference range, which is the laboratory's.
type SerologyTrend struct {
	Analyte string          `json:"analyte"` // c3, c4 or anti_dsdna
	Values  []SerologyValue `json:"values"`
}

// SerologyValue is one result of a SerologyTrend, in the unit of report.
type SerologyValue struct {
	Date          time.Time      `json:"date"`
	Value         units.Quantity `json:"value"`
	Comparator    string         `json:"comparator,omitempty"`
	ObservationID string         `json:"observation_id"`
}

// labAnalytes are the rows of the latest labs table, in the order a
// nephrologist reads them: kidney function, urine, blood, serology, BP.
// The eGFR row is kidney.egfr (computed, or reported by the laboratory).
var labAnalytes = []units.Analyte{
	units.Creatinine, units.CystatinC, units.EGFR, units.ACR, units.PCR, units.UrineProtein24h,
	units.UrineRBC, units.UrineWBC, units.Hemoglobin, units.Potassium, units.Bicarbonate,
	units.Albumin, units.C3, units.C4, units.AntiDsDNA, units.SystolicBP, units.DiastolicBP,
}

// serologyWindow is the span the serology trend shows.
const serologyWindow = 365 * day

// labs fills latest_labs (every patient) and lupus.serology (patients the
// lupus rules apply to).
func (a *assessor) labs() {
	out := make([]LatestLab, 0, len(labAnalytes))
	// What the rows' pointers point to, one element per row, in one
	// allocation (nothing writes through them).
	var boxes []labBox
	for _, an := range labAnalytes {
		if an == units.EGFR {
			if e := a.egfrRow(); e != nil {
				out = append(out, *e)
			}
			continue
		}
		obs := a.upTo(an)
		if len(obs) == 0 {
			continue
		}
		last := obs[len(obs)-1]
		row := LatestLab{Analyte: an.String(), Value: reported(last), Comparator: string(last.Comparator), Date: last.Time, ObservationID: last.ID}
		if len(obs) > 1 {
			prev := &obs[len(obs)-2]
			if boxes == nil {
				boxes = make([]labBox, 0, len(labAnalytes))
			}
			boxes = append(boxes, labBox{prev: prev.Value, prevDate: prev.Time})
			b := &boxes[len(boxes)-1]
			if c, err := an.Convert(prev.Value, row.Value.Unit); err == nil {
				b.prev = c
				b.prev.Value = roundSig(b.prev.Value, 10) // conversion noise only, as reported()
			}
			row.Previous, row.PreviousComparator, row.PreviousDate = &b.prev, string(prev.Comparator), &b.prevDate
			if b.asReported = reportedAt(prev); b.asReported.Unit != b.prev.Unit {
				row.PreviousAsReported = &b.asReported
			}
			switch {
			case a.currentState(last.Time) && !a.currentState(prev.Time):
				row.PreviousNotComparable = a.stateReason(prev.Time)
			case last.Comparator == record.Exact && prev.Comparator == record.Exact && b.prev.Unit == row.Value.Unit:
				b.change = row.Value.Value - b.prev.Value
				row.Change = &b.change
			}
		}
		out = append(out, row)
	}
	a.out.LatestLabs = out
	if !a.lupusOn {
		return
	}
	sero := []SerologyTrend{}
	// In the window: at or after its first day (inWindow; upTo has
	// nothing after as_of), a run at the end of the values in time order.
	start := windowStart(a.asOf, serologyWindow)
	for _, an := range []units.Analyte{units.C3, units.C4, units.AntiDsDNA} {
		obs := a.upTo(an)
		obs = obs[firstFrom(obs, start):]
		if len(obs) > 0 {
			vs := make([]SerologyValue, len(obs))
			for i := range obs {
				o := &obs[i]
				vs[i] = SerologyValue{Date: o.Time, Value: reportedAt(o), Comparator: string(o.Comparator), ObservationID: o.ID}
			}
			sero = append(sero, SerologyTrend{Analyte: an.String(), Values: vs})
		}
	}
	a.out.Lupus.Serology = sero
	if len(sero) == 0 {
		a.miss("lupus.serology", "no complement C3, C4 or anti-dsDNA in the 365 days before as_of")
	}
}

// labBox holds the values a latest_labs row's pointers point to.
type labBox struct {
	prev, asReported units.Quantity
	prevDate         time.Time
	change           float64
}

// egfrRow is the eGFR row of latest_labs: kidney.egfr and the eGFR of the
// sample before it (egfr_series), or nil when there is no eGFR.
func (a *assessor) egfrRow() *LatestLab {
	e := a.out.Kidney.EGFR
	if e == nil {
		return nil
	}
	row := &LatestLab{Analyte: units.EGFR.String(), Value: units.Q(e.Value, e.Unit), Date: e.Date, Equation: e.Equation}
	s := a.out.Kidney.Series
	for i := s.Len() - 1; i >= 0; i-- {
		p := s.At(i)
		if p.Value == nil || !p.Date.Before(e.Date) || sameDay(p.Date, e.Date) {
			continue
		}
		row.Previous, row.PreviousDate = ptr(units.Q(*p.Value, e.Unit)), ptr(p.Date)
		if a.currentState(e.Date) && !a.currentState(p.Date) {
			row.PreviousNotComparable = a.stateReason(p.Date)
		} else {
			row.Change = ptr(e.Value - *p.Value)
		}
		break
	}
	return row
}
