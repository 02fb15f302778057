package cdshooks

import (
	"net/http"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// TestAuthorizationScheme (trial 10 F1): RFC 7235 §2.1, the auth-scheme is
// case-insensitive, so "bearer" and "BEARER" carry the JWT as "Bearer"
// does (as on /api); RFC 6750 §3.1, a call without authentication
// information gets WWW-Authenticate with no error code, a call whose
// token is refused gets error="invalid_token".
func TestAuthorizationScheme(t *testing.T) {
	k := newKeys(t)
	h := trustHandler(t, k, TrustFile{Trusted: []TrustedClient{{Iss: testIss, JWKSFile: "ehr-jwks.json"}}}, nil)
	std := map[string]any{"typ": "JWT", "kid": "es384"}
	disc := testPublic + "/cds-services"
	rows := []struct {
		name, auth string
		status     int
		challenge  string
	}{
		{"Bearer", "Bearer " + sign(t, jose.ES384, k.es384, std, claimsFor(disc)), 200, ""},
		{"bearer (lower case)", "bearer " + sign(t, jose.ES384, k.es384, std, claimsFor(disc)), 200, ""},
		{"BEARER (upper case)", "BEARER " + sign(t, jose.ES384, k.es384, std, claimsFor(disc)), 200, ""},
		{"no Authorization", "", 401, "Bearer"},
		{"another scheme", "Basic dXNlcjpwYXNz", 401, "Bearer"},
		{"refused token", "bearer abc", 401, `Bearer error="invalid_token"`},
	}
	for _, r := range rows {
		hdr := map[string]string{}
		if r.auth != "" {
			hdr["Authorization"] = r.auth
		}
		w := do(h, http.MethodGet, "/cds-services", nil, hdr)
		if w.Code != r.status || w.Header().Get("WWW-Authenticate") != r.challenge {
			t.Errorf("%s: got %d WWW-Authenticate %q, want %d %q (%s)", r.name, w.Code, w.Header().Get("WWW-Authenticate"), r.status, r.challenge, w.Body)
		}
	}
}
