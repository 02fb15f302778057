package cohort

import (
	"fmt"
	"hash/maphash"
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

// deduper is dedupe with open-addressing tables of hashes in place of the
// two maps (about a fifth of the instructions), reused from patient to
// patient. TestDeduperEqualsDedupe holds it to dedupe.
type deduper struct {
	ids  []idSlot
	seen []seenSlot
	keys *[1024]keySlot // valueKey's recent answers, by the value's bits
}

// keySlot is a value (its bits) and its valueKey.
type keySlot struct {
	bits uint64
	key  float64
	set  bool
}

// valueKey is valueKey(v), remembered: laboratory values repeat (the same
// few digits, or one conversion of them), and valueKey formats and parses
// the values it cannot tell are short.
func (d *deduper) valueKey(v float64) float64 {
	if d.keys == nil {
		d.keys = new([1024]keySlot)
	}
	bits := math.Float64bits(v)
	s := &d.keys[(bits*0x9E3779B97F4A7C15)>>54]
	if !s.set || s.bits != bits {
		*s = keySlot{bits, valueKey(v), true}
	}
	return s.key
}

type idSlot struct {
	h  uint64 // 0: empty
	id string
	m  measurement
}

type seenSlot struct {
	h uint64 // 0: empty
	m measurement
}

var dedupeSeed = maphash.MakeSeed()

// dedupe is dedupe(obs, ...).
func (d *deduper) dedupe(obs []record.Observation) ([]record.Observation, []error) {
	size := 16
	for size < 2*len(obs) {
		size *= 2
	}
	if len(d.ids) < size || len(d.ids) > 8*size {
		d.ids, d.seen = make([]idSlot, size), make([]seenSlot, size)
	} else {
		size = len(d.ids)
		clear(d.ids)
		clear(d.seen)
	}
	mask := uint64(size - 1)
	var errs []error
	out := obs[:0]
	for k := range obs {
		o := &obs[k] // read in place: an observation is about 180 bytes
		m := measurement{o.Analyte, o.Time.Unix(), int64(o.Time.Nanosecond()), d.valueKey(o.Value.Value), o.Comparator}
		h := maphash.String(dedupeSeed, o.ID) | 1
		i := h & mask
		for d.ids[i].h != 0 && (d.ids[i].h != h || d.ids[i].id != o.ID) {
			i = (i + 1) & mask
		}
		if s := &d.ids[i]; s.h != 0 {
			if s.m != m {
				errs = append(errs, fmt.Errorf("observation %s appears twice with other content; the first is kept", o.ID))
			}
			continue
		}
		d.ids[i] = idSlot{h, o.ID, m}
		hm := measurementHash(m)
		j := hm & mask
		for d.seen[j].h != 0 && (d.seen[j].h != hm || d.seen[j].m != m) {
			j = (j + 1) & mask
		}
		if d.seen[j].h != 0 {
			continue // the same measurement under another id
		}
		d.seen[j] = seenSlot{hm, m}
		if len(out) < k {
			out = append(out, *o)
		} else {
			out = out[:k+1] // kept where it is
		}
	}
	clear(obs[len(out):])
	return out, errs
}

// measurementHash hashes m's fields (never 0). Equal measurements hash
// alike: valueKey's float64 is hashed by its bits, and -0 and NaN, whose
// bits differ from equal values or equal themselves differently, only
// lose the probe's shortcut, never equality (the slots compare m).
func measurementHash(m measurement) uint64 {
	v := m.valueKey
	if v == 0 {
		v = 0 // -0 == 0: one hash
	}
	h := uint64(m.analyte)*0x9E3779B97F4A7C15 ^ uint64(m.sec)
	h = (h ^ h>>31) * 0xBF58476D1CE4E5B9
	h ^= uint64(m.ns) ^ math.Float64bits(v)
	h = (h ^ h>>29) * 0x94D049BB133111EB
	if c := m.comparator; c != "" {
		h ^= uint64(len(c)) | uint64(c[0])<<8 | uint64(c[len(c)-1])<<16
	}
	return h | 1
}
