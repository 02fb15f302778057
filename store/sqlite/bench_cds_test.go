package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renalwatch/store"
	"renalwatch/store/sqlite"
)

// BenchmarkCDSCallWrites: the store writes of one CDS Hooks patient-view
// call with a JWT as renalwatch serve makes them (store opened with
// DefaultWait, no OnWait): the JWT id (SeenJTI), then the audit row with
// the call's two cards in one transaction (AuditIssued).
func BenchmarkCDSCallWrites(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.OpenWith(ctx, filepath.Join(b.TempDir(), "cds.db"), sqlite.Options{Wait: sqlite.DefaultWait})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		id := strconv.Itoa(i)
		if seen, err := db.SeenJTI(ctx, "https://ehr.example.org\x00jti-"+id, now.Add(5*time.Minute), now); err != nil || seen {
			b.Fatal(seen, err)
		}
		e, cs := callRows(id, now)
		if err := db.AuditIssued(ctx, e, cs...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCDSCallWritesParallel: the same from eight concurrent callers,
// as a server under load makes them (group commit, batch.go).
func BenchmarkCDSCallWritesParallel(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.OpenWith(ctx, filepath.Join(b.TempDir(), "cds.db"), sqlite.Options{Wait: sqlite.DefaultWait})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var seq atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := strconv.FormatInt(seq.Add(1), 10)
			if seen, err := db.SeenJTI(ctx, "https://ehr.example.org\x00jti-"+id, now.Add(5*time.Minute), now); err != nil || seen {
				b.Fatal(seen, err)
			}
			e, cs := callRows(id, now)
			if err := db.AuditIssued(ctx, e, cs...); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCDSCallWritesTail: the audit rows and cards of CDS calls
// arriving at 1,000 a second (open loop: each write starts when it is due,
// whatever the writes before it), as cdsload's fixed-rate phase sends them;
// reports the p50, p99 and largest latency of a write. A write that waits
// behind a WAL checkpoint (its fsyncs) shows in the tail.
func BenchmarkCDSCallWritesTail(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "cds.db")
	db, err := sqlite.OpenWith(ctx, path, sqlite.Options{Wait: sqlite.DefaultWait})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	lat := make([]time.Duration, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		due := start.Add(time.Duration(i) * time.Millisecond)
		time.Sleep(time.Until(due))
		wg.Go(func() {
			id := strconv.Itoa(i)
			e, cs := callRows(id, now)
			if err := db.AuditIssued(ctx, e, cs...); err != nil {
				b.Error(err)
			}
			lat[i] = time.Since(due)
		})
	}
	wg.Wait()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[b.N/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(b.N-1, b.N*99/100)]), "p99-ms")
	b.ReportMetric(ms(lat[b.N-1]), "max-ms")
	// The WAL file keeps the largest size it reached: pages appended
	// between two restarts of the log.
	if fi, err := os.Stat(path + "-wal"); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "wal-MiB")
	}
}

// callRows are the audit row and the two cards of CDS call id.
func callRows(id string, now time.Time) (store.AuditEntry, []store.IssuedCard) {
	e := store.AuditEntry{Time: now, Who: "cds client", Action: "cds call renalwatch-kidney", PatientID: "p" + id, Outcome: "ok"}
	return e, []store.IssuedCard{
		{UUID: "a-" + id, ServiceID: "renalwatch-kidney", AlertCode: "renal-flare", Issued: now},
		{UUID: "b-" + id, ServiceID: "renalwatch-kidney", AlertCode: "anemia", Issued: now},
	}
}
