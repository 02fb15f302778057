package cdshooks

import (
	"bytes"
	"encoding/json"

	"renalwatch/fhir"
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
	// skimmed: an entry's resource was passed unchecked (skim.go).
	skimmed bool
	// searched: the bytes resourceEnd's guesses examined.
	searched int
}

// scanner walks the body with the fhir package's JSON lexer (one JSON
// lexer in RenalWatch); b is the body.
type scanner struct {
	b  []byte
	lx *fhir.Lexer
	// skim: pass entries' resource objects by their brackets, or decode
	// them where they are with dec when it is set (skim.go); skimmed: one
	// was.
	skim, skimmed bool
	dec           *fhir.Entries
	// noGuess: a guess at a resource's end (resourceEnd) went past it, so
	// the body's entries are not written with their search member after
	// the resource; the rest are skimmed. searched counts the bytes the
	// guesses examined (at most about the body's length: tests).
	noGuess  bool
	searched int
}

// scanCall reads body, or returns nil when it is not valid JSON of the
// plain shape.
func scanCall(body []byte) *scanned { return scanCallWith(body, false) }

// scanCallWith is scanCall; with skim, entries' resources are passed by
// their brackets and left to the fhir reader to check (skim.go): then a
// body it reads may be invalid JSON inside them, and the result says
// whether any was skimmed.
func scanCallWith(body []byte, skim bool) *scanned { return scanCallDec(body, skim, nil) }

// scanCallDec is scanCallWith; with skim and dec, the entries' resources
// are decoded by dec where they are, those dec's decoder takes (skim.go).
func scanCallDec(body []byte, skim bool, dec *fhir.Entries) *scanned {
	s := &scanner{b: body, lx: fhir.NewLexer(body, maxDepth), skim: skim, dec: dec}
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
			env = append(env, s.b[start:s.pos()]...)
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
	if s.pos() != len(s.b) {
		return nil
	}
	out.envelope = append(env, '}')
	out.skimmed, out.searched = s.skimmed, s.searched
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
		start := s.pos()
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
		out.prefetch[k] = s.b[start:s.pos()]
		if sh != nil {
			out.shallow[k] = sh
		} else {
			delete(out.shallow, k)
		}
		return true
	})
}

// resource reads a prefetched resource (the scanner at its '{', at nesting
// depth depth): its type and id, and a Bundle's type, links and entries. It
// returns nil, true when the resource is valid but not of the plain shape.
func (s *scanner) resource(depth int) (*shallow, bool) {
	sh := &shallow{}
	regular := true
	var seen [5]bool
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
		case simple && string(key) == "type" && once(4):
			sh.Type, regular = s.plainString(regular)
		case simple && string(key) == "link" && once(2):
			start := s.pos()
			if !s.skip(depth) {
				return false
			}
			if json.Unmarshal(s.b[start:s.pos()], &sh.Link) != nil {
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
	for _, f := range []string{"resourceType", "id", "type", "link", "entry"} {
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
				start := s.pos()
				if s.skim && s.at('{') {
					end, ok := s.resourceEnd(start, depth+1)
					if ok {
						s.setPos(end)
						s.skimmed = true
						e.Resource = s.b[start:end]
						return true
					}
				}
				if !s.skip(depth + 1) {
					return false
				}
				e.Resource = s.b[start:s.pos()]
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
	start := s.pos()
	v, simple, ok := s.str()
	if !ok || !simple {
		s.setPos(start)
		return "", false
	}
	s.setPos(start) // the caller's skip passes it
	return string(v), regular
}

// members reads an object (the scanner at its '{', which is at nesting
// depth depth); for each member it calls f with the scanner at the value,
// which f must pass. start is where the member's name begins.
func (s *scanner) members(depth int, f func(key []byte, simple bool, start int) bool) bool {
	if depth > maxDepth {
		return false
	}
	s.adv() // '{'
	s.ws()
	if s.at('}') {
		s.adv()
		return true
	}
	for {
		start := s.pos()
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
		s.adv()
		s.ws()
		if !f(key, simple, start) {
			return false
		}
		s.ws()
		switch {
		case s.at(','):
			s.adv()
			s.ws()
		case s.at('}'):
			s.adv()
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
	s.adv() // '['
	s.ws()
	if s.at(']') {
		s.adv()
		return true
	}
	for {
		if !f() {
			return false
		}
		s.ws()
		switch {
		case s.at(','):
			s.adv()
			s.ws()
		case s.at(']'):
			s.adv()
			return true
		default:
			return false
		}
	}
}

func (s *scanner) at(c byte) bool    { return s.lx.At(c) }
func (s *scanner) ws()               { s.lx.Space() }
func (s *scanner) lit(l string) bool { return s.lx.Literal(l) }
func (s *scanner) pos() int          { return s.lx.Pos() }
func (s *scanner) setPos(i int)      { s.lx.SetPos(i) }
func (s *scanner) adv()              { s.lx.SetPos(s.lx.Pos() + 1) }

// str reads a string (the scanner at its quote) and returns its content;
// simple is false when it holds an escape or a byte outside printable
// ASCII (then encoding/json must decode it).
func (s *scanner) str() (v []byte, simple, ok bool) { return s.lx.Str() }

// skip passes one value, checking it, inside containers nested depth
// deep.
func (s *scanner) skip(depth int) bool { return s.lx.Skip(depth) }

// searchAfter is what follows a resource in a searchset entry as FHIR
// servers write it: the entry's search member.
var searchAfter = []byte(`},"search":`)

// resourceEnd returns the end of the resource object at s.b[start] (nested
// depth deep), decoded by s.dec when it is set (skim.go). The end is
// first guessed where the entry's search member follows it and the
// object up to there decoded: a JSON object decoded whole from its first
// bracket ends there, whatever the guess was. When the guess or its
// decoding fails, the object is skimmed by its brackets, and decoded.
// The decoder is given the object's exact bytes either way, as
// fhir.Reader.ReadEntries gives them.
//
// A guess that falls past the object's end (no search member after it:
// entry.search is optional, and white space may come between) searched
// bytes beyond it, up to the end of the body when there is none; then no
// more guesses are made in this body, so the guesses examine each byte
// about once at most (a guess per entry searching the rest of the body
// made the scan quadratic: 12 s for 20,000 entries).
func (s *scanner) resourceEnd(start, depth int) (int, bool) {
	guess := -1 // the end guessed, when the decoding failed
	if s.dec != nil && !s.noGuess {
		rest := s.b[start:]
		i := bytes.Index(rest, searchAfter)
		if i < 0 {
			s.searched += len(rest)
			s.noGuess = true
		} else {
			s.searched += i + len(searchAfter)
			if n := s.dec.Decode(rest[:i+1]); n > 0 {
				s.noGuess = n != i+1
				return start + n, true
			}
			guess = start + i + 1
		}
	}
	end, ok := skimObject(s.b, start, depth)
	if ok && s.dec != nil {
		s.dec.Decode(s.b[start:end])
	}
	if guess > end {
		s.noGuess = true
	}
	return end, ok
}
