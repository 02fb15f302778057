package cdshooks

import (
	"net/http"
	"strings"
	"testing"
)

// TestCORS: § Cross-Origin Resource Sharing (and the OWASP cheat sheet it
// cites): preflight on every route, allowed origins only, never "*" with
// credentials.
func TestCORS(t *testing.T) {
	const ehr = "https://ehr.example.org"
	preflight := map[string]string{"Origin": ehr, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}
	h := demoHandler(t, func(c *Config) { c.AllowedOrigins = []string{ehr} })
	for _, path := range []string{"/cds-services", servicePath(), servicePath() + "/feedback"} {
		w := do(h, http.MethodOptions, path, nil, preflight)
		hd := w.Header()
		if w.Code != http.StatusNoContent || hd.Get("Access-Control-Allow-Origin") != ehr ||
			!strings.Contains(hd.Get("Access-Control-Allow-Headers"), "Authorization") || !strings.Contains(hd.Get("Access-Control-Allow-Headers"), "Content-Type") ||
			!strings.Contains(hd.Get("Access-Control-Allow-Methods"), "POST") || hd.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("preflight %s: %d %v", path, w.Code, hd)
		}
	}
	// The actual POST carries Allow-Origin too (the bug open services have:
	// CORS on OPTIONS and GET only).
	w := do(h, http.MethodPost, servicePath(), callBody(t, "dialysis", demoPrefetch(t, "dialysis"), nil), map[string]string{"Origin": ehr})
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != ehr || !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Origin") {
		t.Errorf("POST: %d %v", w.Code, w.Header())
	}
	// Errors too.
	w = do(h, http.MethodPost, "/cds-services/nope", []byte("{}"), map[string]string{"Origin": ehr})
	if w.Code != 404 || w.Header().Get("Access-Control-Allow-Origin") != ehr {
		t.Errorf("404: %d %v", w.Code, w.Header())
	}
	// Another origin: no CORS headers; its preflight is refused.
	evil := map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
	if w := do(h, http.MethodOptions, servicePath(), nil, evil); w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin: %d %v", w.Code, w.Header())
	}
	// "*" configured: "*" and never credentials.
	h = demoHandler(t, func(c *Config) { c.AllowedOrigins = []string{"*"} })
	w = do(h, http.MethodOptions, servicePath(), nil, preflight)
	if w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "*" || w.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("*: %d %v", w.Code, w.Header())
	}
	// A preflight needs no JWT even with trust configured.
	k := newKeys(t)
	ht := trustHandler(t, k, TrustFile{Trusted: []TrustedClient{{Iss: testIss, JWKSFile: "ehr-jwks.json"}}}, nil)
	if w := do(ht, http.MethodOptions, servicePath(), nil, preflight); w.Code != 403 {
		// no origins configured on ht: refused, but not 401
		t.Errorf("preflight with trust: %d", w.Code)
	}
}

// TestPlainOptions (trial 10 F9): RFC 9110 §9.3.7, OPTIONS without the
// CORS preflight headers asks which methods a route serves: 204 with
// Allow, not 405; an unknown path stays 404.
func TestPlainOptions(t *testing.T) {
	h := demoHandler(t)
	for path, allow := range map[string]string{
		"/cds-services":                  "GET, OPTIONS",
		servicePath():                    "POST, OPTIONS",
		servicePath() + "/feedback":      "POST, OPTIONS",
		"/cds-services/a/b/c":            "",
		"/cds-services/" + "x/feedback/": "",
	} {
		w := do(h, http.MethodOptions, path, nil, nil)
		want := http.StatusNoContent
		if allow == "" {
			want = http.StatusNotFound
		}
		if w.Code != want || w.Header().Get("Allow") != allow {
			t.Errorf("OPTIONS %s: %d Allow %q, want %d Allow %q (%s)", path, w.Code, w.Header().Get("Allow"), want, allow, w.Body)
		}
	}
}
