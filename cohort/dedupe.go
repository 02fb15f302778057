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

// deduper is dedupe with two open-addressing tables of observation
// indexes in place of the two maps, reused from patient to patient.
// TestDeduperEqualsDedupe holds it to dedupe.
//
// Why it is shaped so (the cohort calls it once per patient, about 370
// observations each): a slot is 8 bytes (a hash and an index into obs, the
// observation read in place), so the tables a patient uses are a few KB to
// clear; and the measurement table is keyed by the measurement without its
// value (analyte, time, comparator), so valueKey, which formats and parses
// the values it cannot tell are short, is computed only for two
// observations of one analyte at one time or under one id: rare, where
// every observation paid a look-up before. Should one key collect many
// values (a patient with thousands of results of one analyte at one time),
// the patient is deduplicated again with the value in the key, which keeps
// the work linear.
type deduper struct {
	ids  []dedupeSlot // by id: the first observation with that id
	seen []dedupeSlot // by measurement: the kept observations
	keep []bool
	keys *[1024]keySlot // valueKey's recent answers, by the value's bits
}

// dedupeSlot is an observation's index in the patient's slice and the hash
// it was filed under (0: empty).
type dedupeSlot struct {
	h uint32
	i int32
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

var dedupeSeed = maphash.MakeSeed()

// sameValueKeys is how many observations of one measurement key (without
// the value) one look-up may pass before the patient is deduplicated with
// the value in the key.
const sameValueKeys = 16

// dedupe is dedupe(obs, ...).
func (d *deduper) dedupe(obs []record.Observation) ([]record.Observation, []error) {
	errs, ok := d.mark(obs, false)
	if !ok {
		errs, _ = d.mark(obs, true)
	}
	out := obs[:0]
	for k := range obs {
		if !d.keep[k] {
			continue
		}
		if len(out) < k {
			out = append(out, obs[k])
		} else {
			out = out[:k+1] // kept where it is
		}
	}
	clear(obs[len(out):])
	return out, errs
}

// mark sets d.keep[k] for the observations dedupe keeps and returns the
// conflicts, reading obs without changing it. withValue puts the value's
// valueKey into the measurement's hash; without it, mark gives up (false)
// when a look-up passes more than sameValueKeys observations of one key.
func (d *deduper) mark(obs []record.Observation, withValue bool) ([]error, bool) {
	size := 16
	for size < 2*len(obs) {
		size *= 2
	}
	if len(d.ids) < size {
		d.ids, d.seen = make([]dedupeSlot, size), make([]dedupeSlot, size)
	}
	// Only the part this patient uses is cleared (a table never shrinks).
	ids, seen := d.ids[:size], d.seen[:size]
	clear(ids)
	clear(seen)
	if cap(d.keep) < len(obs) {
		d.keep = make([]bool, len(obs)+len(obs)/4)
	}
	d.keep = d.keep[:len(obs)]
	mask := uint64(size - 1)
	var errs []error
next:
	for k := range obs {
		o := &obs[k] // read in place: an observation is about 180 bytes
		d.keep[k] = false
		h64 := maphash.String(dedupeSeed, o.ID)
		h := uint32(h64>>32) | 1
		i := h64 & mask
		for ; ids[i].h != 0; i = (i + 1) & mask {
			if s := ids[i]; s.h == h && obs[s.i].ID == o.ID {
				if !d.same(&obs[s.i], o) {
					errs = append(errs, fmt.Errorf("observation %s appears twice with other content; the first is kept", o.ID))
				}
				continue next
			}
		}
		ids[i] = dedupeSlot{h, int32(k)}
		hm := measurementHash(o, withValue, d)
		j, alike := uint64(hm)&mask, 0
		for ; seen[j].h != 0; j = (j + 1) & mask {
			if s := seen[j]; s.h == uint32(hm>>32)|1 && sameKey(&obs[s.i], o) {
				if d.same(&obs[s.i], o) {
					continue next // the same measurement under another id
				}
				if alike++; alike > sameValueKeys && !withValue {
					return nil, false
				}
			}
		}
		seen[j] = dedupeSlot{uint32(hm>>32) | 1, int32(k)}
		d.keep[k] = true
	}
	return errs, true
}

// sameKey tells whether a and b have the same measurement but for the
// value: analyte, instant (to the nanosecond) and comparator.
func sameKey(a, b *record.Observation) bool {
	return a.Analyte == b.Analyte && a.Time.Unix() == b.Time.Unix() &&
		a.Time.Nanosecond() == b.Time.Nanosecond() && a.Comparator == b.Comparator
}

// same tells whether a and b are the same measurement (dedupe's
// measurement structs equal; the values compared as float64, so -0 is 0
// and NaN is no value's equal).
func (d *deduper) same(a, b *record.Observation) bool {
	return sameKey(a, b) && d.valueKey(a.Value.Value) == d.valueKey(b.Value.Value)
}

// measurementHash hashes o's measurement: its analyte, instant and
// comparator, and with withValue its valueKey too (by its bits, -0 as 0;
// NaN, which equals nothing, only loses the probe's shortcut, never
// equality: the slots compare the observations).
func measurementHash(o *record.Observation, withValue bool, d *deduper) uint64 {
	h := uint64(o.Analyte)*0x9E3779B97F4A7C15 ^ uint64(o.Time.Unix())
	h = (h ^ h>>31) * 0xBF58476D1CE4E5B9
	h ^= uint64(o.Time.Nanosecond())
	if withValue {
		v := d.valueKey(o.Value.Value)
		if v == 0 {
			v = 0 // -0 == 0: one hash
		}
		h ^= math.Float64bits(v) * 0x9E3779B97F4A7C15
	}
	h = (h ^ h>>29) * 0x94D049BB133111EB
	if c := o.Comparator; c != "" {
		h ^= uint64(len(c)) | uint64(c[0])<<8 | uint64(c[len(c)-1])<<16
	}
	return h ^ h>>32
}
