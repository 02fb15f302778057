package postgres_test

import (
	"testing"

	"renalwatch/store"
	"renalwatch/store/storetest"
)

func TestFeedbackConformance(t *testing.T) {
	storetest.RunFeedback(t, func(t *testing.T) store.FeedbackStore {
		db := openTemp(t)
		t.Cleanup(func() { db.Close() })
		return db
	})
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
