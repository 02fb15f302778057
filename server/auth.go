package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"
)

// Tokens are the bearer tokens the server accepts, each with the name of
// its holder. The name goes to the access log; the token never does.
type Tokens struct {
	names  []string
	hashes [][sha256.Size]byte
}

// minTokenLen is the shortest token accepted from a token file: 16
// characters of a random token are at least ~80 bits for base32/hex.
const minTokenLen = 16

// ParseTokens reads a token file: one "NAME TOKEN" pair a line, separated by
// white space; blank lines and lines starting with # are ignored. name is
// the file name used in errors. A line with other than two fields, a token
// shorter than 16 characters, or a repeated name or token is an error that
// names the line (never the token).
func ParseTokens(name string, r io.Reader) (*Tokens, error) {
	t := &Tokens{}
	seenName := map[string]int{}
	seenTok := map[[sha256.Size]byte]int{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.FieldsFunc(s, unicode.IsSpace)
		if len(f) != 2 {
			return nil, fmt.Errorf("%s:%d: want NAME TOKEN separated by white space, got %d fields", name, line, len(f))
		}
		if len(f[1]) < minTokenLen {
			return nil, fmt.Errorf("%s:%d: the token of %q is shorter than %d characters", name, line, f[0], minTokenLen)
		}
		h := sha256.Sum256([]byte(f[1]))
		if l, ok := seenName[f[0]]; ok {
			return nil, fmt.Errorf("%s:%d: name %q already given on line %d", name, line, f[0], l)
		}
		if l, ok := seenTok[h]; ok {
			return nil, fmt.Errorf("%s:%d: the token of %q is the one on line %d", name, line, f[0], l)
		}
		seenName[f[0]], seenTok[h] = line, line
		t.names = append(t.names, f[0])
		t.hashes = append(t.hashes, h)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(t.names) == 0 {
		return nil, fmt.Errorf("%s: no NAME TOKEN line", name)
	}
	return t, nil
}

// Lookup returns the name holding token. It compares the SHA-256 of the
// token with every stored hash in constant time and does not stop at the
// first match, so the time taken says nothing about which token or how
// much of it matched.
func (t *Tokens) Lookup(token string) (string, bool) {
	if t == nil || token == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(token))
	found := -1
	for i := range t.hashes {
		if subtle.ConstantTimeCompare(h[:], t.hashes[i][:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return t.names[found], true
}

// bearer returns the token of an "Authorization: Bearer TOKEN" header.
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
