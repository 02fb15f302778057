package fhir

import "encoding/binary"

// The fast decoder's part that knows the resource structs of resource.go
// (the scanner is in scan.go). Each function decodes the value at the
// scanner's position into its struct as encoding/json v1 would, or
// returns false (see scan.go for when).

// fastDecode switches the fast decoder on; the tests switch it off to
// read with the encoding/json path alone, their oracle.
var fastDecode = true

// bundleEntry is one Bundle entry: its fullUrl and resource, the resource
// decoded (ok) or to be decoded from raw with decodeResourceV1.
type bundleEntry struct {
	fullURL string
	raw     []byte // the resource as written; nil when the entry has none
	ok      bool
	res     resource
}

// decodeDoc decodes the JSON document raw (a resource or a Bundle) into
// r. A Bundle's entries are in r.entries, decoded in the same pass when
// its resourceType comes before them. s is the scanner to use (its
// interner, arena and memo are kept; the rest is reset): the caller's, so
// that it is not allocated for each document and remembers from one to
// the next.
func decodeDoc(raw []byte, r *resource, s *scanner) error {
	if fastDecode {
		s.reset(raw)
		s.ws()
		if s.peek() == '{' && decResource(s, r, true) {
			if s.ws(); s.i == len(raw) {
				if r.ResourceType == "Bundle" {
					for i := range r.entries {
						if e := &r.entries[i]; !e.ok && len(e.raw) > 0 && e.raw[0] == '{' {
							s.reset(e.raw)
							if e.ok = decResource(s, &e.res, false); !e.ok {
								e.res = resource{}
							}
						}
					}
				}
				return nil
			}
		}
		*r = resource{}
	}
	if err := decodeResourceV1(raw, r); err != nil {
		return err
	}
	if len(r.Entry) > 0 {
		r.entries = make([]bundleEntry, len(r.Entry))
		for i, e := range r.Entry {
			r.entries[i].fullURL, r.entries[i].raw = e.FullURL, e.Resource
		}
		r.Entry = nil
	}
	return nil
}

// reset starts the scanner, in strict mode, on the document b.
func (s *scanner) reset(b []byte) {
	s.b, s.i, s.depth, s.strict, s.slot = b, 0, 0, true, -1
}

// open enters the object at the scanner's position (a '{').
func (s *scanner) open() bool {
	if s.depth++; s.depth > maxDepth {
		return false
	}
	s.i++
	s.ws()
	return true
}

// next moves to member n of the object entered with open, an object of
// the struct whose fields are names: it returns the number of the
// member's field (its key's index in names.names, or otherField), with
// the position at its value, or done after the '}'. It gives up on a key
// other than the names that matches one of them regardless of case, or
// that is not ASCII (encoding/json v1 folds case, even of U+212A and
// U+017F), or that holds escapes. A key written as the key at the same
// place in the last such object was (the common case: one writer writes
// its resources alike) is recognized by comparing its bytes, without
// scanning it or looking it up again.
func (s *scanner) next(names *fieldNames, n int) (f int, done, ok bool) {
	// The common case first, on local copies: no white space, and the key
	// as last time at this place.
	if b, i := s.b, s.i; n < memoWidth && s.memo != nil {
		if n > 0 {
			if i >= len(b) {
				return s.nextGeneral(names, n)
			}
			switch b[i] {
			case ',':
				i++
			case '}':
				s.i = i + 1
				s.depth--
				return 0, true, true
			default:
				return s.nextGeneral(names, n)
			}
		}
		slot := names.site*memoWidth + n
		m := &s.memo[slot]
		if k := len(m.key); k != 0 && i+k < len(b) && b[i+k] > ' ' {
			var same bool
			if k <= 24 && i+24 <= len(b) {
				same = m.keyWords.eq(b[i : i+24])
			} else {
				same = string(b[i:i+k]) == m.key
			}
			if same {
				s.i, s.slot = i+k, slot
				return int(m.field), false, true
			}
		}
	}
	return s.nextGeneral(names, n)
}

