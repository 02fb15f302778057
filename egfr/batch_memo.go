package egfr

import (
	"math"
	"sync"
)

// CKD-EPI 2021 over columns with exact memoisation.
//
// A row of CKDEPI2021 costs one math.Log and one math.Exp:
//
//	math.Exp(lnK + p*math.Log(x) + age*ln0_9938)
//
// Real columns repeat their values: creatinine is reported to 0.01 mg/dL or
// to whole µmol/L and ages are whole years, so a million rows hold a few
// hundred creatinines and about a hundred ages. crMemo remembers, per sex and
// creatinine (keyed on its float64 bits), the creatinine term
// lnK + p*math.Log(x), and for each whole age from 0 to maxMemoAge-1 (keyed on
// the exact bits of the age) the finished estimate. Every stored number was
// computed by the same expression, in the same order of operations, as
// CKDEPI2021 computes it, so a remembered value is the per-row value bit for
// bit by construction (TestBatchMemoExact and FuzzCKDEPI2021Batch check it
// against CKDEPI2021 itself). Rows whose values do not repeat (random floats)
// gain nothing: the memo notices a low hit rate and computes such blocks
// without it.

const (
	memoSlotBits = 11 // open-addressed slots per sex: 2,048
	memoSlots    = 1 << memoSlotBits
	memoProbes   = 8    // slots tried before a value is computed unremembered
	memoRows     = 1024 // creatinine values with a row of remembered ages
	maxMemoAge   = 128  // whole ages 0..127 are remembered
	memoBlock    = 512  // rows computed one way (memo or plain) at a time
	memoWindow   = 2048 // rows between hit-rate checks
)

// memoSlot is one remembered creatinine of one sex.
type memoSlot struct {
	key  uint64  // math.Float64bits(scr)
	term float64 // lnK + p*math.Log(scr/k), as in CKDEPI2021
	row  int32   // 1 + index into crMemo.rows; 0 marks an empty slot
}

// ageRow holds the estimates of one creatinine and sex for whole ages; an
// age not yet computed holds notYet. math.Exp is never negative, so no
// estimate is notYet (a NaN estimate is stored and returned as it is).
type ageRow [maxMemoAge]float64

const notYet = -1.0

// crMemo is one goroutine's memo (about 1.1 MB); see the comment above.
type crMemo struct {
	slots [2][memoSlots]memoSlot // [sex-1]
	rows  []ageRow               // len = rows in use, cap memoRows
}

var memoPool = sync.Pool{New: func() any { return &crMemo{rows: make([]ageRow, 0, memoRows)} }}

// reset forgets everything (every age row is in use). A memo taken from
// the pool keeps what it holds: its values are exact whenever computed.
func (m *crMemo) reset() {
	clear(m.slots[0][:])
	clear(m.slots[1][:])
	m.rows = m.rows[:0]
}

// crTerm returns CKDEPI2021's creatinine term lnK + p*math.Log(scr/k), with the
// same constants and operations as CKDEPI2021; ok is false for a sex other
// than Female or Male (CKDEPI2021 returns NaN).
func crTerm(scrMgDL float64, sex Sex) (term float64, ok bool) {
	var lnK, invK, a float64
	switch sex {
	case Female:
		lnK, invK, a = ln142F, 1/0.7, -0.241
	case Male:
		lnK, invK, a = ln142, 1/0.9, -0.302
	default:
		return 0, false
	}
	x := scrMgDL * invK
	p := -1.200
	if x < 1 {
		p = a
	}
	return lnK + p*math.Log(x), true
}

// ckdEPI2021Memo computes dst[i] = CKDEPI2021(scr[i], age[i], sex[i]) for
// every row, remembering repeated values in m. Every memoWindow rows it
// checks how many missed the creatinine memo: when more than three
// quarters did (values that do not repeat, where remembering costs more
// than it saves), the next blocks are computed plainly, 64 at first and
// twice as many after each poor window, up to 1,024 (half a million rows).
func ckdEPI2021Memo(m *crMemo, dst, scr, age []float64, sex []Sex) {
	plain, pause := 0, 64
	rows, misses := 0, 0
	for lo := 0; lo < len(dst); lo += memoBlock {
		hi := min(lo+memoBlock, len(dst))
		d, s, a, x := dst[lo:hi], scr[lo:hi], age[lo:hi], sex[lo:hi]
		if plain > 0 {
			plain--
			for i := range d {
				d[i] = CKDEPI2021(s[i], a[i], x[i])
			}
			continue
		}
		misses += m.block(d, s, a, x)
		if rows += len(d); rows >= memoWindow {
			if misses > rows/4*3 {
				plain, pause = pause, min(2*pause, 1024)
			}
			rows, misses = 0, 0
		}
	}
}

// block computes one block through the memo and returns how many rows
// missed the creatinine memo.
func (m *crMemo) block(dst, scr, age []float64, sex []Sex) (misses int) {
	for i := range dst {
		sx, a := sex[i], age[i]
		if sx != Female && sx != Male || a != a {
			// An invalid sex is NaN. A NaN age meets a NaN creatinine
			// term (NaN or negative creatinine) in one addition, whose
			// NaN payload depends on the order of the operands in the
			// machine code: such rows go to CKDEPI2021 itself.
			dst[i] = CKDEPI2021(scr[i], a, sx)
			continue
		}
		key := math.Float64bits(scr[i])
		tab := &m.slots[sx-1]
		h := (key * 0x9E3779B97F4A7C15) >> (64 - memoSlotBits)
		var e *memoSlot
		for range memoProbes {
			c := &tab[h]
			if c.row == 0 || c.key == key {
				e = c
				break
			}
			h = (h + 1) & (memoSlots - 1)
		}
		if e == nil || e.row == 0 {
			misses++
			e = m.insert(e, key, scr[i], sx)
			if e == nil {
				dst[i] = CKDEPI2021(scr[i], age[i], sx)
				continue
			}
		}
		ai := int(a)
		if uint(ai) >= maxMemoAge || math.Float64bits(float64(ai)) != math.Float64bits(a) {
			dst[i] = math.Exp(e.term + a*ln0_9938) // as CKDEPI2021
			continue
		}
		p := &m.rows[e.row-1][ai]
		if *p < 0 { // notYet
			*p = math.Exp(e.term + a*ln0_9938) // as CKDEPI2021
		}
		dst[i] = *p
	}
	return misses
}

// insert stores scr's creatinine term in the empty slot e with a new age
// row; nil when no slot is free near the key's, or when every row is in use
// (then the memo is emptied, to fill again with the values that come next).
func (m *crMemo) insert(e *memoSlot, key uint64, scr float64, sex Sex) *memoSlot {
	if e == nil {
		return nil
	}
	if len(m.rows) == cap(m.rows) {
		m.reset()
		return nil
	}
	term, _ := crTerm(scr, sex)
	m.rows = m.rows[:len(m.rows)+1]
	r := &m.rows[len(m.rows)-1]
	for j := range r {
		r[j] = notYet
	}
	*e = memoSlot{key: key, term: term, row: int32(len(m.rows))}
	return e
}
