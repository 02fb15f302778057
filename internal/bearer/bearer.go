// Package bearer reads the token of an "Authorization: Bearer TOKEN"
// header (RFC 6750 §2.1), the one reading shared by the dashboard and API
// (server) and the CDS Hooks service (fhir/cdshooks).
package bearer

import (
	"net/http"
	"strings"
)

// Token returns the token of r's "Authorization: Bearer TOKEN" header,
// or "" when r has none: no Authorization header, another scheme, or no
// token after the scheme. The auth-scheme is case-insensitive (RFC 7235
// §2.1: "bearer", "BEARER" are Bearer); white space around the token is
// dropped.
func Token(r *http.Request) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
