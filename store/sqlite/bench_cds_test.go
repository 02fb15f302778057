package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
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
		e := store.AuditEntry{Time: now, Who: "cds client", Action: "cds call renalwatch-kidney", PatientID: "p" + id, Outcome: "ok"}
		cs := []store.IssuedCard{
			{UUID: "a-" + id, ServiceID: "renalwatch-kidney", AlertCode: "renal-flare", Issued: now},
			{UUID: "b-" + id, ServiceID: "renalwatch-kidney", AlertCode: "anemia", Issued: now},
		}
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
			e := store.AuditEntry{Time: now, Who: "cds client", Action: "cds call renalwatch-kidney", PatientID: "p" + id, Outcome: "ok"}
			cs := []store.IssuedCard{
				{UUID: "a-" + id, ServiceID: "renalwatch-kidney", AlertCode: "renal-flare", Issued: now},
				{UUID: "b-" + id, ServiceID: "renalwatch-kidney", AlertCode: "anemia", Issued: now},
			}
			if err := db.AuditIssued(ctx, e, cs...); err != nil {
				b.Fatal(err)
			}
		}
	})
}
