package fhir

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestWords: words.eq says whether 24 bytes begin with the string the
// words were made of (wordsOf, or wordsAt from a document), as
// bytes.HasPrefix does, for strings of 0 to 24 bytes that differ from the
// bytes at any one place.
func TestWords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 64)
	for range 20000 {
		for i := range buf {
			buf[i] = "ab\"\x00\xff"[r.IntN(5)]
		}
		n := r.IntN(25)
		i := r.IntN(len(buf) - 24)
		v := bytes.Clone(buf[i : i+n])
		if r.IntN(2) == 0 && n > 0 {
			v[r.IntN(n)] ^= byte(1 << r.IntN(8))
		}
		want := bytes.HasPrefix(buf[i:], v)
		ws := wordsOf(string(v))
		if got := ws.eq(buf[i : i+24]); got != want {
			t.Fatalf("wordsOf(%q).eq(%q) = %v; want %v", v, buf[i:i+24], got, want)
		}
		if wb := wordsOf(v); wb != ws {
			t.Fatalf("wordsOf of the bytes %q differs from that of the string", v)
		}
		if wa := wordsAt(buf, i, n); wa != wordsOf(buf[i:i+n]) {
			t.Fatalf("wordsAt(%q, %d, %d) = %v; want %v", buf, i, n, wa, wordsOf(buf[i:i+n]))
		}
	}
}
