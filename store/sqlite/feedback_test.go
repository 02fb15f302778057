package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"renalwatch/store"
	"renalwatch/store/sqlite"
	"renalwatch/store/storetest"
)

func TestFeedbackConformance(t *testing.T) {
	storetest.RunFeedback(t, func(t *testing.T) store.FeedbackStore {
		db := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestFeedbackSurvivesReopen: counts are read back after the file is
// closed and opened again (the reason they are in SQLite, not memory).
func TestFeedbackSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fb.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.IssueCard(ctx, store.IssuedCard{UUID: "u1", ServiceID: "s", AlertCode: "renal-flare", Issued: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordFeedback(ctx, store.CardFeedback{ServiceID: "s", Card: "u1", Outcome: "overridden", OutcomeTimestamp: "2026-12-07T10:00:00Z", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.FeedbackCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (store.FeedbackCount{AlertCode: "renal-flare", Overridden: 1}) {
		t.Errorf("after reopen: %+v, want renal-flare overridden 1", got)
	}
}

func TestReplayConformance(t *testing.T) {
	storetest.RunReplay(t, func(t *testing.T) store.ReplayStore {
		db := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestCallAuditConformance(t *testing.T) {
	storetest.RunCallAudit(t, func(t *testing.T) storetest.CallStore {
		db := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestSeenJTIPurge: an expired JWT id is recorded again whether or not
// the minute's purge has run, and expired ids of other keys are deleted
// once a minute has passed.
func TestSeenJTIPurge(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "jti.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		key       string
		until, at time.Time
		wantSeen  bool
		wantRows  int
	}{
		{"a", t0.Add(10 * time.Second), t0, false, 1},                                    // purges (first call)
		{"b", t0.Add(10 * time.Second), t0.Add(time.Second), false, 2},                   // no purge within the minute
		{"a", t0.Add(30 * time.Second), t0.Add(20 * time.Second), false, 2},              // a expired: renewed, not seen
		{"a", t0.Add(30 * time.Second), t0.Add(25 * time.Second), true, 2},               // replayed
		{"c", t0.Add(2 * time.Minute), t0.Add(61 * time.Second), false, 1},               // a minute on: a and b purged
		{"c", t0.Add(2 * time.Minute), t0.Add(62 * time.Second), true, 1},                // replayed
		{"b", t0.Add(3 * time.Minute), t0.Add(63 * time.Second), false, 2},               // b purged: new
		{"c", t0.Add(5 * time.Minute), t0.Add(2*time.Minute + 30*time.Second), false, 2}, // c expired at 2:00, purge due: renewed
		{"b", t0.Add(5 * time.Minute), t0.Add(2*time.Minute + 40*time.Second), true, 2},  // b valid to 3:00
	}
	for i, st := range steps {
		seen, err := db.SeenJTI(ctx, st.key, st.until, st.at)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if seen != st.wantSeen {
			t.Errorf("step %d: SeenJTI(%s at +%s) = %v, want %v", i, st.key, st.at.Sub(t0), seen, st.wantSeen)
		}
		raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := raw.QueryRow(`SELECT count(*) FROM cds_jti`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		if n != st.wantRows {
			t.Errorf("step %d: %d rows in cds_jti, want %d", i, n, st.wantRows)
		}
	}
}
