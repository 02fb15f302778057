package cdshooks

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
)

// One pass over a service call's body. The body of a patient-view call is
// mostly prefetch: a ten-year Observation search is hundreds of kilobytes.
// Decoding it with encoding/json into a Request (prefetch values as
// json.RawMessage, each copied), then each value again to find a Bundle's
// entries, scanned the prefetch four times and copied it twice before the
// fhir reader decoded a resource. scanCall checks the whole body once, as
// json.Valid does, and finds on the way the prefetch values and, in each
// Bundle, its type, id, links and the entries' fullUrl and resource, all
// as slices of the body; only the small rest of the body (hook, context,
// fhirServer…) goes through encoding/json.
//
// It takes only the plain shape: exact lower-case member names, names and
// the strings it reads without escapes or non-ASCII bytes, no repeated
// member. For anything else (and for invalid JSON) it gives up, and the
// caller decodes the body with encoding/json as before, which also words
// the errors; a prefetch value it cannot read so is decoded alone the same
// way. FuzzScanCall holds both paths to the same result.

// maxDepth is encoding/json's nesting limit: deeper documents are invalid.
const maxDepth = 10000

// scanned is what scanCall found.
type scanned struct {
	// envelope is the body's members other than prefetch, as one object.
	envelope []byte
	// prefetch holds the prefetch values (slices of the body); nil when
	// prefetch is absent or null.
	prefetch map[string]json.RawMessage
	// shallow holds, for the prefetch values of the plain shape, what
	// gather reads of them.
	shallow map[string]*shallow
}

type scanner struct {
	b []byte
	i int
}

// plain[c]: c needs no attention inside a string (printable ASCII other
// than the quote and the backslash).
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanCall reads body, or returns nil when it is not valid JSON of the
// plain shape.
func scanCall(body []byte) *scanned {
	s := &scanner{b: body}
	s.ws()
	if !s.at('{') {
		return nil
	}
	out := &scanned{}
	env := make([]byte, 0, 256)
	env = append(env, '{')
	seenPrefetch := false
	ok := s.members(1, func(key []byte, simple bool, start int) bool {
		if !simple {
			return false
		}
		if !bytes.EqualFold(key, []byte("prefetch")) {
			if !s.skip(1) {
				return false
			}
			if len(env) > 1 {
				env = append(env, ',')
			}
			env = append(env, s.b[start:s.i]...)
			return true
		}
		if seenPrefetch || string(key) != "prefetch" {
			return false
		}
		seenPrefetch = true
		switch {
		case s.lit("null"):
			return true
		case s.at('{'):
			return s.prefetch(out)
		}
		return false
	})
	if !ok {
		return nil
	}
	s.ws()
	if s.i != len(s.b) {
		return nil
	}
	out.envelope = append(env, '}')
	return out
}

// prefetch reads the prefetch object (the scanner at its '{').
func (s *scanner) prefetch(out *scanned) bool {
	out.prefetch = map[string]json.RawMessage{}
	out.shallow = map[string]*shallow{}
	return s.members(2, func(key []byte, simple bool, _ int) bool {
		if !simple {
			return false
		}
		k := string(key)
		start := s.i
		var sh *shallow
		if s.at('{') {
			var ok bool
			if sh, ok = s.resource(3); !ok {
				return false
			}
		} else if !s.skip(2) {
			return false
		}
		// A repeated key: the last value holds, as in a map.
		out.prefetch[k] = s.b[start:s.i]
		if sh != nil {
			out.shallow[k] = sh
		} else {
			delete(out.shallow, k)
		}
		return true
	})
}

