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
// the same database, and after a restart. A store that fails or does not
// answer within replayTimeout returns its error: the verifier then
// refuses the call with 503 and Retry-After (cdshooks.ReplayStoreError),
// still failing closed, but without calling a token that may be valid
// "already used".
type storeReplay struct{ rs store.ReplayStore }

// replayTimeout bounds one jti check; cdshooks.RetryAfter matches it.
const replayTimeout = 5 * time.Second

// replayOf returns the store's replay cache, or nil (in memory) for a
// store without one.
func replayOf(db store.Store) cdshooks.ReplayCache {
	if rs, ok := db.(store.ReplayStore); ok {
		return storeReplay{rs}
	}
	return nil
}

// Seen implements cdshooks.ReplayCache.
func (r storeReplay) Seen(key string, until, now time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), replayTimeout)
	defer cancel()
	return r.rs.SeenJTI(ctx, key, until, now)
}
