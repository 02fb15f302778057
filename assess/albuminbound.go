package assess

import (
	"math"
	"time"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// boundCategory returns the KDIGO albuminuria category of a ratio reported
// only as a bound (a detection limit, "<3 mg/mmol"), when every value the
// bound allows falls in one category: a bound below the A1 upper limit is A1
// ("<3 mg/mmol", "<30 mg/g", "<=2.9 mg/mmol"; KDIGO 2012 Table 6, kept in
// KDIGO 2024: A1 < 3 mg/mmol, < 30 mg/g), a bound at or above the A3 lower
// limit is A3 (">30 mg/mmol", ">=300 mg/g"); UPCR likewise with KDIGO's PCR
// equivalents (< 15 mg/mmol, < 150 mg/g A1; >= 50 mg/mmol, >= 500 mg/g A3;
// KDIGO 2012 Table 7). Any other bound ("<30 mg/mmol" spans A1 and A2)
// gives ok false. The categories are half-open and ordered, so the range
// [0, X) lies in A1 exactly when the largest value below X does, and
// (X, inf) in A3 exactly when the smallest value above X does.
func boundCategory(cat func(units.Quantity) (ckd.A, error), cmp record.Comparator, q units.Quantity) (ckd.A, bool) {
	x := q
	switch cmp {
	case record.Less:
		x.Value = math.Nextafter(q.Value, 0)
	case record.Greater:
		x.Value = math.Nextafter(q.Value, math.Inf(1))
	case record.LessOrEqual, record.GreaterOrEqual:
	default:
		return 0, false
	}
	c, err := cat(x)
	if err != nil {
		return 0, false
	}
	below := cmp == record.Less || cmp == record.LessOrEqual
	if below && c == ckd.A1 || !below && c == ckd.A3 {
		return c, true
	}
	return 0, false
}

// latestBound returns the latest observation of an analyte at or before at
// when it is a bound, with no exact value after it.
func (a *assessor) latestBound(an units.Analyte, at time.Time) (*record.Observation, bool) {
	obs := a.upTo(an)
	for i := len(obs) - 1; i >= 0; i-- {
		o := &obs[i]
		if o.Time.After(at) {
			continue
		}
		return o, o.Comparator != record.Exact
	}
	return nil, false
}

// acrName names a urine ratio for people: "ACR" or "UPCR".
func acrName(an units.Analyte) string {
	if an == units.PCR {
		return "UPCR"
	}
	return "ACR"
}
