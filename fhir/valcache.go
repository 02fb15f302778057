package fhir

import (
	"encoding/binary"
	"math/bits"
)

// The value cache: an object that resources hold and that repeats from
// resource to resource (a code, a valueQuantity, meta, the subject) is
// decoded once; a later object written with the same bytes, at the same
// nesting depth and in strict mode, takes the decoded value without
// being read again. A JSON object ends where its bytes say it does, so
// bytes at the position that begin with an object decoded before are
// that object, whatever follows them: the value taken is what decoding
// them would give, to the bit. The decoded values are shared between the
// resources that hold them; nothing that reads a resource modifies it.
// The cache holds its own copy of each value (detach), not the one the
// decoder placed in its arena: a cached value must not keep a whole arena
// block (256 elements) alive, or a reader used for many patients (a
// Session) would hold one block per cached value.
// Only successful decodes are remembered, so a rejection is worded by the
// same decode as without the cache.
//
// Each kind of value keeps the one last decoded, and, for the kinds with
// many values (codes, quantities), a direct-mapped table of the values
// decoded before, found by a hash of the first bytes at the position
// (hashWindow of them, whatever they are) and checked by comparing the
// whole value's bytes.

// valCaches are a scanner's caches, one per kind of value.
type valCaches struct {
	cc   valCache[codeableConcept]
	ccp  valCache[*codeableConcept]
	q    valCache[*quantity]
	meta valCache[*metaSource]
	ref  valCache[reference]
}

type valCache[T any] struct {
	last   cached[T]
	table  []cached[T] // nil: the last value only
	stores int         // values stored since the table last grew
}

type cached[T any] struct {
	raw   string // the value's bytes ("": none)
	depth int
	v     T
}

const (
	maxCachedBytes = 512  // longer values are not remembered
	hashWindow     = 64   // bytes hashed to find a value in a table
	minTable       = 64   // a table's first size
	maxTable       = 4096 // its largest
)

// cacheOf returns the scanner's cache that kind selects, or nil.
func cacheOf[T any](s *scanner, kind func(*valCaches) *valCache[T]) *valCache[T] {
	if s.vals == nil {
		return nil
	}
	return kind(s.vals)
}

// at reports whether e holds the object at b[i:] read at depth.
func (e *cached[T]) at(b []byte, i, depth int) bool {
	return e.raw != "" && e.depth == depth && len(b)-i >= len(e.raw) && string(b[i:i+len(e.raw)]) == e.raw
}

// cachedValue decodes the value at the scanner's position into *dst with
// dec, or takes it from c (which may be nil) when the same bytes were
// decoded before. table says whether c keeps a table.
func cachedValue[T any](s *scanner, c *valCache[T], table bool, dst *T, dec func(*scanner, *T) bool, detach func(T) T) bool {
	if c == nil || !s.strict || s.peek() != '{' {
		return dec(s, dst)
	}
	if !table && c.last.at(s.b, s.i, s.depth) { // a table holds the last value too
		*dst = c.last.v
		s.i += len(c.last.raw)
		return true
	}
	var h uint64
	if table {
		h = windowHash(s.b[s.i:])
		if c.table != nil {
			if e := &c.table[h&uint64(len(c.table)-1)]; e.at(s.b, s.i, s.depth) {
				*dst = e.v
				s.i += len(e.raw)
				return true
			}
		}
	}
	start, depth := s.i, s.depth
	if !dec(s, dst) {
		return false
	}
	if s.i-start > maxCachedBytes {
		return true
	}
	c.last = cached[T]{raw: string(s.b[start:s.i]), depth: depth, v: detach(*dst)}
	if table {
		if c.stores++; c.table == nil || c.stores > 2*len(c.table) && len(c.table) < maxTable {
			c.table = make([]cached[T], max(minTable, 2*len(c.table)))
			c.stores = 0
		}
		c.table[h&uint64(len(c.table)-1)] = c.last
	}
	return true
}

// windowHash hashes the first hashWindow bytes of b (all of b when
// shorter).
func windowHash(b []byte) uint64 {
	const m = 0x9E3779B97F4A7C15
	h := uint64(len(b))
	if len(b) >= hashWindow {
		for i := 0; i < hashWindow; i += 8 {
			h = (h ^ binary.LittleEndian.Uint64(b[i:])) * m
			h ^= h >> 29
		}
	} else {
		for _, c := range b {
			h = (h ^ uint64(c)) * m
		}
	}
	return h ^ bits.RotateLeft64(h, 23)
}

// The detach functions of the kinds: a copy of the value that points into
// no arena block (strings are allocated on their own already).
func detachCC(c codeableConcept) codeableConcept {
	if c.Coding != nil {
		c.Coding = append(make([]coding, 0, len(c.Coding)), c.Coding...)
	}
	return c
}

func detachCCPtr(c *codeableConcept) *codeableConcept {
	if c == nil {
		return nil
	}
	d := detachCC(*c)
	return &d
}

func detachQuantity(q *quantity) *quantity {
	if q == nil {
		return nil
	}
	if q.Value == nil {
		d := *q
		return &d
	}
	// The quantity and its value in one allocation.
	d := &struct {
		q quantity
		v float64
	}{*q, *q.Value}
	d.q.Value = &d.v
	return &d.q
}

func detachMeta(m *metaSource) *metaSource {
	if m == nil {
		return nil
	}
	d := *m
	return &d
}

func detachRef(r reference) reference { return r }
