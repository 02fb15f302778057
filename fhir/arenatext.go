package fhir

import "unsafe"

// Resource ids are the one string of every resource that does not repeat
// (the interner shares the others), so each used to cost an allocation of
// its own. The arena writes them one after another into blocks of
// textBlock bytes and hands out strings that point into a block
// (unsafe.String, as strings.Builder does). A block is only appended to:
// bytes once handed out are never written again, so the strings are as
// immutable as any other. A block stays alive while one of its strings
// does, as an arena block does (arena in decode.go); longer ids are
// allocated on their own.
const (
	textBlock  = 4096
	maxTextLen = 256 // longer ids get their own allocation
)

// typedID returns typ + "/" + id.
func (a *arena) typedID(typ string, id []byte) string {
	n := len(typ) + 1 + len(id)
	if n > maxTextLen {
		return typ + "/" + string(id)
	}
	if cap(a.text)-len(a.text) < n {
		a.text = make([]byte, 0, textBlock)
	}
	start := len(a.text)
	a.text = append(a.text, typ...)
	a.text = append(a.text, '/')
	a.text = append(a.text, id...)
	return unsafe.String(&a.text[start], n)
}
