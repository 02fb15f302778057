package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"renalwatch/fhir/cdshooks"
	"renalwatch/server"
	"renalwatch/store/sqlite"
)

// BenchmarkServerCall is one patient-view call through the server as the
// -serve process wires it (SQLite store, demo mode, audit row and cards
// written), in process without the network: the cdsload bodies in turn.
// For instruction counts with callgrind (bench/README.md).
func BenchmarkServerCall(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(server.GCPercent)) // as serve does
	now, _ := time.Parse(time.RFC3339, "2026-01-02T12:00:00Z")
	cs, err := calls(50, 1, now)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.OpenWith(ctx, filepath.Join(b.TempDir(), "load.db"), sqlite.Options{Wait: sqlite.DefaultWait})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	clock := func() time.Time { return now }
	srv, err := server.New(server.Config{Store: db, CDS: &cdshooks.Config{PublicURL: publicURL, Demo: true, Now: clock}, Now: clock, PublicURL: publicURL})
	if err != nil {
		b.Fatal(err)
	}
	bodies := make([][]byte, len(cs))
	for i, c := range cs {
		bodies[i] = append(append(append([]byte{}, c.head...), "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"...), c.tail...)
	}
	i := 0
	call := func() {
		body := bodies[i%len(bodies)]
		// a new hookInstance per call
		copy(body[len(cs[i%len(cs)].head):], fmt.Sprintf("%08x", i))
		i++
		r := httptest.NewRequest(http.MethodPost, "/cds-services/"+serviceID, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d: %s", w.Code, w.Body.Bytes())
		}
	}
	for range len(bodies) {
		call()
	}
	b.ResetTimer()
	for b.Loop() {
		call()
	}
}
