package server

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
)

// TestRowCache: one computation for concurrent callers, reuse within
// listTTL, a new computation after it and after clear, errors not kept.
func TestRowCache(t *testing.T) {
	var c rowCache
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var calls atomic.Int32
	compute := func(context.Context) ([]Row, error) {
		calls.Add(1)
		time.Sleep(20 * time.Millisecond)
		return []Row{{ID: "p1"}}, nil
	}
	day := time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if rs, _, err := c.get(context.Background(), now, day, compute); err != nil || len(rs) != 1 {
				t.Errorf("%v %v", rs, err)
			}
		})
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("%d computations for 8 concurrent callers", calls.Load())
	}
	clock = clock.Add(listTTL - time.Second)
	c.get(context.Background(), now, day, compute)
	if calls.Load() != 1 {
		t.Errorf("recomputed within the TTL")
	}
	clock = clock.Add(2 * time.Second)
	c.get(context.Background(), now, day, compute)
	if calls.Load() != 2 {
		t.Errorf("not recomputed after the TTL: %d", calls.Load())
	}
	c.clear()
	c.get(context.Background(), now, day, compute)
	if calls.Load() != 3 {
		t.Errorf("not recomputed after clear: %d", calls.Load())
	}
	fail := func(context.Context) ([]Row, error) { return nil, context.DeadlineExceeded }
	other := day.AddDate(0, 0, 1)
	if _, _, err := c.get(context.Background(), now, other, fail); err == nil {
		t.Fatal("no error")
	}
	if rs, _, err := c.get(context.Background(), now, other, compute); err != nil || len(rs) != 1 {
		t.Errorf("an error was kept: %v %v", rs, err)
	}
}

// TestImportRenewsList: a patient imported through the server is in the
// next list at once, although the list reuses its assessments.
func TestImportRenewsList(t *testing.T) {
	imp := func(ctx context.Context, db store.Store, name string, r io.Reader, strict bool) (any, error) {
		b := record.Batch{Patients: []record.Patient{{ID: "zz-new", Sex: record.Female}}}
		return db.Import(ctx, &b, store.ImportOptions{})
	}
	s, _ := newTestServer(t, Config{Import: imp})
	count := func() int {
		var l List
		if err := json.Unmarshal(readAll(t, do(t, s, "GET", "/api/patients", nil, nil)), &l); err != nil {
			t.Fatal(err)
		}
		return l.Total
	}
	if n := count(); n != 5 {
		t.Fatalf("%d patients before", n)
	}
	resp := do(t, s, "POST", "/api/import?name=p.csv", strings.NewReader("x"), map[string]string{"Content-Type": "text/csv"})
	if resp.StatusCode != 200 {
		t.Fatalf("import %d", resp.StatusCode)
	}
	if n := count(); n != 6 {
		t.Errorf("%d patients after the import, want 6", n)
	}
}
