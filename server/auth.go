package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Tokens are the bearer tokens the server accepts, each with the name of
// its holder. The name goes to the access log; the token never does.
type Tokens struct {
	names  []string
	roles  []Role
	hashes [][sha256.Size]byte
}

// minTokenLen is the shortest token accepted from a token file: 16
// characters of a random token are at least ~80 bits for base32/hex.
const minTokenLen = 16

// ParseTokens reads a token file: one "NAME TOKEN" or "NAME TOKEN ROLE" a
// line, separated by white space, where ROLE is reader, importer or admin
// (none: reader); blank lines and lines starting with # are ignored. name
// is the file name used in errors. A line with other than two or three
// fields, an unknown role, a token
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
		if len(f) != 2 && len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want NAME TOKEN or NAME TOKEN ROLE separated by white space, got %d fields", name, line, len(f))
		}
		role := RoleReader
		if len(f) == 3 {
			var ok bool
			if role, ok = ParseRole(f[2]); !ok {
				return nil, fmt.Errorf("%s:%d: role %q of %q is not reader, importer or admin", name, line, f[2], f[0])
			}
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
		t.roles = append(t.roles, role)
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
	name, _, ok := t.LookupRole(token)
	return name, ok
}

// LookupRole is Lookup that also returns the holder's role.
func (t *Tokens) LookupRole(token string) (string, Role, bool) {
	if t == nil || token == "" {
		return "", RoleReader, false
	}
	h := sha256.Sum256([]byte(token))
	found := -1
	for i := range t.hashes {
		if subtle.ConstantTimeCompare(h[:], t.hashes[i][:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", RoleReader, false
	}
	return t.names[found], t.roles[found], true
}
