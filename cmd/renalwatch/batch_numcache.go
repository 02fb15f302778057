package main

// numCache remembers plainNumber's answer for short cells, for one worker:
// a table's numbers repeat (creatinine to 0.01 mg/dL, whole ages), and a
// remembered cell costs a table look-up instead of strconv.ParseFloat. A
// cell of 1 to 7 bytes is packed with its length into one uint64 key, so
// the key is the cell itself and the answer is plainNumber's by
// construction (TestNumCache). The table is direct-mapped, 4,096 entries
// (96 KiB): it stays in the core's cache, where a large memo would not.
type numCache struct {
	e [numCacheSize]numEntry
}

type numEntry struct {
	key uint64 // the cell and its length; 0 for an empty entry
	v   float64
	ok  bool
}

const (
	numCacheBits = 12
	numCacheSize = 1 << numCacheBits
)

// parse returns plainNumber(cell), remembered. A nil cache, an empty cell
// and a cell longer than 7 bytes go to plainNumber directly.
func (c *numCache) parse(cell []byte) (float64, bool) {
	if c == nil || len(cell) == 0 || len(cell) > 7 {
		return plainNumber(cell)
	}
	k := uint64(len(cell)) << 56
	for i, b := range cell {
		k |= uint64(b) << (8 * i)
	}
	e := &c.e[(k*0x9E3779B97F4A7C15)>>(64-numCacheBits)]
	if e.key != k {
		v, ok := plainNumber(cell)
		*e = numEntry{key: k, v: v, ok: ok}
	}
	return e.v, e.ok
}
