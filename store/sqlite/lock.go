package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlitedrv "modernc.org/sqlite"
)

// firstTry is how long a write waits for the lock before it tells
// Options.OnWait that it is waiting.
const firstTry = 250 * time.Millisecond

// begin starts the IMMEDIATE transaction of a write on conn, waiting up to
// the Options.Wait of the store for another writer to finish. When the lock
// is not free at once, Options.OnWait is called and the wait goes on; when
// the wait runs out, the error wraps ErrBusy and says how long it waited.
// A store opened read-only returns ErrReadOnly.
func (db *DB) begin(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	if db.o.readOnly {
		return nil, fmt.Errorf("%s: %w", db.o.path, ErrReadOnly)
	}
	wait := db.o.wait
	if wait <= 0 {
		wait = DefaultWait
	}
	if db.o.onWait == nil && db.o.wait > 0 {
		// Nobody to tell that the write waits: one wait of the whole
		// time, which is the connection's busy timeout already (dsn, and
		// restored below after a two-step wait). The two PRAGMAs cost
		// more than a small write itself (a CDS Hooks call's audit row).
		tx, err := conn.BeginTx(ctx, nil)
		return tx, busyErr(err, wait)
	}
	first := min(firstTry, wait)
	if err := setBusyTimeout(ctx, conn, first); err != nil {
		return nil, err
	}
	defer setBusyTimeout(context.WithoutCancel(ctx), conn, wait)
	tx, err := conn.BeginTx(ctx, nil)
	if err == nil || !isBusy(err) || first == wait {
		return tx, busyErr(err, wait)
	}
	if db.o.onWait != nil {
		db.o.onWait()
	}
	if err := setBusyTimeout(ctx, conn, wait-first); err != nil {
		return nil, err
	}
	tx, err = conn.BeginTx(ctx, nil)
	return tx, busyErr(err, wait)
}

func setBusyTimeout(ctx context.Context, conn *sql.Conn, d time.Duration) error {
	_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, max(d.Milliseconds(), 1)))
	return err
}

// isBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED.
func isBusy(err error) bool {
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == 5 || c == 6
	}
	return false
}

// busyErr words a lock timeout for people; other errors pass unchanged.
func busyErr(err error, waited time.Duration) error {
	if err == nil || !isBusy(err) {
		return err
	}
	return fmt.Errorf("%w: waited %s for its lock, then gave up; nothing more was written", ErrBusy, waited)
}
