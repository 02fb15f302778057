package main

import (
	"context"
	"time"

	"renalwatch/fhir/cdshooks"
	"renalwatch/store"
)

// storeReplay is the CDS Hooks JWT replay cache in the store
// (store.ReplayStore: SQLite migration 0005, PostgreSQL migration 0003),
// so that a JWT used on one server is refused by every other server on
// the same database, and after a restart. It fails closed: when the
// store cannot answer, the token counts as seen (refused).
type storeReplay struct{ rs store.ReplayStore }

// replayOf returns the store's replay cache, or nil (in memory) for a
// store without one.
func replayOf(db store.Store) cdshooks.ReplayCache {
	if rs, ok := db.(store.ReplayStore); ok {
		return storeReplay{rs}
	}
	return nil
}

// Seen implements cdshooks.ReplayCache.
func (r storeReplay) Seen(key string, until, now time.Time) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	seen, err := r.rs.SeenJTI(ctx, key, until, now)
	return err != nil || seen
}
