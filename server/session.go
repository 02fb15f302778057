package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// sessionLife is how long a sign-in lasts (the cookie's Max-Age and the
// expiry signed into it): a working day.
const sessionLife = 12 * time.Hour

// The sign-in cookie is not the bearer token (trial-web #22): it is
// "NAME.EXPIRY.MAC", the holder's name, the Unix second it expires and an
// HMAC-SHA256 of both keyed by the SHA-256 of the holder's token (which
// the server keeps, and never sends). It needs no server state, so every
// server reading the same token file accepts it; it expires on its own
// (checked here, not only by the browser); and changing or removing the
// token in the token file ends every session signed with it. A stolen
// cookie is not the token: it cannot be used after it expires, nor typed
// into another tool as a bearer token.

// newSession returns the cookie value for the token's holder i.
func (t *Tokens) newSession(i int, now time.Time) string {
	exp := strconv.FormatInt(now.Add(sessionLife).Unix(), 10)
	name := base64.RawURLEncoding.EncodeToString([]byte(t.names[i]))
	return name + "." + exp + "." + t.sessionMAC(i, name, exp)
}

func (t *Tokens) sessionMAC(i int, name, exp string) string {
	m := hmac.New(sha256.New, t.hashes[i][:])
	m.Write([]byte("renalwatch session v1\x00" + name + "\x00" + exp))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// LookupSession returns the holder of a sign-in cookie value that is well
// formed, signed with a token of the file and not expired at now.
func (t *Tokens) LookupSession(v string, now time.Time) (string, Role, bool) {
	if t == nil {
		return "", RoleReader, false
	}
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return "", RoleReader, false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[0])
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || err2 != nil || !now.Before(time.Unix(exp, 0)) {
		return "", RoleReader, false
	}
	for i, n := range t.names {
		if n == string(b) && hmac.Equal([]byte(t.sessionMAC(i, parts[0], parts[1])), []byte(parts[2])) {
			return n, t.roles[i], true
		}
	}
	return "", RoleReader, false
}

// index is the position of the holder name in the file, or -1.
func (t *Tokens) index(name string) int {
	for i, n := range t.names {
		if n == name {
			return i
		}
	}
	return -1
}
