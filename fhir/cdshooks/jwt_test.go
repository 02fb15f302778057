package cdshooks

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

const testIss = "https://ehr.example.org"

type testKeys struct {
	es384, es256 *ecdsa.PrivateKey
	rs           *rsa.PrivateKey
	other        *ecdsa.PrivateKey
}

func newKeys(t testing.TB) *testKeys {
	t.Helper()
	k := &testKeys{}
	var err error
	if k.es384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	if k.es256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	if k.rs, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if k.other, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	return k
}

func (k *testKeys) jwks() []byte {
	ks := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: k.es384.Public(), KeyID: "es384", Algorithm: "ES384", Use: "sig"},
		{Key: k.es256.Public(), KeyID: "es256", Algorithm: "ES256", Use: "sig"},
		{Key: k.rs.Public(), KeyID: "rsa", Use: "sig"},
	}}
	raw, _ := json.Marshal(ks)
	return raw
}

// sign makes a compact JWS with the given header fields and claims.
func sign(t testing.TB, alg jose.SignatureAlgorithm, key crypto.Signer, hdr map[string]any, claims map[string]any) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	for k, v := range hdr {
		opts.WithHeader(jose.HeaderKey(k), v)
	}
	sk := jose.SigningKey{Algorithm: alg, Key: key}
	s, err := jose.NewSigner(sk, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	obj, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// unsigned builds a token by hand (alg none, HS256 with a made-up MAC).
func unsigned(hdr, claims map[string]any, sig string) string {
	h, _ := json.Marshal(hdr)
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "." + sig
}

var jtiN atomic.Int64

func claimsFor(aud any) map[string]any {
	return map[string]any{"iss": testIss, "aud": aud, "exp": asOf.Add(5 * time.Minute).Unix(), "iat": asOf.Unix(),
		"jti": "jti-" + strconv.Itoa(int(jtiN.Add(1)))}
}

func trustHandler(t testing.TB, k *testKeys, tf TrustFile, client *http.Client) http.Handler {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ehr-jwks.json"), k.jwks(), 0o644); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(tf)
	p := filepath.Join(dir, "trust.json")
	os.WriteFile(p, raw, 0o644)
	tr, err := LoadTrust(p, TrustOptions{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	return NewHandler(Config{Trust: tr, PublicURL: testPublic, Now: fixedNow})
}

// TestJWT: § Trusting CDS Clients and § JWT Signing Algorithm, one row per
// acceptance or rejection.
func TestJWT(t *testing.T) {
	k := newKeys(t)
	h := trustHandler(t, k, TrustFile{Trusted: []TrustedClient{{Iss: testIss, JWKSFile: "ehr-jwks.json"}}}, nil)
	svc := testPublic + servicePath()
	std := map[string]any{"typ": "JWT", "kid": "es384"}
	with := func(m map[string]any, kv ...any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(out, kv[i].(string))
			} else {
				out[kv[i].(string)] = kv[i+1]
			}
		}
		return out
	}
	reused := sign(t, jose.ES384, k.es384, std, claimsFor(svc))
	body := callBody(t, "ln-class-iv-g4", demoPrefetch(t, "ln-class-iv-g4"), nil)
	rows := []struct {
		section, name string
		path, token   string
		status        int
		reason        string
	}{
		{"§ JWT Signing Algorithm: ES384 RECOMMENDED", "ES384", servicePath(), sign(t, jose.ES384, k.es384, std, claimsFor(svc)), 200, ""},
		{"§ JWT Signing Algorithm: RS384 RECOMMENDED", "RS384", servicePath(), sign(t, jose.RS384, k.rs, with(std, "kid", "rsa"), claimsFor(svc)), 200, ""},
		{"§ JWT Signing Algorithm: ES256 accepted", "ES256", servicePath(), sign(t, jose.ES256, k.es256, with(std, "kid", "es256"), claimsFor(svc)), 200, ""},
		{"§ JWT Signing Algorithm: RS256 accepted", "RS256", servicePath(), sign(t, jose.RS256, k.rs, with(std, "kid", "rsa"), claimsFor(svc)), 200, ""},
		{"§ Trusting CDS Clients: aud array", "aud as array", servicePath(), sign(t, jose.ES384, k.es384, std, claimsFor([]string{"https://other.example", svc})), 200, ""},
		{"§ Trusting CDS Clients: discovery aud", "discovery", "/cds-services", sign(t, jose.ES384, k.es384, std, claimsFor(testPublic+"/cds-services")), 200, ""},
		{"§ Trusting CDS Clients: feedback aud", "feedback", servicePath() + "/feedback", sign(t, jose.ES384, k.es384, std, claimsFor(svc+"/feedback")), 200, ""},
		{"§ Trusting CDS Clients: Authorization MUST", "no token", servicePath(), "", 401, "Bearer <JWT> is required"},
		{"§ JWT Signing Algorithm: none SHALL NOT", "alg none", servicePath(), unsigned(with(std, "alg", "none"), claimsFor(svc), ""), 401, "unsigned JWTs"},
		{"§ JWT Signing Algorithm: HMAC SHALL NOT", "alg HS256", servicePath(), unsigned(with(std, "alg", "HS256"), claimsFor(svc), "c2ln"), 401, "symmetric"},
		{"§ JWT Signing Algorithm", "alg ES512 not accepted", servicePath(), unsigned(with(std, "alg", "ES512"), claimsFor(svc), "c2ln"), 401, "not accepted"},
		{"§ Trusting CDS Clients: kid REQUIRED", "no kid", servicePath(), sign(t, jose.ES384, k.es384, with(std, "kid", nil), claimsFor(svc)), 401, "kid is required"},
		{"§ Trusting CDS Clients: typ JWT", "typ JOSE", servicePath(), sign(t, jose.ES384, k.es384, with(std, "typ", "JOSE"), claimsFor(svc)), 401, "typ"},
		{"§ Trusting CDS Clients: kid identifies the key", "unknown kid", servicePath(), sign(t, jose.ES384, k.es384, with(std, "kid", "nope"), claimsFor(svc)), 401, "kid \"nope\" is not in the JWK Set"},
		{"§ Trusting CDS Clients: allowlist of iss", "unknown iss", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "iss", "https://evil.example")), 401, "not a trusted CDS client"},
		{"§ Trusting CDS Clients: signature", "signed by another key", servicePath(), sign(t, jose.ES384, k.other, std, claimsFor(svc)), 401, "signature does not verify"},
		{"§ Trusting CDS Clients: key alg", "ES256 token on the ES384 key", servicePath(), sign(t, jose.ES256, k.es256, std, claimsFor(svc)), 401, "does not match key"},
		{"§ Trusting CDS Clients: aud is the endpoint", "aud of the Host, not the public URL", servicePath(), sign(t, jose.ES384, k.es384, std, claimsFor("http://example.com"+servicePath())), 401, "not the endpoint called"},
		{"§ Trusting CDS Clients: aud is the endpoint", "aud of discovery on the service", servicePath(), sign(t, jose.ES384, k.es384, std, claimsFor(testPublic+"/cds-services")), 401, "not the endpoint called"},
		{"§ Trusting CDS Clients: aud REQUIRED", "no aud", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "aud", nil)), 401, "aud is required"},
		{"§ Trusting CDS Clients: exp", "expired", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "exp", asOf.Add(-time.Minute).Unix())), 401, "expired"},
		{"§ Trusting CDS Clients: exp REQUIRED", "no exp", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "exp", nil)), 401, "exp is required"},
		{"§ Trusting CDS Clients: iat", "iat an hour ago", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "iat", asOf.Add(-time.Hour).Unix())), 401, "in the past"},
		{"§ Trusting CDS Clients: iat", "iat in the future", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "iat", asOf.Add(time.Hour).Unix())), 401, "in the future"},
		{"§ Trusting CDS Clients: exp; CDS Hooks 1.0: exp no more than five minutes in the future", "exp a year after iat (trial-web #23)", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "exp", asOf.AddDate(1, 0, 0).Unix())), 401, "lifetime too long"},
		{"§ Trusting CDS Clients: exp; CDS Hooks 1.0: exp no more than five minutes in the future", "exp 6 minutes after iat", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "exp", asOf.Add(6*time.Minute).Unix())), 401, "lifetime too long"},
		{"§ Trusting CDS Clients: exp; CDS Hooks 1.0: exp no more than five minutes in the future", "exp 5 minutes 20 s after iat (clock skew)", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "exp", asOf.Add(5*time.Minute+20*time.Second).Unix())), 200, ""},
		{"§ Trusting CDS Clients: jti REQUIRED", "no jti", servicePath(), sign(t, jose.ES384, k.es384, std, with(claimsFor(svc), "jti", nil)), 401, "jti is required"},
		{"§ Trusting CDS Clients: jti against replay", "first use", servicePath(), reused, 200, ""},
		{"§ Trusting CDS Clients: jti against replay", "reused jti", servicePath(), reused, 401, "already used"},
		{"§ Trusting CDS Clients", "not a JWS", servicePath(), "abc", 401, "not a compact JWS"},
	}
	for _, r := range rows {
		hdr := map[string]string{}
		if r.token != "" {
			hdr["Authorization"] = "Bearer " + r.token
		}
		method, b := http.MethodPost, body
		switch {
		case r.path == "/cds-services":
			method, b = http.MethodGet, nil
		case strings.HasSuffix(r.path, "/feedback"):
			b = []byte(`{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2026-10-15T10:00:00Z"}]}`)
		}
		w := do(h, method, r.path, b, hdr)
		var e errorBody
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != r.status || !strings.Contains(e.Error, r.reason) {
			t.Errorf("%s: %s: got %d %q, want %d %q", r.section, r.name, w.Code, e.Error, r.status, r.reason)
		}
		if w.Code == 401 && w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: 401 without WWW-Authenticate", r.name)
		}
	}
}

