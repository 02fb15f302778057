package fhir

// Lexer is the fast decoder's JSON lexer (scan.go) for the readers of the
// JSON around FHIR resources: fhir/cdshooks reads a CDS Hooks call's body
// with it, and hands the prefetched resources it finds, as slices of the
// body, to Reader.ReadEntries. It checks the grammar as encoding/json's
// Valid does (any bytes in strings, numbers of any size), so that there
// is one JSON lexer in RenalWatch.
type Lexer struct {
	s scanner
}

// NewLexer returns a lexer at the start of b that takes containers nested
// at most maxDepth deep (encoding/json's limit is 10,000).
func NewLexer(b []byte, maxDepth int) *Lexer {
	return &Lexer{s: scanner{b: b, limit: maxDepth}}
}

// Pos is the position of the lexer in its bytes.
func (l *Lexer) Pos() int { return l.s.i }

// SetPos moves the lexer to position i.
func (l *Lexer) SetPos(i int) { l.s.i = i }

// Space passes white space.
func (l *Lexer) Space() { l.s.ws() }

// At reports whether the byte at the position is c.
func (l *Lexer) At(c byte) bool { return l.s.i < len(l.s.b) && l.s.b[l.s.i] == c }

// Literal passes the word w (true, false, null) if it is at the position.
func (l *Lexer) Literal(w string) bool { return l.s.lit(w) }

// Str passes the string at the position (its opening quote) and returns
// its content, escapes not resolved; plain is true when the content is
// printable ASCII without escapes (its content is then its text). ok is
// false, the position unspecified, when it is not a JSON string.
func (l *Lexer) Str() (content []byte, plain, ok bool) {
	raw, esc, ok := l.s.str()
	if !ok {
		return nil, false, false
	}
	if esc {
		return raw, false, true
	}
	for _, c := range raw {
		if c >= 0x80 {
			return raw, false, true
		}
	}
	return raw, true, true
}

// Skip passes the value at the position, checking it, inside containers
// nested depth deep; false when it is not valid JSON or nests deeper than
// the lexer's limit.
func (l *Lexer) Skip(depth int) bool {
	l.s.depth = depth
	return l.s.skip()
}
