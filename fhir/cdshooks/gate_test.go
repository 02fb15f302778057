package cdshooks

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"renalwatch/record"
)

// TestGateBoundsCalls: with MaxAssessing 1, calls made at once are
// assessed one at a time (the dashboard-link lookup, inside the
// assessment, never sees two at once), and each still gets its cards.
func TestGateBoundsCalls(t *testing.T) {
	const id, calls = "ln-class-iv-g4", 4
	lookup := demoStore(t)
	var in, most atomic.Int32
	h := demoHandler(t, func(c *Config) {
		c.MaxAssessing = 1
		c.Patients = func(ctx context.Context, pid string) (record.Patient, bool) {
			n := in.Add(1)
			defer in.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(20 * time.Millisecond) // long enough for the other calls to arrive
			return lookup(ctx, pid)
		}
	})
	body := callBody(t, id, demoPrefetch(t, id), nil)
	var wg sync.WaitGroup
	codes := make([]int, calls)
	for i := range calls {
		wg.Go(func() { codes[i] = do(h, http.MethodPost, servicePath(), body, nil).Code })
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("call %d: status %d", i, c)
		}
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d calls assessed at once, want 1 (MaxAssessing)", m)
	}
}

// TestGateLeftWhileFetching: a call waiting on its fhirServer holds no
// place: with MaxAssessing 1, a call with a complete prefetch is answered
// while another waits for the FHIR server's answer.
func TestGateLeftWhileFetching(t *testing.T) {
	const id = "ln-class-iv-g4"
	patient := demoResources(t, id, time.Hour)["patient"][0]
	arrived, release := make(chan struct{}), make(chan struct{})
	fs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
		w.Header().Set("Content-Type", "application/fhir+json")
		w.Write(patient)
	}))
	defer fs.Close()
	h := demoHandler(t, func(c *Config) {
		c.MaxAssessing = 1
		c.FHIRClient, c.FHIRServers = fs.Client(), []string{fs.URL + "/fhir"}
	})
	pf := demoPrefetch(t, id)
	delete(pf, "patient") // fetched from the fhirServer
	fetching := make(chan int)
	go func() {
		fetching <- do(h, http.MethodPost, servicePath(), callBody(t, id, pf, map[string]any{"fhirServer": fs.URL + "/fhir"}), nil).Code
	}()
	<-arrived
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- do(h, http.MethodPost, servicePath(), callBody(t, id, demoPrefetch(t, id), nil), nil) }()
	select {
	case w := <-done:
		decodeCards(t, w)
	case <-time.After(30 * time.Second):
		t.Fatal("a call with a complete prefetch waited for another call's fhirServer")
	}
	close(release)
	if c := <-fetching; c != http.StatusOK {
		t.Errorf("fetching call: status %d", c)
	}
}

// TestGateCallerGone: a caller that leaves while its call waits for a
// place gets a 503 (nothing assessed, nothing issued), the reason saying
// so.
func TestGateCallerGone(t *testing.T) {
	const id = "ln-class-iv-g4"
	store := NewMemoryFeedbackStore()
	hd := NewHandler(Config{Demo: true, Now: fixedNow, MaxAssessing: 1, Feedback: store}).(*cors).next.(*handler)
	hd.gate <- struct{}{} // the one place is taken
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := postJSON(callBody(t, id, demoPrefetch(t, id), nil)).WithContext(ctx)
	w := httptest.NewRecorder()
	hd.mux.ServeHTTP(w, r)
	var e errorBody
	json.Unmarshal(w.Body.Bytes(), &e)
	if w.Code != http.StatusServiceUnavailable || e.Error != "the call was given up while it waited for its turn" {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	if c, _ := store.Counts(context.Background()); len(c) != 0 {
		t.Errorf("cards issued: %v", c)
	}
}

// TestGateSignatureCheck: a service call's JWT signature check waits for
// a place too; a caller gone while it waits gets the 503, and its token's
// jti is not used up: the same token is accepted once a place is free.
func TestGateSignatureCheck(t *testing.T) {
	const id = "ln-class-iv-g4"
	k := newKeys(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ehr-jwks.json"), k.jwks(), 0o644)
	raw, _ := json.Marshal(TrustFile{Trusted: []TrustedClient{{Iss: testIss, JWKSFile: "ehr-jwks.json"}}})
	os.WriteFile(filepath.Join(dir, "trust.json"), raw, 0o644)
	tr, err := LoadTrust(filepath.Join(dir, "trust.json"), TrustOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hd := NewHandler(Config{Trust: tr, PublicURL: testPublic, Now: fixedNow, MaxAssessing: 1}).(*cors).next.(*handler)
	tok := sign(t, jose.ES384, k.es384, map[string]any{"typ": "JWT", "kid": "es384"}, claimsFor(testPublic+servicePath()))
	call := func(ctx context.Context) *httptest.ResponseRecorder {
		r := postJSON(callBody(t, id, demoPrefetch(t, id), nil)).WithContext(ctx)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		hd.mux.ServeHTTP(w, r)
		return w
	}
	hd.gate <- struct{}{} // the one place is taken
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if w := call(ctx); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("caller gone: got %d %s, want 503", w.Code, w.Body)
	}
	<-hd.gate
	decodeCards(t, call(context.Background()))
}
