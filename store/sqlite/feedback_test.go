package sqlite_test

import (
	"context"
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
