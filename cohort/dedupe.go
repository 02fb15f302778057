package cohort

import (
	"fmt"
	"math"
	"strconv"

	"renalwatch/record"
	"renalwatch/units"
)

// The store keeps one observation per id and per measurement (patient,
// analyte, time, value to 10 significant digits, comparator): a second
// resource with the same id is unchanged or a conflict, another id with the
// same measurement a duplicate (store/sqlite/observations.go). The cohort
// does the same within a patient, keeping the first in input order, so
// that its rows equal what import + report give.

type measurement struct {
	analyte    units.Analyte
	sec, ns    int64
	valueKey   float64
	comparator record.Comparator
}

// dedupe drops repeated observations from obs (one patient's, in input
// order) and returns the kept ones and the ids that conflict (same id,
// other measurement).
func dedupe(obs []record.Observation, seen map[measurement]struct{}, ids map[string]measurement) ([]record.Observation, []error) {
	clear(seen)
	clear(ids)
	var errs []error
	out := obs[:0]
	for _, o := range obs {
		m := measurement{o.Analyte, o.Time.Unix(), int64(o.Time.Nanosecond()), valueKey(o.Value.Value), o.Comparator}
		if prev, ok := ids[o.ID]; ok {
			if prev != m {
				errs = append(errs, fmt.Errorf("observation %s appears twice with other content; the first is kept", o.ID))
			}
			continue
		}
		ids[o.ID] = m
		if _, ok := seen[m]; ok {
			continue // the same measurement under another id
		}
		seen[m] = struct{}{}
		out = append(out, o)
	}
	clear(obs[len(out):])
	return out, errs
}

// valueKey rounds v to 10 significant digits, as the store does.
func valueKey(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	if short(v) {
		return v
	}
	var buf [32]byte // no allocation
	k, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], v, 'g', 10, 64)), 64)
	if err != nil {
		return v
	}
	return k
}

// pow10 are the exact powers of ten short tries.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// short tells, without formatting v, that v is the double nearest to a
// decimal m/10^k of at most 10 digits (|m| < 10^10, k <= 15), which is
// what laboratory values are: then rounding v to 10 significant digits
// gives that decimal, and parsing it gives v back, so valueKey(v) is v.
// (m and 10^k are exact doubles and the division is correctly rounded, so
// m/10^k is the double nearest to the decimal; v is within half an ulp
// of it, far less than half a unit of its 10th digit.) TestValueKeyShort
// checks it against strconv.
func short(v float64) bool {
	a := math.Abs(v)
	if a >= 1e10 || a < 1e-5 {
		return false
	}
	for _, p := range pow10 {
		m := math.Round(a * p)
		if m >= 1e10 {
			return false
		}
		if m/p == a {
			return true
		}
	}
	return false
}
