package lupus

import (
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	"renalwatch/units"
)

// slack absorbs binary rounding at a boundary: 0.1+0.2 is not 0.3 in
// float64, and "exactly at the cut-off" must stay exactly at it. Relative,
// one part in a billion — far below any lab's precision.
const slack = 1e-9

// le and lt compare with that slack. Its scale is the built-in max,
// compiled inline: with 1 as its first argument it equals math.Max (NaN
// for a NaN, +Inf for an infinite b; the two differ only for max(NaN,
// +Inf)), which on amd64 is an assembly call, and these comparisons run
// hundreds of times an assessment (TestSlackScaleIsMathMax).
func le(a, b float64) bool { return a <= b+slack*max(1, math.Abs(b)) }
func lt(a, b float64) bool { return a < b-slack*max(1, math.Abs(b)) }
func ge(a, b float64) bool { return le(b, a) }
func gt(a, b float64) bool { return lt(b, a) }

// num formats a number for a detail line: 4 significant digits, no exponent.
//
// It is sigSlow(v, 4): v rounded to 4 significant digits, written out in full.
// FormatFloat 'g' with precision 4 writes those digits without trailing
// zeros, and in plain notation it is already that text (the 4-digit
// decimal is the shortest that reads back as the rounded value), so the
// round trip is needed only when 'g' chose an exponent (or for NaN and
// infinities). TestNumFast compares the two over millions of values.
//
// The text is remembered per float64 in a small direct-mapped table shared
// by all goroutines (numMemo): a rule's detail lines repeat their cut-offs
// and a record's values, and formatting is most of what writing a flare's
// or a response's criteria costs. An entry is written once and never
// modified; a slot is replaced whole, so a reader sees an old entry or a
// new one, and compares its bits before using it.
func num(v float64) string {
	b := math.Float64bits(v)
	slot := &numMemo[(b^b>>23^b>>45)%uint64(len(numMemo))]
	if e := slot.Load(); e != nil && e.bits == b {
		return e.text
	}
	s := numText(v)
	slot.Store(&numEntry{bits: b, text: s})
	return s
}

// numEntry is num's text of the float64 with the given bits.
type numEntry struct {
	bits uint64
	text string
}

// numMemo is num's table of remembered texts.
var numMemo [512]atomic.Pointer[numEntry]

// numText is num without the table.
func numText(v float64) string { return sigText(v, 4) }

// sigText is sigSlow(v, prec) (for num, 4 digits; for numIn, 6): 'g' with
// precision prec writes the rounded value's digits without trailing
// zeros, and in plain notation that is the shortest decimal that reads
// back as the rounded value, which is sigSlow's text; only when 'g' chose
// an exponent (or for NaN and infinities) is the round trip done
// (TestNumFast, TestNumInFast).
func sigText(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'g', prec, 64)
	if strings.ContainsAny(s, "eNI") {
		return sigSlow(v, prec)
	}
	return s
}

// numIn formats a measured input value (a UPCR, creatinine or red cell
// count as given) for a detail line: at most 6 significant digits, the
// rounding policy's row for a value entered (docs/report.md, "Rounding";
// internal/textfmt.Measured), so a detail quotes 11523 mg/g as the report
// does, not num's 11520 (trial 3 #12). Computed numbers (a change, a
// threshold) keep num's 4 digits.
func numIn(v float64) string { return sigText(v, 6) }

// sigSlow rounds v to prec significant digits ('g'), reads it back and
// writes out the shortest decimal without exponent: num's and numIn's
// text by definition.
func sigSlow(v float64, prec int) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', prec, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// upcrCut is a UPCR cut-off as the rule's source prints it. Ambiguity A3:
// the source's own number for the unit the lab reported is applied, not a
// conversion of it (KDIGO pairs 0.5 g/g with 50 mg/mmol although 0.5 g/g is
// 56.6 mg/mmol). When the source prints no mg/mmol number (mgPerMmol 0), a
// mg/mmol value is converted exactly (1 mg/mmol = 8.84 mg/g) and a warning
// says so.
type upcrCut struct {
	gPerG     float64
	mgPerMmol float64
}

