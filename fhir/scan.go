package fhir

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The fast decoder: one pass over a JSON document that checks its grammar
// and fills the resource structs of resource.go directly, without
// reflection or an intermediate tree (issue 10 §3).
//
// It decodes only what it can decode exactly as encoding/json v1 with
// checkDoc does (decodeResourceV1). On anything else it gives up (the
// methods return false) and the caller decodes the document with
// decodeResourceV1, so that every document is accepted or rejected, and
// every rejection worded, exactly as before. It gives up on:
//   - any JSON syntax error (v1 words the rejection);
//   - a string that is not UTF-8 or a number that may be beyond float64
//     (checkDoc names the element);
//   - a value of the wrong JSON type for its field (a v1 UnmarshalTypeError);
//   - an object key with escapes or non-ASCII bytes, a key that matches a
//     field only without regard to case (v1 matches keys case-insensitively;
//     FHIR does not, and no writer RenalWatch has seen does it), and a field
//     given twice (v1 merges the two values; FHIR forbids it);
//   - a top-level value that is not an object, and nesting deeper than
//     maxDepth.
// So those rare documents cost what they cost before; the rest decode in
// one pass.

// maxDepth is the deepest nesting the fast decoder follows; deeper
// documents are left to encoding/json (whose own limit is 10,000).
const maxDepth = 500

// scanner reads JSON from b at i. strict also gives up on strings that
// are not UTF-8 and numbers that may be beyond float64; without it only
// the grammar is checked (the entries of a Bundle skipped at its level,
// as checkDoc skips them).
type scanner struct {
	b      []byte
	i      int
	depth  int
	strict bool
	in     *interner
	a      *arena
	limit  int // the deepest nesting skip takes; 0: maxDepth
	// memo and slot: see next. slot is the memo of the member whose
	// value is at the position (-1: none).
	memo *memos // nil: nothing remembered
	slot int
	vals *valCaches // values decoded before (valcache.go); nil: none
}

// strByte marks the bytes that end the fast run inside a string: the
// quote, the backslash, control characters and non-ASCII bytes.
var strByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80
	}
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// ws skips JSON white space.
func (s *scanner) ws() {
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
}

// maxDepth is the deepest nesting skip takes.
func (s *scanner) maxDepth() int {
	if s.limit > 0 {
		return s.limit
	}
	return maxDepth
}

// peek returns the byte at i, or 0 at the end.
func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// special returns, for eight string bytes x (little-endian), a mask whose
// lowest set bit is the high bit of the first byte that ends the fast run
// (strByte): a control character, '"', '\\' or a byte >= 0x80. Borrows
// only carry upwards from such a byte, so the bytes before it never show.
func special(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	return ((x - 0x20*ones) | ((x ^ '"'*ones) - ones) | ((x ^ '\\'*ones) - ones) | x) & highs
}

