package server

import (
	"context"
	"sync"
	"time"
)

// listTTL is how long the patient list's assessments are reused: the list
// assesses every stored patient (about 5 ms each on a shared 2-core
// machine), so a cohort of thousands would take seconds per page. Patient
// pages and the API's per-patient routes are never cached; an import
// through this server empties the cache at once, and with a store that
// counts its changes (store.ChangeCounter: SQLite and PostgreSQL) an
// import by any server or program makes it stale at once. The list page says when
// its assessments were made.
const listTTL = 15 * time.Second

// rowCache keeps the assessed rows of each as_of day for listTTL; callers
// asking while the rows are computed wait for that computation.
type rowCache struct {
	mu      sync.Mutex
	entries map[time.Time]*rowEntry
}

type rowEntry struct {
	done    chan struct{}
	rows    []Row
	err     error
	at      time.Time
	version int64 // the store's change count the rows were computed at
}

// get returns the rows of asOf and when they were computed (by the clock
// now), computing them with compute when none are fresh. The rows are shared: callers
// must not change them (filter copies).
func (c *rowCache) get(ctx context.Context, now func() time.Time, asOf time.Time, compute func(context.Context) ([]Row, error)) ([]Row, time.Time, error) {
	return c.getAt(ctx, now, asOf, 0, compute)
}

// getAt is get for a store whose change count (store.ChangeCounter) is
// version: rows computed at another count are stale at once, whichever
// server or program imported, so that servers sharing one store never
// show a list older than the store.
func (c *rowCache) getAt(ctx context.Context, now func() time.Time, asOf time.Time, version int64, compute func(context.Context) ([]Row, error)) ([]Row, time.Time, error) {
	t := now()
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[time.Time]*rowEntry{}
	}
	for k, e := range c.entries {
		if !e.at.IsZero() && t.Sub(e.at) > listTTL {
			delete(c.entries, k)
		}
	}
	e, ok := c.entries[asOf]
	if !ok || e.version != version {
		e = &rowEntry{done: make(chan struct{}), version: version}
		c.entries[asOf] = e
		c.mu.Unlock()
		e.rows, e.err = compute(ctx)
		c.mu.Lock()
		e.at = now()
		if e.err != nil && c.entries[asOf] == e {
			delete(c.entries, asOf) // errors are not kept
		}
		c.mu.Unlock()
		close(e.done)
		return e.rows, e.at, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, time.Time{}, ctx.Err()
	}
	return e.rows, e.at, e.err
}

// clear forgets every entry (after an import).
func (c *rowCache) clear() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
