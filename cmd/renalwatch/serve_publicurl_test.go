package main

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, logs lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--db", db, "--addr", "127.0.0.1:0", "--token-file", tokenFile(t),
			"--public-url", cdsTestPublic + "/rw/", "--cds-trust", trust}, &out, &logs)
	}()
	started := regexp.MustCompile(`on (127\.0\.0\.1:\d+) \(([^)]*)\)[\s\S]*CDS Hooks: (\S+), JWTs`)
	var m []string
	for deadline := time.Now().Add(30 * time.Second); m == nil && time.Now().Before(deadline); {
		if m = started.FindStringSubmatch(out.String()); m != nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned: %v; stdout %q stderr %q", err, out.String(), logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if m == nil {
		t.Fatalf("no start message; stdout %q stderr %q", out.String(), logs.String())
	}
	if m[2] != cdsTestPublic+"/rw" || m[3] != cdsTestPublic+"/rw/cds-services" {
		t.Errorf("start message names %q and %q, want %q and %q", m[2], m[3], cdsTestPublic+"/rw", cdsTestPublic+"/rw/cds-services")
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+m[1]+"/cds-services", nil)
	req.Header.Set("Authorization", "Bearer "+cdsJWT(t, key, m[3], "jti-public-url"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("discovery with aud %q (the printed URL): %d", m[3], resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	if strings.Contains(out.String(), "//cds-services") {
		t.Errorf("stdout %q", out.String())
	}
}
