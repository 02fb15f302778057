package fhir

import "unsafe"

// Resource ids (and the ids of blood pressure components) are the strings
// of a resource that do not repeat (the interner shares the others), so
// each used to cost an allocation of its own. The arena writes them one
// after another into blocks of textBlock bytes and hands out strings that
// point into a block (unsafe.String, as strings.Builder does). A block is
// only appended to: bytes once handed out are never written again, so the
// strings are as immutable as any other. A block stays alive while one of
// its strings does, as an arena block does (arena in decode.go); longer
// strings are allocated on their own.
const (
	textBlock  = 4096
	maxTextLen = 256
)

// joinText returns x + string(sep) + string(y), in a's text blocks.
func joinText[T string | []byte](a *arena, x string, sep byte, y T) string {
	n := len(x) + 1 + len(y)
	if n > maxTextLen {
		return x + string(sep) + string(y)
	}
	if cap(a.text)-len(a.text) < n {
		a.text = make([]byte, 0, textBlock)
	}
	start := len(a.text)
	a.text = append(a.text, x...)
	a.text = append(a.text, sep)
	a.text = append(a.text, y...)
	return unsafe.String(&a.text[start], n)
}