// values returns the value and the cut-off in the same unit, as inUnit
// compares them.
func (c upcrCut) values(q units.Quantity) (v, cut float64) {
	switch q.Unit {
	case units.GPerG:
		return q.Value, c.gPerG
	case units.MgPerG:
		return q.Value, c.gPerG * 1000
	}
	// mg/mmol
	if c.mgPerMmol > 0 {
		return q.Value, c.mgPerMmol
	}
	g, _ := units.PCR.Convert(q, units.GPerG)
	return g.Value, c.gPerG
}

// inUnit returns the value and the cut-off in the same unit, the unit's
// name, and a warning when a conversion was needed.
func (c upcrCut) inUnit(q units.Quantity, rule string) (v, cut float64, unit, warn string) {
	v, cut = c.values(q)
	switch {
	case q.Unit == units.GPerG:
		return v, cut, "g/g", ""
	case q.Unit == units.MgPerG:
		return v, cut, "mg/g", ""
	case c.mgPerMmol > 0:
		return v, cut, "mg/mmol", ""
	}
	return v, cut, "g/g", rule + " states its UPCR cut-offs in g/g only; " + q.Text() +
		" was converted exactly (1 mg/mmol = 8.84 mg/g) to " + num(v) + " g/g"
}

// sameUnitValue is base in cur's unit (exactly), as sameUnit converts it.
func sameUnitValue(base, cur units.Quantity) units.Quantity {
	if base.Unit == cur.Unit {
		return base
	}
	b, _ := units.PCR.Convert(base, cur.Unit)
	return b
}

// sameUnit converts base to cur's unit (exactly) so that ratios and
// differences compare like with like; warn is set when the units differed.
func sameUnit(base, cur units.Quantity, baseField string) (units.Quantity, string) {
	b := sameUnitValue(base, cur)
	if base.Unit == cur.Unit {
		return b, ""
	}
	return b, baseField + " (" + base.Text() + ") and the current value are in different units; the baseline was converted exactly to " + num(b.Value) + " " + string(cur.Unit)
}

// checkUPCR validates a UPCR quantity: a protein-to-creatinine ratio unit and
// a plausible value. A zero Quantity is a missing input.
func checkUPCR(field string, q units.Quantity, needed bool, rule string) error {
	if q.IsZero() {
		if needed {
			return &InputError{Field: field, Err: ErrMissing, Reason: "is required by rule " + rule, Accepted: "a UPCR with its unit, such as 450mg/g, 0.45g/g or 45mg/mmol"}
		}
		return nil
	}
	if units.PCR.Accepts(q) {
		return nil
	}
	_, err := units.PCR.Normalize(field, q) // the error
	return err
}

// checkEGFR validates an eGFR in mL/min/1.73 m².
func checkEGFR(field string, v *float64, needed bool, rule string) error {
	if v == nil {
		if needed {
			return &InputError{Field: field, Err: ErrMissing, Reason: "is required by rule " + rule, Accepted: "an eGFR in mL/min/1.73m2 such as 62"}
		}
		return nil
	}
	if math.IsNaN(*v) || *v <= 0 || *v > 300 {
		return &InputError{Field: field, Value: strconv.FormatFloat(*v, 'g', -1, 64), Err: ErrOutOfRange, Reason: "is not a plausible eGFR", Accepted: "more than 0 and at most 300 mL/min/1.73m2"}
	}
	return nil
}

// CriterionResult is one criterion of a rule as applied. Met is nil when the
// criterion was not assessed (its input was not given): never assumed met.
type CriterionResult struct {
	Name   string `json:"name"`
	Met    *bool  `json:"met"`
	Status string `json:"status"` // "met", "not met" or "not assessed"
	Detail string `json:"detail"`
}

func criterion(name string, met bool, detail string) CriterionResult {
	s := "not met"
	if met {
		s = "met"
	}
	return CriterionResult{Name: name, Met: &met, Status: s, Detail: detail}
}

func notAssessed(name, detail string) CriterionResult {
	return CriterionResult{Name: name, Status: "not assessed", Detail: detail}
}
