package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"renalwatch/store"
)

const (
	aliceToken = "alice-0123456789abcdef"
	bobToken   = "bob-fedcba9876543210xyz"
)

func testTokens(t *testing.T) *Tokens {
	t.Helper()
	_, err := ParseTokens("tokens.txt", strings.NewReader("# team\nalice "+aliceToken+"\n\n  bob\t"+bobToken+"  # not a comment here\n"))
	if err == nil {
		t.Fatal("a third field must be an error")
	}
	tk, err := ParseTokens("tokens.txt", strings.NewReader("# team\nalice "+aliceToken+"\n\n  bob\t"+bobToken+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestParseTokensErrors(t *testing.T) {
	for name, file := range map[string]string{
		"empty":       "# nothing\n",
		"one field":   "alice\n",
		"short":       "alice short\n",
		"repeat name": "a " + aliceToken + "\na " + bobToken + "\n",
		"repeat tok":  "a " + aliceToken + "\nb " + aliceToken + "\n",
	} {
		_, err := ParseTokens("f", strings.NewReader(file))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), aliceToken) || strings.Contains(err.Error(), "short\"") {
			t.Errorf("%s: the error shows the token: %v", name, err)
		}
	}
}

// TestAuth: without a token or with a wrong one every route but the
// health checks answers 401; the log names the token's holder and the
// route pattern, never the token or the patient id in the path.
func TestAuth(t *testing.T) {
	s, logs := newTestServer(t, Config{Tokens: testTokens(t)})
	for _, target := range []string{"/", "/patients/ln-class-iv-g4", "/api/patients", "/api/patients/ln-class-iv-g4/assessment", "/api/openapi.json", "/api/nothing"} {
		for _, h := range []map[string]string{nil, {"Authorization": "Bearer wrong-token-0000000000"}, {"Authorization": "Basic " + aliceToken}} {
			resp := do(t, s, "GET", target, nil, h)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %v: %d, want 401", target, h, resp.StatusCode)
			}
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: no WWW-Authenticate", target)
			}
		}
	}
	if resp := do(t, s, "GET", "/static/uplot/", nil, nil); resp.StatusCode != 404 {
		t.Errorf("/static/uplot/: %d, want 404 (no listing)", resp.StatusCode)
	}
	for _, target := range []string{"/healthz", "/readyz", "/static/style.css"} {
		if resp := do(t, s, "GET", target, nil, nil); resp.StatusCode != 200 {
			t.Errorf("%s without token: %d", target, resp.StatusCode)
		}
	}
	resp := do(t, s, "GET", "/api/patients/ln-class-iv-g4/assessment", nil, map[string]string{"Authorization": "Bearer " + bobToken})
	if resp.StatusCode != 200 {
		t.Fatalf("bob: %d", resp.StatusCode)
	}
	log := logs.String()
	if !strings.Contains(log, `"user":"bob"`) || !strings.Contains(log, `"route":"GET /api/patients/{id}/assessment"`) {
		t.Errorf("log lacks the user or the route pattern:\n%s", log)
	}
	for _, secret := range []string{aliceToken, bobToken, "ln-class-iv-g4", "wrong-token"} {
		if strings.Contains(log, secret) {
			t.Errorf("log contains %q:\n%s", secret, log)
		}
	}
}

func TestTokensLookup(t *testing.T) {
	tk := testTokens(t)
	for tok, want := range map[string]string{aliceToken: "alice", bobToken: "bob", "": "", aliceToken + "x": "", aliceToken[:10]: ""} {
		got, ok := tk.Lookup(tok)
		if got != want || ok != (want != "") {
			t.Errorf("Lookup(%q) = %q %v, want %q", tok, got, ok, want)
		}
	}
}

// TestSecurityHeaders checks every response kind carries the headers,
// and the CSP allows no inline script.
func TestSecurityHeaders(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, target := range []string{"/", "/patients/ln-class-iv-g4", "/api/patients", "/healthz", "/static/charts.js", "/api/nothing", "/patients/nobody"} {
		resp := do(t, s, "GET", target, nil, nil)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", target, h)
		}
	}
}

