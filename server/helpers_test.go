package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"renalwatch/demo"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

// testNow is the clock of the demo import and the server (after the last
// date in the demonstration data); testAsOf is the day the goldens use.
var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

const testAsOf = "2026-10-15"

// openDemo returns a SQLite store in a temporary directory holding the
// five demonstration patients (demo/data, synthetic).
func openDemo(t testing.TB) store.Store {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ps, err := demo.Load(testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		res, err := db.Import(ctx, &p.Batch, store.ImportOptions{Strict: true})
		if err != nil || len(res.Rejected) > 0 {
			t.Fatalf("demo %s: %v %v", p.ID, err, res.Rejected)
		}
	}
	return db
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newTestServer returns a server on the demo store; cfg fields given
// override the defaults. The log goes to the returned buffer.
func newTestServer(t testing.TB, cfg Config) (*Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Store == nil {
		cfg.Store = openDemo(t)
	}
	cfg.Log = slog.New(slog.NewJSONHandler(logs, nil))
	cfg.Now = func() time.Time { return testNow }
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, logs
}

// do runs one request against h and returns the response.
func do(t testing.TB, h http.Handler, method, target string, body io.Reader, header map[string]string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, target, body)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func readAll(t testing.TB, r *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