// str scans the string at i (the opening quote). It returns its content
// (between the quotes, escapes not resolved) and whether it holds escapes.
func (s *scanner) str() (raw []byte, esc, ok bool) {
	b := s.b
	i := s.i + 1
	start := i
	high := false
	for {
		// Eight bytes at a time while none of them ends the run: no quote
		// (0x22), backslash (0x5C), byte below 0x20 or at or above 0x80.
		for i+8 <= len(b) {
			if m := special(binary.LittleEndian.Uint64(b[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				goto stop
			}
			i += 8
		}
		for i < len(b) && !strByte[b[i]] {
			i++
		}
	stop:
		if i >= len(b) {
			return nil, false, false
		}
		switch c := b[i]; {
		case c == '"':
			raw = b[start:i]
			s.i = i + 1
			if high && s.strict && !utf8.Valid(raw) {
				return nil, false, false
			}
			return raw, esc, true
		case c == '\\':
			esc = true
			if i+1 >= len(b) {
				return nil, false, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return nil, false, false
				}
				i += 6
			default:
				return nil, false, false
			}
		case c < 0x20:
			return nil, false, false
		default:
			high = true
			i++
		}
	}
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// text returns the string at i as encoding/json decodes it.
func (s *scanner) text() (string, bool) {
	raw, esc, ok := s.str()
	if !ok {
		return "", false
	}
	if esc {
		return unquote(raw), true
	}
	return s.in.get(raw), true
}

// unquote resolves the escapes of a string's content as encoding/json v1
// does (unquoteBytes): a lone or badly paired UTF-16 surrogate becomes
// U+FFFD. raw is grammatical and UTF-8.
func unquote(raw []byte) string {
	b := make([]byte, 0, len(raw))
	for r := 0; r < len(raw); {
		c := raw[r]
		if c != '\\' {
			b = append(b, c)
			r++
			continue
		}
		switch raw[r+1] {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			rr := getu4(raw[r:])
			r += 6
			if utf16.IsSurrogate(rr) {
				if dec := utf16.DecodeRune(rr, getu4(raw[r:])); dec != unicode.ReplacementChar {
					r += 6
					b = utf8.AppendRune(b, dec)
					continue
				}
				rr = unicode.ReplacementChar
			}
			b = utf8.AppendRune(b, rr)
			continue
		default: // '"', '\\', '/'
			b = append(b, raw[r+1])
		}
		r += 2
	}
	return string(b)
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// num scans the number at i. In strict mode it gives up on a number that
// may be beyond float64: more than 200 digits, an exponent of three digits
// or more, or a two-digit exponent on more than 100 digits. Every number
// it keeps is then between about 1e-210 and 1e210 or zero, so checkDoc's
// walk (mayBeOutOfRange) finds nothing in a document it accepts.
func (s *scanner) num() ([]byte, bool) {
	b, i := s.b, s.i
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	d0 := i
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	digits := i - d0
	if i < len(b) && b[i] == '.' {
		i++
		f0 := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == f0 {
			return nil, false
		}
		digits += i - f0
	}
	expDigits := 0
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		e0 := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == e0 {
			return nil, false
		}
		expDigits = i - e0
	}
	if s.strict && (digits > 200 || expDigits >= 3 || expDigits == 2 && digits > 100) {
		return nil, false
	}
	s.i = i
	return b[start:i], true
}

// float reads the number at i as encoding/json v1 reads it into a float64
// (strconv.ParseFloat).
func (s *scanner) float() (float64, bool) {
	raw, ok := s.num()
	if !ok {
		return 0, false
	}
	if v, ok := exactFloat(raw); ok {
		return v, true
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	return v, err == nil
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// exactFloat reads a JSON number without exponent whose digits, the point
// left out, make an integer m below 2^53 with at most 22 of them after the
// point: m and the power of ten are then exact float64 values, and one
// IEEE division rounds their quotient correctly (the fast path of
// strconv's atof64exact, Clinger 1990). strconv.ParseFloat also returns the
// correctly rounded value, so the two are the same to the bit
// (FuzzExactFloat). ok is false for any other number.
func exactFloat(raw []byte) (float64, bool) {
	i, neg := 0, false
	if len(raw) > 0 && raw[0] == '-' {
		i, neg = 1, true
	}
	var m uint64
	nd, frac, point := 0, 0, false
	for ; i < len(raw); i++ {
		c := raw[i]
		switch {
		case '0' <= c && c <= '9':
			if nd++; nd > 16 {
				return 0, false
			}
			m = m*10 + uint64(c-'0')
			if point {
				frac++
			}
		case c == '.' && !point:
			point = true
		default:
			return 0, false // an exponent
		}
	}
	if nd == 0 || m >= 1<<53 || frac >= len(pow10) {
		return 0, false
	}
	f := float64(m)
	if frac > 0 {
		f /= pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

// lit reads the literal word w (true, false, null) at i.
func (s *scanner) lit(w string) bool {
	if len(s.b)-s.i < len(w) || string(s.b[s.i:s.i+len(w)]) != w {
		return false
	}
	s.i += len(w)
	return true
}

// skipStr passes over the string at i, as str does.
func (s *scanner) skipStr() bool {
	b := s.b
	i := s.i + 1
	for i+8 <= len(b) {
		if m := special(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			if i += bits.TrailingZeros64(m) >> 3; b[i] == '"' {
				s.i = i + 1 // ASCII, without escapes: the common case
				return true
			}
			break
		}
		i += 8
	}
	_, _, ok := s.str()
	return ok
}

// skip checks and passes over the value at i.
func (s *scanner) skip() bool {
	switch s.peek() {
	case '"':
		return s.skipStr()
	case '{':
		if s.depth++; s.depth > s.maxDepth() {
			return false
		}
		s.i++
		s.ws()
		if s.peek() == '}' {
			s.i++
			s.depth--
			return true
		}
		for {
			if s.peek() != '"' || !s.skipStr() {
				return false
			}
			s.ws()
			if s.peek() != ':' {
				return false
			}
			s.i++
			s.ws()
			if !s.skip() {
				return false
			}
			s.ws()
			switch s.peek() {
			case ',':
				s.i++
				s.ws()
			case '}':
				s.i++
				s.depth--
				return true
			default:
				return false
			}
		}
	case '[':
		if s.depth++; s.depth > s.maxDepth() {
			return false
		}
		s.i++
		s.ws()
		if s.peek() == ']' {
			s.i++
			s.depth--
			return true
		}
		for {
			if !s.skip() {
				return false
			}
			s.ws()
			switch s.peek() {
			case ',':
				s.i++
				s.ws()
			case ']':
				s.i++
				s.depth--
				return true
			default:
				return false
			}
		}
	case 't':
		return s.lit("true")
	case 'f':
		return s.lit("false")
	case 'n':
		return s.lit("null")
	default:
		_, ok := s.num()
		return ok
	}
}

// span checks and passes over the value at i and returns its bytes, as
// encoding/json v1 gives them to a json.RawMessage.
func (s *scanner) span() ([]byte, bool) {
	start := s.i
	if !s.skip() {
		return nil, false
	}
	return s.b[start:s.i], true
}

// validJSON reports whether b is one JSON value with white space around
// it. It is exact where it says true; false may be a document deeper than
// maxDepth, which json.Valid then judges.
func validJSON(b []byte) bool {
	s := scanner{b: b}
	s.ws()
	if !s.skip() {
		return false
	}
	s.ws()
	return s.i == len(b)
}

// interner hands out one string for each distinct short byte string it
// sees (codes, systems, units, references, dates repeat from resource to
// resource): a direct-mapped table, so a miss costs one allocation, as
// without it.
type interner struct {
	slot [1024]string
}

func (n *interner) get(b []byte) string {
	if n == nil || len(b) > 96 || len(b) == 0 {
		return string(b)
	}
	h := uint32(len(b))
	h = h*31 + uint32(b[0])
	h = h*31 + uint32(b[len(b)-1])
	h = h*31 + uint32(b[len(b)/2])
	h = h*31 + uint32(b[len(b)*3/4])
	h ^= h >> 7
	e := &n.slot[h%uint32(len(n.slot))]
	if *e == string(b) {
		return *e
	}
	*e = string(b)
	return *e
}