// roundTrip serves the sandbox's jku from the test, with no network.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSandboxShapedRequest: a call shaped exactly as the public CDS Hooks
// sandbox makes it (its generateJWT: ES384, typ JWT, kid, jku
// https://sandbox.cds-hooks.org/.well-known/jwks.json; iss
// https://sandbox.cds-hooks.org, aud the endpoint URL, exp iat+300, jti a
// UUID), with keys the test generates and the jku served by an injected
// client. The JWK Set is fetched once and cached; a jku other than the
// allowlisted one is refused without being fetched.
func TestSandboxShapedRequest(t *testing.T) {
	const (
		iss = "https://sandbox.cds-hooks.org"
		jku = "https://sandbox.cds-hooks.org/.well-known/jwks.json"
		kid = "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f"
	)
	key, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	set, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: kid, Algorithm: "ES384", Use: "sig"}}})
	var fetches atomic.Int32
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		fetches.Add(1)
		if r.URL.String() != jku {
			return &http.Response{StatusCode: 404, Status: "404 Not Found", Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
		}
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(string(set))), Request: r}, nil
	})}
	tr, err := NewTrust(TrustFile{Trusted: []TrustedClient{{Iss: iss, JKU: jku}}}, ".", TrustOptions{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(Config{Trust: tr, PublicURL: testPublic, Now: fixedNow})
	token := func(jti, hdrJKU string) string {
		return sign(t, jose.ES384, key, map[string]any{"typ": "JWT", "kid": kid, "jku": hdrJKU},
			map[string]any{"iss": iss, "aud": testPublic + servicePath(), "exp": asOf.Unix() + 300, "iat": asOf.Unix(), "jti": jti})
	}
	body := callBody(t, "ln-class-iv-g4", demoPrefetch(t, "ln-class-iv-g4"), map[string]any{
		"hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
		"context":      map[string]string{"userId": "Practitioner/COREPRACTITIONER1", "patientId": "ln-class-iv-g4"},
	})
	for i, jti := range []string{"5b5a3f0e-7d1c-4c0a-9a59-6f3e7c1e2f01", "0c0e0f7b-5d39-4d5b-b7a2-8c2f9a6b1e02"} {
		w := do(h, http.MethodPost, servicePath(), body, map[string]string{"Authorization": "Bearer " + token(jti, jku)})
		if w.Code != 200 {
			t.Fatalf("call %d: %d %s", i, w.Code, w.Body)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("JWK Set fetched %d times, want 1 (cached)", n)
	}
	w := do(h, http.MethodPost, servicePath(), body, map[string]string{"Authorization": "Bearer " + token("e3", "https://evil.example/jwks.json")})
	if w.Code != 401 || fetches.Load() != 1 {
		t.Errorf("foreign jku: %d %s, fetches %d", w.Code, w.Body, fetches.Load())
	}
}

// TestTrustFile: the trust file's rules.
func TestTrustFile(t *testing.T) {
	for _, tf := range []TrustFile{
		{},
		{Trusted: []TrustedClient{{JWKSFile: "x.json"}}},
		{Trusted: []TrustedClient{{Iss: "a"}}},
		{Trusted: []TrustedClient{{Iss: "a", JWKSFile: "x.json", JKU: "https://a/jwks"}}},
		{Trusted: []TrustedClient{{Iss: "a", JKU: "https://a/jwks"}, {Iss: "a", JKU: "https://a/jwks"}}},
		{Trusted: []TrustedClient{{Iss: "a", JWKSFile: "missing.json"}}},
		{Trusted: []TrustedClient{{Iss: "a", JKU: "http://a/jwks"}}},
	} {
		if _, err := NewTrust(tf, t.TempDir(), TrustOptions{}); err == nil {
			t.Errorf("%+v accepted", tf)
		}
	}
	// A private key in a JWK Set file is refused.
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	raw, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key, KeyID: "k"}}})
	os.WriteFile(filepath.Join(dir, "priv.json"), raw, 0o644)
	if _, err := NewTrust(TrustFile{Trusted: []TrustedClient{{Iss: "a", JWKSFile: "priv.json"}}}, dir, TrustOptions{}); err == nil || !strings.Contains(err.Error(), "not a public key") {
		t.Errorf("private key: %v", err)
	}
	// Neither trust nor demo: every call is refused with the reason.
	w := do(NewHandler(Config{}), http.MethodGet, "/cds-services", nil, nil)
	if w.Code != 503 {
		t.Errorf("unconfigured: %d", w.Code)
	}
}