// resource reads a prefetched resource (the scanner at its '{', at nesting
// depth depth): its type and id, and a Bundle's links and entries. It
// returns nil, true when the resource is valid but not of the plain shape.
func (s *scanner) resource(depth int) (*shallow, bool) {
	sh := &shallow{}
	regular := true
	var seen [4]bool
	once := func(i int) bool {
		if seen[i] {
			regular = false
		}
		seen[i] = true
		return regular
	}
	ok := s.members(depth, func(key []byte, simple bool, _ int) bool {
		switch {
		case simple && string(key) == "resourceType" && once(0):
			sh.ResourceType, regular = s.plainString(regular)
		case simple && string(key) == "id" && once(1):
			sh.ID, regular = s.plainString(regular)
		case simple && string(key) == "link" && once(2):
			start := s.i
			if !s.skip(depth) {
				return false
			}
			if json.Unmarshal(s.b[start:s.i], &sh.Link) != nil {
				regular = false
			}
			return true
		case simple && string(key) == "entry" && once(3):
			if !s.at('[') {
				regular = false
				break
			}
			sh.Entry = []entry{} // not nil, as from encoding/json
			return s.entries(depth+1, sh, &regular)
		default:
			if !simple || isShallowField(key) {
				regular = false
			}
		}
		return s.skip(depth)
	})
	if !ok {
		return nil, false
	}
	if !regular {
		return nil, true
	}
	return sh, true
}

// isShallowField reports whether encoding/json would decode key into a
// field of shallow (its names match case-insensitively).
func isShallowField(key []byte) bool {
	for _, f := range []string{"resourceType", "id", "link", "entry"} {
		if bytes.EqualFold(key, []byte(f)) {
			return true
		}
	}
	return false
}

// entries reads a Bundle's entry array (the scanner at its '[').
func (s *scanner) entries(depth int, sh *shallow, regular *bool) bool {
	return s.elements(depth, func() bool {
		if !s.at('{') {
			*regular = false
			return s.skip(depth)
		}
		var e entry
		var seenURL, seenRes bool
		ok := s.members(depth+1, func(key []byte, simple bool, _ int) bool {
			switch {
			case simple && string(key) == "fullUrl" && !seenURL:
				seenURL = true
				e.FullURL, *regular = s.plainString(*regular)
			case simple && string(key) == "resource" && !seenRes:
				seenRes = true
				start := s.i
				if !s.skip(depth + 1) {
					return false
				}
				e.Resource = s.b[start:s.i]
				return true
			default:
				if !simple || bytes.EqualFold(key, []byte("fullUrl")) || bytes.EqualFold(key, []byte("resource")) {
					*regular = false
				}
			}
			return s.skip(depth + 1)
		})
		sh.Entry = append(sh.Entry, e)
		return ok
	})
}

// plainString reads a string of the plain shape and returns it; else it
// leaves the value to the caller's skip and returns regular false.
func (s *scanner) plainString(regular bool) (string, bool) {
	if !s.at('"') {
		return "", false
	}
	start := s.i
	v, simple, ok := s.str()
	if !ok || !simple {
		s.i = start
		return "", false
	}
	s.i = start // the caller's skip passes it
	return string(v), regular
}

// members reads an object (the scanner at its '{', which is at nesting
// depth depth); for each member it calls f with the scanner at the value,
// which f must pass. start is where the member's name begins.
func (s *scanner) members(depth int, f func(key []byte, simple bool, start int) bool) bool {
	if depth > maxDepth {
		return false
	}
	s.i++ // '{'
	s.ws()
	if s.at('}') {
		s.i++
		return true
	}
	for {
		start := s.i
		if !s.at('"') {
			return false
		}
		key, simple, ok := s.str()
		if !ok {
			return false
		}
		s.ws()
		if !s.at(':') {
			return false
		}
		s.i++
		s.ws()
		if !f(key, simple, start) {
			return false
		}
		s.ws()
		switch {
		case s.at(','):
			s.i++
			s.ws()
		case s.at('}'):
			s.i++
			return true
		default:
			return false
		}
	}
}