// nextGeneral is next without the common case.
func (s *scanner) nextGeneral(names *fieldNames, n int) (f int, done, ok bool) {
	if n > 0 {
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
			s.ws()
		case '}':
			s.i++
			s.depth--
			return 0, true, true
		default:
			return 0, false, false
		}
	} else if s.peek() == '}' {
		s.i++
		s.depth--
		return 0, true, true
	}
	if s.peek() != '"' {
		return 0, false, false
	}
	s.slot = -1
	var m *memo
	if n < memoWidth && s.memo != nil {
		s.slot = names.site*memoWidth + n
		m = &s.memo[s.slot]
		// The key, quoted, and the colon: as last time at this place?
		if i := s.i; m.key != "" && (len(m.key) <= 24 && i+24 <= len(s.b) && m.keyWords.eq(s.b[i:i+24]) ||
			(len(m.key) > 24 || i+24 > len(s.b)) && len(s.b)-i >= len(m.key) && string(s.b[i:i+len(m.key)]) == m.key) {
			s.i += len(m.key)
			s.ws()
			return int(m.field), false, true
		}
	}
	start := s.i
	key, esc, ok := s.str()
	if !ok || esc {
		return 0, false, false
	}
	f = names.index(key)
	if f == otherField && !names.otherKey(key) {
		return 0, false, false
	}
	if s.peek() == ':' {
		if m != nil && s.strict {
			m.key = s.in.get(s.b[start : s.i+1])
			m.keyWords = wordsOf(m.key)
			m.field = int8(f)
		}
	} else {
		s.ws()
		if s.peek() != ':' {
			return 0, false, false
		}
	}
	s.i++
	s.ws()
	return f, false, true
}

// otherField is the field number next returns for a key that names none
// of the struct's fields.
const otherField = -1

// memo is what the scanner remembers of one member place (the member n of
// the objects of one struct): the key last there (with its quotes and the
// colon after it, when no white space came between) and its field number,
// and its string value (when plain and read in strict mode), or the value
// other last passed over there. Keys and values repeat from resource to
// resource; a match is checked byte for byte, so that what is read is
// exactly what scanning would read.
type memo struct {
	key, val string
	// keyWords and valWords hold the first bytes of key and of val with
	// its quotes, for a comparison without a call (words.at).
	keyWords, valWords words
	field              int8
	// skip are the two values other last passed over here, each checked
	// at nesting depth skipDepth; stores counts their stores less matches.
	skip      [2]string
	skipDepth [2]int
	stores    int
}

// words are the first 24 bytes of a string as little-endian words, and
// masks that keep the bytes of the string (all of a longer string's).
type words struct {
	w, m [3]uint64
}

func wordsOf[T string | []byte](v T) words {
	var ws words
	for i := 0; i < len(v) && i < 24; i++ {
		ws.set(i, v[i])
	}
	return ws
}

// wordsAt is wordsOf(string(b[i:i+n])) for n <= 24 and i+24 <= len(b).
func wordsAt(b []byte, i, n int) words {
	var ws words
	x := b[i : i+24]
	for j := range 3 {
		k := min(max(n-8*j, 0), 8) // the bytes of word j that are v's
		ws.m[j] = 1<<(8*k) - 1     // all ones for k = 8 (the shift gives 0)
		ws.w[j] = binary.LittleEndian.Uint64(x[8*j:]) & ws.m[j]
	}
	return ws
}

func (ws *words) set(i int, c byte) {
	ws.w[i/8] |= uint64(c) << (8 * (i % 8))
	ws.m[i/8] |= 0xFF << (8 * (i % 8))
}

// eq reports whether the 24 bytes x begin with the bytes of ws.
func (ws *words) eq(x []byte) bool {
	return binary.LittleEndian.Uint64(x)&ws.m[0] == ws.w[0] &&
		binary.LittleEndian.Uint64(x[8:])&ws.m[1] == ws.w[1] &&
		binary.LittleEndian.Uint64(x[16:])&ws.m[2] == ws.w[2]
}

// memoWidth is the number of member places remembered in each struct.
const memoWidth = 16

// memos are a scanner's memo of each member place.
type memos [numStructs * memoWidth]memo