// TestNoInlineScript: every <script> of every page either loads a file
// from /static/ or is a JSON data block.
func TestNoInlineScript(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	re := regexp.MustCompile(`<script([^>]*)>`)
	for _, target := range []string{"/", "/patients/ln-class-iv-g4?as_of=" + testAsOf, "/patients/nobody"} {
		body := string(readAll(t, do(t, s, "GET", target, nil, nil)))
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			if !strings.Contains(m[1], `src="/static/`) && !strings.Contains(m[1], `type="application/json"`) {
				t.Errorf("%s: inline script %s", target, m[0])
			}
		}
		if strings.Contains(body, " style=") || strings.Contains(body, " onclick=") {
			t.Errorf("%s: inline style or handler", target)
		}
	}
}

// TestCrossOriginPost: a POST from another site's page is refused.
func TestCrossOriginPost(t *testing.T) {
	s, _ := newTestServer(t, Config{PublicURL: "https://rw.example.org"})
	for _, h := range []map[string]string{{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}} {
		h["Content-Type"] = "application/json"
		resp := do(t, s, "POST", "/api/calc/egfr", strings.NewReader("{}"), h)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%v: %d, want 403", h, resp.StatusCode)
		}
	}
}

// TestBodyLimits: an upload over MaxBody is 413 and a wrong Content-Type
// 415, before anything is stored.
func TestBodyLimits(t *testing.T) {
	imported := false
	imp := func(_ context.Context, _ store.Store, name string, r io.Reader, strict bool) (any, error) {
		_, err := io.ReadAll(r)
		imported = err == nil
		return map[string]string{"file": name}, err
	}
	calc := func(context.Context, string, map[string]json.RawMessage) (json.RawMessage, error) {
		return json.RawMessage(`{}`), nil
	}
	s, _ := newTestServer(t, Config{Import: imp, Calc: calc, MaxBody: 1024})
	resp := do(t, s, "POST", "/api/import", strings.NewReader(strings.Repeat("x", 4096)), map[string]string{"Content-Type": "text/csv"})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || imported {
		t.Errorf("4 KiB over a 1 KiB limit: %d (imported %v)", resp.StatusCode, imported)
	}
	resp = do(t, s, "POST", "/api/import", strings.NewReader("a,b"), map[string]string{"Content-Type": "image/png"})
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("image/png: %d", resp.StatusCode)
	}
	resp = do(t, s, "POST", "/api/import?name=labs.csv", strings.NewReader("a,b"), map[string]string{"Content-Type": "text/csv"})
	if b := readAll(t, resp); resp.StatusCode != 200 || !strings.Contains(string(b), `"labs.csv"`) {
		t.Errorf("small CSV: %d %s", resp.StatusCode, b)
	}
	resp = do(t, s, "POST", "/api/calc/egfr", strings.NewReader(`{"a":"`+strings.Repeat("x", maxCalcBody)+`"}`), map[string]string{"Content-Type": "application/json"})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("calc over 64 KiB: %d", resp.StatusCode)
	}
}

// TestUPlotPinned: the vendored uPlot is the unmodified 1.6.32 release
// (sha256 of the npm package's dist file) and its licence ships with it.
func TestUPlotPinned(t *testing.T) {
	b, err := fs.ReadFile(assets, "static/uplot/uPlot.iife.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != "19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f" {
		t.Errorf("uPlot.iife.min.js sha256 %s: not the pinned uplot@1.6.32", got)
	}
	if !strings.HasPrefix(string(b), "/*! https://github.com/leeoniya/uPlot (v1.6.32) */") {
		t.Error("uPlot header is not v1.6.32")
	}
	lic, err := fs.ReadFile(assets, "static/uplot/LICENSE")
	if err != nil || !strings.Contains(string(lic), "MIT") {
		t.Errorf("uPlot LICENSE: %v", err)
	}
}

// TestReadyz: 503 when the store fails, 200 when it answers.
func TestReadyz(t *testing.T) {
	db := openDemo(t)
	s, _ := newTestServer(t, Config{Store: db})
	if resp := do(t, s, "GET", "/readyz", nil, nil); resp.StatusCode != 200 {
		t.Fatalf("open store: %d", resp.StatusCode)
	}
	db.Close()
	if resp := do(t, s, "GET", "/readyz", nil, nil); resp.StatusCode != 503 {
		t.Errorf("closed store: %d, want 503", resp.StatusCode)
	}
}