// TestJKUUnavailable: when the allowlisted JWK Set cannot be fetched the
// call is refused (fail closed), and the next call within 10 s is refused
// at once without another fetch.
func TestJKUUnavailable(t *testing.T) {
	var fetches atomic.Int32
	client := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		fetches.Add(1)
		return &http.Response{StatusCode: 503, Status: "503 Service Unavailable", Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})}
	tr, err := NewTrust(TrustFile{Trusted: []TrustedClient{{Iss: testIss, JKU: "https://ehr.example.org/jwks"}}}, ".", TrustOptions{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	h := NewHandler(Config{Trust: tr, PublicURL: testPublic, Now: fixedNow})
	for i := range 2 {
		tok := sign(t, jose.ES384, key, map[string]any{"typ": "JWT", "kid": "k"}, claimsFor(testPublic+"/cds-services"))
		if w := do(h, http.MethodGet, "/cds-services", nil, map[string]string{"Authorization": "Bearer " + tok}); w.Code != 401 {
			t.Errorf("call %d: %d", i, w.Code)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

// TestTrustFHIRServers: fhir_servers in the trust file allow a client's
// FHIR servers, and only that client's (trial-web #7); a bad entry is
// refused when the trust file is read.
func TestTrustFHIRServers(t *testing.T) {
	k := newKeys(t)
	const id = "dialysis"
	f := newFakeFHIR(t, id, "tok")
	tf := TrustFile{Trusted: []TrustedClient{
		{Iss: testIss, JWKSFile: "ehr-jwks.json", FHIRServers: []string{f.srv.URL + "/fhir"}},
		{Iss: "https://other-ehr.example.org", JWKSFile: "ehr-jwks.json"},
	}}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ehr-jwks.json"), k.jwks(), 0o644)
	tr, err := NewTrust(tf, dir, TrustOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(Config{Trust: tr, PublicURL: testPublic, Now: fixedNow, FHIRClient: f.srv.Client()})
	svc := testPublic + servicePath()
	auth := map[string]any{"fhirServer": f.srv.URL + "/fhir", "fhirAuthorization": map[string]any{"access_token": "tok", "token_type": "Bearer"}}
	for _, r := range []struct {
		section, iss string
		status       int
	}{
		{"§ FHIR Resource Access: the client's listed server", testIss, 200},
		{"§ HTTP Status Codes 412: a server listed for another client", "https://other-ehr.example.org", 412},
	} {
		tok := sign(t, jose.ES384, k.es384, map[string]any{"typ": "JWT", "kid": "es384"}, func() map[string]any { c := claimsFor(svc); c["iss"] = r.iss; return c }())
		w := do(h, http.MethodPost, servicePath(), callBody(t, id, nil, auth), map[string]string{"Authorization": "Bearer " + tok})
		if w.Code != r.status {
			t.Errorf("%s: %d %s", r.section, w.Code, w.Body)
		}
	}
	tf.Trusted[1].FHIRServers = []string{"ftp://ehr.example/fhir"}
	if _, err := NewTrust(tf, dir, TrustOptions{}); err == nil || !strings.Contains(err.Error(), "fhir_servers") {
		t.Errorf("bad fhir_servers entry: %v", err)
	}
}
