package main

import (
	"bytes"
	"hash/maphash"
)

// rowMemo remembers, for one worker, the result cells of the rows it has
// computed, keyed on the input cells the calculator reads (batchCalc.key).
// A registry extract repeats its inputs (creatinine to 0.01 mg/dL, whole
// ages, two sexes: some tens of thousands of combinations in a million
// rows), and a repeated row then costs a hash look-up instead of parsing,
// validating, computing and formatting. The calculator's row function is
// a function of those cells only (the same cells give the same bytes), so
// the output is byte for byte what computing every row gives
// (TestBatchMemoSameOutput). Only rows that were computed without error are
// remembered.
//
// It is an open-addressed hash table (linear probing, at most half full)
// over one byte slice holding each key followed by its cells: two cache
// lines per look-up, no allocation per row.
type rowMemo struct {
	seed  maphash.Seed
	slots []memoSlot // a power of two long
	n     int        // entries
	data  []byte     // key then cells of every entry
	key   []byte     // the key being built (batchCalc.key)
	h     uint64     // hash of key, set by get for put
	// skip counts blocks still to compute without the memo, set when the
	// memo filled up while few rows were found in it (values that do not
	// repeat, where remembering costs more than it saves); skipNext is the
	// next such pause, doubled each time.
	skip, skipNext int
	hits, lookups  int // since the memo was last emptied
}

// memoSlot is one entry: the key's hash (0 for an empty slot) and where
// its key and cells are in rowMemo.data.
type memoSlot struct {
	h          uint64
	off        uint32
	klen, vlen uint16
}

const (
	memoMaxRows  = 1 << 16 // remembered rows before the memo is emptied
	memoMaxBytes = 8 << 20 // remembered bytes before the memo is emptied
	memoMinSlots = 1 << 10
	memoSkip     = 16   // blocks computed without the memo after a first poor fill
	memoMaxSkip  = 1024 // longest pause
)

func newRowMemo() *rowMemo {
	return &rowMemo{seed: maphash.MakeSeed(), slots: make([]memoSlot, memoMinSlots), skipNext: memoSkip}
}

// get returns the remembered cells for m.key, if any.
func (m *rowMemo) get() ([]byte, bool) {
	m.lookups++
	m.h = maphash.Bytes(m.seed, m.key) | 1
	mask := uint64(len(m.slots) - 1)
	for i := m.h & mask; ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.h == 0 {
			return nil, false
		}
		if s.h == m.h && int(s.klen) == len(m.key) {
			k := m.data[s.off : s.off+uint32(s.klen)]
			if bytes.Equal(k, m.key) {
				m.hits++
				v := s.off + uint32(s.klen)
				return m.data[v : v+uint32(s.vlen)], true
			}
		}
	}
}

// put remembers cells for m.key, after a get that did not find it. A full
// memo is emptied; if fewer than a quarter of its look-ups had been found,
// the next blocks are computed without it (see skip).
func (m *rowMemo) put(cells []byte) {
	if len(m.key) > 0xffff || len(cells) > 0xffff {
		return
	}
	if m.n >= memoMaxRows || len(m.data)+len(m.key)+len(cells) > memoMaxBytes {
		if m.hits < m.lookups/4 {
			m.skip, m.skipNext = m.skipNext, min(2*m.skipNext, memoMaxSkip)
		}
		clear(m.slots)
		m.n, m.data, m.hits, m.lookups = 0, m.data[:0], 0, 0
	}
	if 2*(m.n+1) > len(m.slots) {
		m.grow()
	}
	m.place(memoSlot{h: m.h, off: uint32(len(m.data)), klen: uint16(len(m.key)), vlen: uint16(len(cells))})
	m.data = append(append(m.data, m.key...), cells...)
	m.n++
}

// place stores s in the first empty slot from its hash.
func (m *rowMemo) place(s memoSlot) {
	mask := uint64(len(m.slots) - 1)
	i := s.h & mask
	for m.slots[i].h != 0 {
		i = (i + 1) & mask
	}
	m.slots[i] = s
}

// grow doubles the slots.
func (m *rowMemo) grow() {
	old := m.slots
	m.slots = make([]memoSlot, 2*len(old))
	for _, s := range old {
		if s.h != 0 {
			m.place(s)
		}
	}
}

// appendKey appends cell to a memo key with its length first, so that
// different cells never join into the same key.
func appendKey(key, cell []byte) []byte {
	n := len(cell)
	for n >= 0x80 {
		key = append(key, byte(n)|0x80)
		n >>= 7
	}
	return append(append(key, byte(n)), cell...)
}