// other passes over the value of a member whose key is none of the
// struct's names (next has checked the key).
func (s *scanner) other() bool {
	if s.slot < 0 || s.memo == nil || !s.strict {
		return s.skip()
	}
	// A value (object, array or string: its bytes end it) written as one
	// of the two last passed at this member place and depth was checked
	// then.
	m := &s.memo[s.slot]
	for j := range m.skip {
		if v := m.skip[j]; v != "" && m.skipDepth[j] == s.depth && len(s.b)-s.i >= len(v) && string(s.b[s.i:s.i+len(v)]) == v {
			s.i += len(v)
			m.stores = max(m.stores-1, 0)
			return true
		}
	}
	start := s.i
	if !s.skip() {
		return false
	}
	if v := s.b[start:s.i]; len(v) <= maxMemoSkip && (v[0] == '{' || v[0] == '[' || v[0] == '"') && m.stores < maxMemoStores {
		j := m.stores & 1
		m.skip[j], m.skipDepth[j] = string(v), s.depth
		m.stores++
	}
	return true
}

// A value passed over is remembered when it is at most maxMemoSkip bytes,
// and while the values stored at one member place outnumber the matches
// by less than maxMemoStores (a value that differs from resource to
// resource is not copied again and again).
const (
	maxMemoSkip   = 1024
	maxMemoStores = 64
)

// fieldNames are the JSON names of a struct's fields, in the order of
// their field numbers (next), and the set of their lengths (bit n set for
// a name of n bytes; all are below 64), so that most other keys are
// passed without comparing them to each name.
type fieldNames struct {
	site  int // the struct's place in the scanner's memo
	names []string
	lens  uint64
	num   map[string]int // field numbers by name
}

func newFieldNames(site int, names ...string) *fieldNames {
	f := &fieldNames{site: site, names: names, num: map[string]int{}}
	for i, n := range names {
		f.lens |= 1 << len(n)
		f.num[n] = i
	}
	return f
}

// index returns the field number of key, or otherField.
func (f *fieldNames) index(key []byte) int {
	if len(key) < 64 && f.lens&(1<<len(key)) != 0 {
		if i, ok := f.num[string(key)]; ok {
			return i
		}
	}
	return otherField
}

// otherKey reports whether key, none of the names, may be passed over:
// it is ASCII and matches none of them regardless of case.
func (f *fieldNames) otherKey(key []byte) bool {
	for _, c := range key {
		if c >= 0x80 {
			return false
		}
	}
	if len(key) >= 64 || f.lens&(1<<len(key)) != 0 {
		for _, n := range f.names {
			if len(n) == len(key) && foldEq(n, key) {
				return false
			}
		}
	}
	return true
}

