package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"renalwatch/fhir/cdshooks"
	"renalwatch/server"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

// downReplay is the SQLite store's replay table when it does not answer
// in time (down): SeenJTI fails as a 5-second timeout does.
type downReplay struct {
	*sqlite.DB
	down atomic.Bool
}

func (d *downReplay) SeenJTI(ctx context.Context, key string, until, now time.Time) (bool, error) {
	if d.down.Load() {
		return false, fmt.Errorf("seen jti: %w", context.DeadlineExceeded)
	}
	return d.DB.SeenJTI(ctx, key, until, now)
}

// TestServeReplayStoreDown: with serve's wiring (the store's replay
// cache), a store that cannot check a JWT's jti refuses the call with 503,
// Retry-After and the reason, not 401 "jti already used"; nothing is
// assessed, no card is issued, and the audit rows say why. Once the store
// answers, the call is served and its replay is 401 "already used".
func TestServeReplayStoreDown(t *testing.T) {
	demoNow(t)
	trust, key := cdsTrustFixture(t)
	path := filepath.Join(t.TempDir(), "cds.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs := &downReplay{DB: db}
	rs.down.Store(true)
	cds, err := serveCDSWith(cdsOptions{trustFile: trust, publicURL: cdsTestPublic, replay: replayOf(rs)})
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Config{Store: db, Now: now, Import: serveImport, Calc: serveCalc, PublicURL: cdsTestPublic, CDS: cds})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, jwt, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+jwt)
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	base := cdsTestPublic + "/cds-services"
	call, _ := json.Marshal(map[string]any{"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
		"context": map[string]string{"userId": "Practitioner/123", "patientId": "ln-class-iv-g4"}, "prefetch": demoPrefetch(t, "ln-class-iv-g4")})
	fb := `{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"2026-11-01T12:00:00Z"}]}`
	const reason = `{"error":"could not check the token's jti against the replay store"}`
	for _, r := range []struct{ method, path, aud, jti, body string }{
		{"GET", "/cds-services", base, "jti-1", ""},
		{"POST", "/cds-services/renalwatch-kidney", base + "/renalwatch-kidney", "jti-2", string(call)},
		{"POST", "/cds-services/renalwatch-kidney/feedback", base + "/renalwatch-kidney/feedback", "jti-3", fb},
	} {
		w := do(r.method, r.path, cdsJWT(t, key, r.aud, r.jti), r.body)
		if w.Code != 503 || strings.TrimSpace(w.Body.String()) != reason || w.Header().Get("Retry-After") != "5" {
			t.Errorf("%s %s with the replay store down: %d %s (Retry-After %q); want 503 %s, Retry-After 5",
				r.method, r.path, w.Code, w.Body, w.Header().Get("Retry-After"), reason)
		}
	}
	if n := cdsCards(t, path); n != 0 {
		t.Errorf("%d cards issued with the replay store down, want none", n)
	}

	rs.down.Store(false)
	if w := do("POST", "/cds-services/renalwatch-kidney", cdsJWT(t, key, base+"/renalwatch-kidney", "jti-4"), string(call)); w.Code != 200 {
		t.Fatalf("store back: %d %s", w.Code, w.Body)
	}
	if n := cdsCards(t, path); n == 0 {
		t.Error("store back: no card issued")
	}
	w := do("POST", "/cds-services/renalwatch-kidney", cdsJWT(t, key, base+"/renalwatch-kidney", "jti-4"), string(call))
	if w.Code != 401 || !strings.Contains(w.Body.String(), `"jti-4\" was already used`) {
		t.Errorf("replayed jti: %d %s; want 401 already used", w.Code, w.Body)
	}

	rows, err := db.AuditLog(context.Background(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rows {
		got = append(got, e.Action+"|"+e.PatientID+"|"+e.Outcome)
	}
	unavailable := "unavailable: " + cdshooks.ReplayStoreReason
	// A refused call's body is not read, so its row names no patient
	// (an unverified caller's patient id is not recorded as if it were).
	want := []string{
		"cds call renalwatch-kidney||" + unavailable,
		"cds feedback renalwatch-kidney||" + unavailable,
		"cds call renalwatch-kidney|ln-class-iv-g4|ok",
		"cds call renalwatch-kidney||unauthorized",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// cdsCards counts the cards issued in the SQLite file at path.
func cdsCards(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT count(*) FROM cds_card`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