// elements reads an array (the scanner at its '[', at nesting depth
// depth), calling f at each element, which f must pass.
func (s *scanner) elements(depth int, f func() bool) bool {
	if depth > maxDepth {
		return false
	}
	s.i++ // '['
	s.ws()
	if s.at(']') {
		s.i++
		return true
	}
	for {
		if !f() {
			return false
		}
		s.ws()
		switch {
		case s.at(','):
			s.i++
			s.ws()
		case s.at(']'):
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *scanner) at(c byte) bool { return s.i < len(s.b) && s.b[s.i] == c }

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) lit(l string) bool {
	if bytes.HasPrefix(s.b[s.i:], []byte(l)) {
		s.i += len(l)
		return true
	}
	return false
}

// str reads a string (the scanner at its quote) and returns its content;
// simple is false when it holds an escape or a byte outside printable
// ASCII (then encoding/json must decode it). Eight bytes are looked at a
// time (special, below).
func (s *scanner) str() (v []byte, simple, ok bool) {
	b := s.b
	i := s.i + 1
	simple = true
	for {
		for i+8 <= len(b) {
			if m := special(binary.LittleEndian.Uint64(b[i:])); m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		for i < len(b) && plain[b[i]] {
			i++
		}
		if i >= len(b) {
			return nil, false, false
		}
		switch c := b[i]; {
		case c == '"':
			v, s.i = b[s.i+1:i], i+1
			return v, simple, true
		case c == '\\':
			simple = false
			if i+1 >= len(b) {
				return nil, false, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return nil, false, false
				}
				for _, h := range b[i+2 : i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return nil, false, false
					}
				}
				i += 6
			default:
				return nil, false, false
			}
		case c < 0x20:
			return nil, false, false
		default: // not ASCII: any byte is valid JSON, as for encoding/json
			simple = false
			i++
		}
	}
}

// special returns, for eight string bytes x (little-endian), a mask whose
// lowest set bit is the high bit of the first byte that is not plain: a
// control character (< 0x20), '"', '\\' or a byte >= 0x80. Borrows only
// carry upwards from such a byte, so bytes before it never show.
func special(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	return ((x - 0x20*ones) | ((x ^ '"'*ones) - ones) | ((x ^ '\\'*ones) - ones) | x) & highs
}

// num reads a number (RFC 8259 §6).
func (s *scanner) num() bool {
	b, i := s.b, s.i
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	s.i = i
	return true
}

// skip passes one value, checking it, inside containers nested depth
// deep. It keeps its own stack of open containers: the prefetch is mostly
// resources skipped so, and nothing else is done with their bytes here.
func (s *scanner) skip(depth int) bool {
	var buf [32]byte
	stack := buf[:0] // the closing bracket of each open container
	for {
		// A value.
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch c := s.b[s.i]; {
		case c == '{' || c == '[':
			if depth+len(stack)+1 > maxDepth {
				return false
			}
			s.i++
			s.ws()
			closer := c + 2 // '}' or ']'
			if s.at(closer) {
				s.i++
				break
			}
			stack = append(stack, closer)
			if c == '{' && !s.key() {
				return false
			}
			continue
		case c == '"':
			if _, _, ok := s.str(); !ok {
				return false
			}
		case c == '-' || '0' <= c && c <= '9':
			if !s.num() {
				return false
			}
		case c == 't' && s.lit("true"), c == 'f' && s.lit("false"), c == 'n' && s.lit("null"):
		default:
			return false
		}
		// After a value: close containers, or go on to the next value.
		for {
			if len(stack) == 0 {
				return true
			}
			s.ws()
			top := stack[len(stack)-1]
			if s.at(top) {
				s.i++
				stack = stack[:len(stack)-1]
				continue
			}
			if !s.at(',') {
				return false
			}
			s.i++
			s.ws()
			if top == '}' && !s.key() {
				return false
			}
			break
		}
	}
}

// key passes a member name and its colon.
func (s *scanner) key() bool {
	if !s.at('"') {
		return false
	}
	if _, _, ok := s.str(); !ok {
		return false
	}
	s.ws()
	if !s.at(':') {
		return false
	}
	s.i++
	return true
}