func foldEq(a string, b []byte) bool {
	for i := range len(a) {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// seen marks field f of an object as read; false when it was already.
func seen(mask *uint64, f int) bool {
	bit := uint64(1) << (f & 63) // f is below 64
	if *mask&bit != 0 {
		return false
	}
	*mask |= bit
	return true
}

// elem moves to element n of the array entered with open ('['): done
// after the ']'.
func (s *scanner) elem(n int) (done, ok bool) {
	if n > 0 {
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
			s.ws()
			return false, true
		case ']':
			s.i++
			s.depth--
			return true, true
		}
		return false, false
	}
	if s.peek() == ']' {
		s.i++
		s.depth--
		return true, true
	}
	return false, true
}

// array decodes a JSON array (or null) of T into dst with dec; an empty
// array is an empty, non-nil slice, as from encoding/json. With a slab,
// the first elements are placed in it.
func array[T any](s *scanner, dst *[]T, dec func(*scanner, *T) bool, slab *[]T) bool {
	switch s.peek() {
	case 'n':
		return s.lit("null")
	case '[':
	default:
		return false
	}
	if !s.open() {
		return false
	}
	out := []T{}
	if slab != nil {
		if cap(*slab)-len(*slab) < slabTake {
			*slab = make([]T, 0, slabSize)
		}
		n := len(*slab)
		out = (*slab)[n:n:(n + slabTake)]
	}
	for n := 0; ; n++ {
		done, ok := s.elem(n)
		if !ok {
			return false
		}
		if done {
			*dst = out
			if slab != nil && len(out) <= slabTake {
				*slab = (*slab)[:len(*slab)+len(out)]
			}
			return true
		}
		var zero T
		out = append(out, zero)
		if !dec(s, &out[len(out)-1]) {
			return false
		}
	}
}

// pointer decodes an object (or null) into a new T, from slab if not nil.
func pointer[T any](s *scanner, dst **T, dec func(*scanner, *T) bool, slab *[]T) bool {
	if s.peek() == 'n' {
		return s.lit("null")
	}
	if s.peek() != '{' {
		return false
	}
	v := alloc(slab)
	*dst = v
	return dec(s, v)
}

// arena hands out the small values the decoder points to from blocks
// (slabs), so that a resource costs a few allocations, not one per
// element. A block stays alive while anything points into it (a finding's
// score does, a few bytes each); nothing in a block is ever reused.
type arena struct {
	floats     []float64
	quantities []quantity
	metas      []metaSource
	codings    []coding
	ccs        []codeableConcept
	periods    []period
	components []component
	text       []byte // resource ids (arenatext.go)
}

const (
	slabSize = 256 // elements in a block
	slabTake = 4   // room an array takes for its first elements
)

// alloc returns a new zero T from slab (new(T) when slab is nil).
func alloc[T any](slab *[]T) *T {
	if slab == nil {
		return new(T)
	}
	if len(*slab) == cap(*slab) {
		*slab = make([]T, 0, slabSize)
	}
	*slab = (*slab)[:len(*slab)+1]
	return &(*slab)[len(*slab)-1]
}

// object starts a struct's object: null leaves the struct as it is
// (isNull), anything but an object gives up.
func (s *scanner) object() (isNull, ok bool) {
	switch s.peek() {
	case 'n':
		return true, s.lit("null")
	case '{':
		return false, s.open()
	}
	return false, false
}

func (s *scanner) setText(dst *string) bool {
	// The common case first: the value last at this member place, short
	// enough for words.eq.
	if b, i := s.b, s.i; s.slot >= 0 && s.memo != nil {
		m := &s.memo[s.slot]
		if k := len(m.val) + 2; k > 2 && k <= 24 && i+24 <= len(b) && m.valWords.eq(b[i:i+24]) {
			s.i = i + k
			*dst = m.val
			return true
		}
	}
	switch s.peek() {
	case '"':
		if s.slot < 0 || s.memo == nil {
			v, ok := s.text()
			*dst = v
			return ok
		}
		// The value last at this member place, if the same bytes follow.
		m := &s.memo[s.slot]
		if m.val != "" {
			n := len(m.val) + 2 // with the quotes
			var same bool
			if n <= 24 && s.i+24 <= len(s.b) {
				same = m.valWords.eq(s.b[s.i:])
			} else {
				e := s.i + n - 1
				same = e < len(s.b) && s.b[e] == '"' && string(s.b[s.i+1:e]) == m.val
			}
			if same {
				s.i += n
				*dst = m.val
				return true
			}
		}
		start := s.i
		raw, esc, ok := s.str()
		switch {
		case !ok:
			return false
		case esc:
			*dst = unquote(raw)
		default:
			*dst = s.in.get(raw)
			if s.strict {
				m.val = *dst
				if n := s.i - start; n <= 24 && start+24 <= len(s.b) {
					m.valWords = wordsAt(s.b, start, n)
				} else {
					m.valWords = wordsOf(s.b[start:s.i]) // the quoted value
				}
			}
		}
		return true
	case 'n':
		return s.lit("null")
	}
	return false
}

func (s *scanner) setTextPtr(dst **string) bool {
	switch s.peek() {
	case '"':
		v, ok := s.text()
		*dst = &v
		return ok
	case 'n':
		return s.lit("null")
	}
	return false
}

func (s *scanner) setFloatPtr(dst **float64) bool {
	if s.peek() == 'n' {
		return s.lit("null")
	}
	v, ok := s.float()
	p := alloc(&s.a.floats)
	*p = v
	*dst = p
	return ok
}

// setBoolPtr points *dst to a shared true or false: the decoded resources
// are only read, so a boolean needs no allocation of its own.
func (s *scanner) setBoolPtr(dst **bool) bool {
	switch s.peek() {
	case 'n':
		return s.lit("null")
	case 't':
		*dst = &boolTrue
		return s.lit("true")
	case 'f':
		*dst = &boolFalse
		return s.lit("false")
	}
	return false
}

// boolTrue and boolFalse are what setBoolPtr points to; nothing writes
// them.
var boolTrue, boolFalse = true, false
