package main

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestServePublicURLTrailingSlash (trial 10 F11): --public-url with a
// trailing "/" is read once without it, so the start message prints
// ".../rw/cds-services" (not "//") and a JWT whose aud is the printed URL
// is accepted (CDS Hooks 2.0.1 § Trusting CDS Clients: aud is the URL of
// the endpoint called).
func TestServePublicURLTrailingSlash(t *testing.T) {
	trust, key := cdsTrustFixture(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	st, err := openStore(context.Background(), db, true)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, addr, stop := startServe(t, "--db", db, "--token-file", tokenFile(t), "--public-url", cdsTestPublic+"/rw/", "--cds-trust", trust)
	m := regexp.MustCompile(`\(([^)]*)\);[\s\S]*CDS Hooks: (\S+), JWTs`).FindStringSubmatch(out.String())
	if m == nil || m[1] != cdsTestPublic+"/rw" || m[2] != cdsTestPublic+"/rw/cds-services" {
		t.Fatalf("start message %q: want %q and %q", out.String(), cdsTestPublic+"/rw", cdsTestPublic+"/rw/cds-services")
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/cds-services", nil)
	req.Header.Set("Authorization", "Bearer "+cdsJWT(t, key, m[2], "jti-public-url"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("discovery with aud %q (the printed URL): %d", m[2], resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Errorf("serve returned %v", err)
	}
	if strings.Contains(out.String(), "//cds-services") {
		t.Errorf("stdout %q", out.String())
	}
}
