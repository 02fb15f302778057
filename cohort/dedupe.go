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
	var buf [32]byte // no allocation
	k, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], v, 'g', 10, 64)), 64)
	if err != nil {
		return v
	}
	return k
}
