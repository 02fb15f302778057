package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"renalwatch/fhir/cdshooks"
	"renalwatch/server"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

const (
	cdsTestPublic = "https://rw.example.org"
	cdsTestIss    = "https://ehr.example.org"
)

// cdsTrustFixture writes a JWK Set with one ES384 key and a trust file
// naming it, and returns the trust file and the private key.
func cdsTrustFixture(t *testing.T) (string, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Algorithm: "ES384", Use: "sig"}}})
	if err := os.WriteFile(filepath.Join(dir, "ehr-jwks.json"), jwks, 0o600); err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "trust.json")
	if err := os.WriteFile(trust, []byte(`{"trusted":[{"iss":"`+cdsTestIss+`","jwks_file":"ehr-jwks.json"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return trust, key
}

// cdsJWT signs the token an EHR sends (CDS Hooks 2.0.1 § Trusting CDS
// Clients): ES384, kid, typ JWT, aud the endpoint URL.
func cdsJWT(t *testing.T, key *ecdsa.PrivateKey, aud, jti string) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES384, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	n := now()
	payload, _ := json.Marshal(map[string]any{"iss": cdsTestIss, "sub": "client", "aud": aud, "jti": jti,
		"iat": n.Unix(), "exp": n.Add(5 * time.Minute).Unix()})
	obj, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// demoPrefetch is the prefetch an EHR honouring the templates would send
// for a demonstration patient: every key given (null when the EHR has no
// such resource), so nothing is fetched.
func demoPrefetch(t *testing.T, id string) map[string]json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "demo", "data", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	key := map[string]string{"Observation": "observations", "Condition": "conditions", "MedicationRequest": "medicationRequests",
		"MedicationStatement": "medicationStatements", "Procedure": "procedures"}
	entries := map[string][]map[string]json.RawMessage{}
	out := map[string]json.RawMessage{"patient": json.RawMessage("null")}
	for _, e := range b.Entry {
		var h struct{ ResourceType string }
		json.Unmarshal(e.Resource, &h)
		if h.ResourceType == "Patient" {
			out["patient"] = e.Resource
			continue
		}
		entries[key[h.ResourceType]] = append(entries[key[h.ResourceType]], map[string]json.RawMessage{"resource": e.Resource})
	}
	for _, k := range key {
		if len(entries[k]) == 0 {
			out[k] = json.RawMessage("null")
			continue
		}
		out[k], _ = json.Marshal(map[string]any{"resourceType": "Bundle", "type": "searchset", "entry": entries[k]})
	}
	return out
}

// TestServeCDSHooksEndToEnd: the handler "serve" builds from --cds-trust
// and --public-url answers discovery, a patient-view call and feedback
// signed by a trusted EHR, refuses unsigned and replayed calls, links
// cards to the dashboard, stores feedback in the SQLite store once however
// often it is sent, and counts it at /api/cds/feedback behind the
// server's bearer token.
func TestServeCDSHooksEndToEnd(t *testing.T) {
	demoNow(t)
	trust, key := cdsTrustFixture(t)
	cds, err := serveCDS(trust, "https://sandbox.cds-hooks.org", cdsTestPublic+"/", false)
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(t.TempDir(), "cds.db")
	// The store holds the demonstration patients: cards link to the
	// dashboard of a patient it holds with the same birth date and sex.
	if err := runDemo(context.Background(), []string{"--db", dbPath, "--json"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f, _ := os.Open(tokenFile(t))
	tokens, err := server.ParseTokens("tokens", f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Config{Store: db, Tokens: tokens, Now: now, Import: serveImport, Calc: serveCalc, PublicURL: cdsTestPublic, CDS: cds})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, auth, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		if auth != "" {
			r.Header.Set("Authorization", "Bearer "+auth)
		}
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		r.Header.Set("Origin", "https://sandbox.cds-hooks.org")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	base := cdsTestPublic + "/cds-services"

	// § Trusting CDS Clients: every call carries a JWT.
	if w := do("GET", "/cds-services", "", ""); w.Code != 401 {
		t.Errorf("discovery without JWT: %d, want 401", w.Code)
	}
	w := do("GET", "/cds-services", cdsJWT(t, key, base, "jti-1"), "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"hook":"patient-view"`) {
		t.Fatalf("discovery: %d %s", w.Code, w.Body)
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "https://sandbox.cds-hooks.org" {
		t.Errorf("CORS Allow-Origin %q", got)
	}
	if w := do("GET", "/cds-services", cdsJWT(t, key, base, "jti-1"), ""); w.Code != 401 {
		t.Errorf("replayed jti: %d, want 401", w.Code)
	}
	// The preflight is answered before authentication (§ CORS).
	pre := httptest.NewRequest("OPTIONS", "/cds-services/renalwatch-kidney", nil)
	pre.Header.Set("Origin", "https://sandbox.cds-hooks.org")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	pre.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	pw := httptest.NewRecorder()
	h.ServeHTTP(pw, pre)
	if pw.Code != 204 {
		t.Errorf("preflight: %d, want 204", pw.Code)
	}

	call, _ := json.Marshal(map[string]any{"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
		"context": map[string]string{"userId": "Practitioner/123", "patientId": "ln-class-iv-g4"}, "prefetch": demoPrefetch(t, "ln-class-iv-g4")})
	// A call without a valid JWT: 401, and its body's patient is not
	// recorded (trial-web #8).
	if w := do("POST", "/cds-services/renalwatch-kidney", "not-a-jwt", string(call)); w.Code != 401 {
		t.Fatalf("unsigned call: %d", w.Code)
	}
	w = do("POST", "/cds-services/renalwatch-kidney", cdsJWT(t, key, base+"/renalwatch-kidney", "jti-2"), string(call))
	if w.Code != 200 {
		t.Fatalf("service call: %d %s", w.Code, w.Body)
	}
	var resp struct {
		Cards []struct {
			UUID  string `json:"uuid"`
			Links []struct{ URL, Type string }
		} `json:"cards"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || len(resp.Cards) == 0 {
		t.Fatalf("cards: %v %s", err, w.Body)
	}
	for _, c := range resp.Cards {
		if len(c.Links) != 1 || c.Links[0].URL != cdsTestPublic+"/patients/ln-class-iv-g4" || c.Links[0].Type != "absolute" {
			t.Errorf("card %s links %+v, want one absolute link to the patient page", c.UUID, c.Links)
		}
	}

	fb := `{"feedback":[{"card":"` + resp.Cards[0].UUID + `","outcome":"overridden","overrideReason":{"userComment":"seen"},"outcomeTimestamp":"2026-11-01T12:00:00Z"}]}`
	for i, jti := range []string{"jti-3", "jti-4", "jti-5"} { // the same report three times
		if w := do("POST", "/cds-services/renalwatch-kidney/feedback", cdsJWT(t, key, base+"/renalwatch-kidney/feedback", jti), fb); w.Code != 200 {
			t.Fatalf("feedback %d: %d %s", i, w.Code, w.Body)
		}
	}
	if w := do("GET", "/api/cds/feedback", "", ""); w.Code != 401 {
		t.Errorf("/api/cds/feedback without the server's token: %d, want 401", w.Code)
	}
	w = do("GET", "/api/cds/feedback", "alice-0123456789abcdef", "")
	var counts struct {
		Counts []struct {
			AlertCode  string `json:"alert_code"`
			Accepted   int    `json:"accepted"`
			Overridden int    `json:"overridden"`
		} `json:"counts"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &counts); err != nil || w.Code != 200 {
		t.Fatalf("/api/cds/feedback: %d %v %s", w.Code, err, w.Body)
	}
	if len(counts.Counts) != 1 || counts.Counts[0].Overridden != 1 || counts.Counts[0].Accepted != 0 || counts.Counts[0].AlertCode == "unknown" {
		t.Errorf("counts %+v, want one alert code overridden once", counts.Counts)
	}
	// Stored in the database: another store on the same file counts it.
	db2, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if c, err := db2.FeedbackCounts(context.Background()); err != nil || len(c) != 1 || c[0].AlertCode != counts.Counts[0].AlertCode {
		t.Errorf("stored counts %+v %v", c, err)
	}
	// Every CDS call and feedback is in the audit trail (issue 13).
	rows, err := db2.AuditLog(context.Background(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var cdsRows []string
	for _, e := range rows {
		if strings.HasPrefix(e.Action, "cds ") {
			cdsRows = append(cdsRows, e.Who+"|"+e.Action+"|"+e.PatientID+"|"+e.Outcome)
		}
	}
	// The service call names the patient the EHR sent (context.patientId),
	// so a per-patient access review sees CDS reads; feedback names none.
	// The actor is the EHR (the verified JWT's iss) and the user
	// (context.userId); a refused call names neither, nor the patient.
	want := "cds client, JWT refused|cds call renalwatch-kidney||unauthorized," +
		"cds " + cdsTestIss + " user Practitioner/123|cds call renalwatch-kidney|ln-class-iv-g4|ok," +
		strings.Repeat("cds "+cdsTestIss+"|cds feedback renalwatch-kidney||ok,", 3)
	if got := strings.Join(cdsRows, ",") + ","; got != want {
		t.Errorf("CDS audit rows %s, want %s", got, want)
	}
}

// TestServeCDSFlags: trust without --public-url does not start (JWT aud
// is built from it); --demo without trust says JWTs are not verified.
func TestServeCDSFlags(t *testing.T) {
	trust, _ := cdsTrustFixture(t)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--demo", "--db", filepath.Join(t.TempDir(), "d.db"), "--cds-trust", trust}, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "--public-url") {
		t.Errorf("trust without public URL: exit %d, stderr %q", code, errOut.String())
	}
	if _, err := serveCDS("", "https://x.example", "", false); err == nil {
		t.Error("--cds-origins without trust outside demo: no error")
	}
	if c, err := serveCDS("", "", "", false); c != nil || err != nil {
		t.Errorf("no trust, no demo: %+v %v, want CDS Hooks off", c, err)
	}
	for _, bad := range [][]string{{"--cds-max-cards", "0"}, {"--cds-jwt-max-lifetime", "0s"}} {
		out.Reset()
		errOut.Reset()
		if code := run(context.Background(), append([]string{"serve", "--demo", "--db", filepath.Join(t.TempDir(), "d.db")}, bad...), &out, &errOut); code != 2 ||
			!strings.Contains(errOut.String(), bad[0]) {
			t.Errorf("%v: exit %d, stderr %q", bad, code, errOut.String())
		}
	}
	// --cds-max-cards (issue 12 item 3: a configurable number of cards),
	// --cds-fhir-servers (demo only) and --cds-jwt-max-lifetime.
	for _, r := range []struct {
		name string
		o    cdsOptions
		ok   bool
		want func(*cdshooks.Config) bool
	}{
		{"max cards 3", cdsOptions{demo: true, maxCards: 3}, true, func(c *cdshooks.Config) bool { return c.MaxCards == 3 }},
		{"max cards 51", cdsOptions{demo: true, maxCards: 51}, false, nil},
		{"max cards -1", cdsOptions{demo: true, maxCards: -1}, false, nil},
		{"demo FHIR servers", cdsOptions{demo: true, fhirServers: "http://127.0.0.1:8090/fhir, https://ehr.example/fhir"}, true,
			func(c *cdshooks.Config) bool {
				return len(c.FHIRServers) == 2 && c.FHIRServers[1] == "https://ehr.example/fhir"
			}},
		{"FHIR servers with trust: per client in the trust file", cdsOptions{trustFile: trust, publicURL: cdsTestPublic, fhirServers: "https://ehr.example/fhir"}, false, nil},
		{"FHIR servers outside demo without trust", cdsOptions{fhirServers: "https://ehr.example/fhir"}, false, nil},
		{"bad FHIR server URL", cdsOptions{demo: true, fhirServers: "file:///etc"}, false, nil},
		{"JWT lifetime 2h", cdsOptions{trustFile: trust, publicURL: cdsTestPublic, jwtMaxLifetime: 2 * time.Hour}, false, nil},
		{"JWT lifetime 2m", cdsOptions{trustFile: trust, publicURL: cdsTestPublic, jwtMaxLifetime: 2 * time.Minute}, true, func(c *cdshooks.Config) bool { return c.Trust != nil }},
	} {
		c, err := serveCDSWith(r.o)
		if (err == nil) != r.ok || (r.ok && !r.want(c)) {
			t.Errorf("%s: %+v %v", r.name, c, err)
		}
	}
}
