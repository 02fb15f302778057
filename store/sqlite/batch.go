package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// Group commit of the small writes made per request (audit rows, issued
// cards, JWT ids, feedback). Each is a transaction of a few rows on the one
// writer connection; its cost is mostly the commit, which appends every
// page the transaction touched to the WAL (4 KiB pages: the audit table,
// its two indexes and sqlite_sequence, the card's B-tree). Writes that
// arrive while one commits wait and then go together in the next
// transaction, committed before any of them returns: nothing is
// acknowledged before it is in the WAL, as before, and the append-only
// pages are written once for the group.
//
// The first caller to find no transaction running leads: it runs the
// waiting writes in one transaction, hands the lead to the first writer
// that queued meanwhile (which runs the next group), and returns. If any
// write of a group fails, the group is rolled back and each of its writes
// runs again alone, so that every caller gets the outcome it would have
// had alone; a group that cannot begin (the lock held past the wait, as by
// an import in another process) gives every member that error.

// maxGroup bounds the writes committed together.
const maxGroup = 64

// writeReq is one caller's write.
type writeReq struct {
	ctx  context.Context
	f    func(exec func(q string, args ...any) (sql.Result, error)) error
	err  error
	wake chan bool // true: lead the next group; false: done, err is set
}

// group is the queue of writes waiting for a transaction.
type group struct {
	mu      sync.Mutex
	pending []*writeReq
	running bool
}

// write runs f in a write transaction, alone or with writes of other
// callers (group commit, above), committed before write returns. f may run
// more than once (a group rolled back): it must set its results afresh
// each time. exec runs a statement of writeStmts from its prepared form
// (database/sql keeps it prepared on the writer connection), any other by
// text.
func (db *DB) write(ctx context.Context, f func(exec func(q string, args ...any) (sql.Result, error)) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, f: f, wake: make(chan bool, 1)}
	g := &db.group
	g.mu.Lock()
	g.pending = append(g.pending, req)
	if g.running {
		g.mu.Unlock()
		if lead := <-req.wake; !lead {
			return req.err
		}
		g.mu.Lock()
	}
	g.running = true
	n := min(len(g.pending), maxGroup)
	batch := g.pending[:n:n]
	g.pending = g.pending[n:]
	g.mu.Unlock()

	db.commitGroup(batch)

	g.mu.Lock()
	if len(g.pending) > 0 {
		g.pending[0].wake <- true // it leads the next group
	} else {
		g.running = false
		g.pending = nil
	}
	g.mu.Unlock()
	for _, r := range batch {
		if r != req {
			r.wake <- false
		}
	}
	return req.err
}

// commitGroup runs batch in one transaction and sets each member's err.
func (db *DB) commitGroup(batch []*writeReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if r.err = r.ctx.Err(); r.err == nil {
			live = append(live, r)
		}
	}
	switch len(live) {
	case 0:
		return
	case 1:
		live[0].err = db.writeTx(live[0].ctx, []*writeReq{live[0]})
		return
	}
	// The group's transaction outlives no caller's wait: each waits for
	// it whatever its context, as a transaction begun alone would run to
	// its commit.
	ctx := context.WithoutCancel(live[0].ctx)
	err := db.writeTx(ctx, live)
	switch {
	case err == nil:
		return
	case err == errBegin:
		for _, r := range live {
			r.err = live[0].err
		}
		return
	}
	for _, r := range live { // one failed: each alone, as if never grouped
		r.err = db.writeTx(r.ctx, []*writeReq{r})
	}
}

// errBegin marks a group whose transaction could not begin; the cause is
// in the first member's err.
var errBegin = beginError{}

type beginError struct{}

func (beginError) Error() string { return "begin failed" }

// writeTx runs the writes of rs in one transaction on the writer
// connection. For a single write it returns that write's error; for a
// group it returns errBegin (the cause in rs[0].err) when the
// transaction cannot begin, and any other error of a write or the commit
// as is, the group rolled back.
func (db *DB) writeTx(ctx context.Context, rs []*writeReq) error {
	conn, err := db.w.Conn(ctx)
	if err == nil {
		defer conn.Close()
	}
	var tx *sql.Tx
	if err == nil {
		tx, err = db.begin(ctx, conn)
	}
	if err != nil {
		if len(rs) == 1 {
			return err
		}
		rs[0].err = err
		return errBegin
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) (sql.Result, error) {
		if st := db.stmts[q]; st != nil {
			return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
		}
		return tx.ExecContext(ctx, q, args...)
	}
	for _, r := range rs {
		if err := r.f(exec); err != nil {
			return err
		}
	}
	return tx.Commit()
}
