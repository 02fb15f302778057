package cdshooks

import (
	"net/http"
	"slices"
)

// cors serves browser-based CDS Clients (§ Cross-Origin Resource Sharing)
// on every route, following the OWASP HTML5 Security Cheat Sheet the
// specification points to: only configured origins are echoed, "*" only
// when configured, and Access-Control-Allow-Credentials is never sent
// (CDS Hooks authenticates with the Authorization header, not cookies),
// so "*" never meets credentials.
type cors struct {
	origins []string
	any     bool
	next    http.Handler
}

// corsAllowHeaders are the request headers a CDS Client sends.
const (
	corsAllowHeaders = "Authorization, Content-Type"
	corsAllowMethods = "GET, POST, OPTIONS"
)

func newCORS(origins []string, next http.Handler) *cors {
	return &cors{origins: origins, any: slices.Contains(origins, "*"), next: next}
}

func (c *cors) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	h := w.Header()
	h.Add("Vary", "Origin")
	allowed := origin != "" && (c.any || slices.Contains(c.origins, origin))
	if allowed {
		if c.any {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
	}
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		c.next.ServeHTTP(w, r)
		return
	}
	// A preflight: answered here, before any authentication (a browser
	// sends no Authorization header with it).
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	if !allowed {
		writeJSON(w, http.StatusForbidden, errorBody{Error: "origin not allowed"})
		return
	}
	h.Set("Access-Control-Allow-Methods", corsAllowMethods)
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}
