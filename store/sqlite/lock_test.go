package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"renalwatch/store"
	"renalwatch/store/sqlite"
)

// holdLock takes the store's write lock on a connection of its own and
// returns the function that releases it.
func holdLock(t *testing.T, path string) (release func()) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := raw.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	return func() {
		conn.ExecContext(context.Background(), `ROLLBACK`)
		conn.Close()
		raw.Close()
	}
}

// Regression (issue 8 item 5): a second writer waits for the lock, says
// that it waits, and gives up after its wait with ErrBusy (not SQLite's
// "database is locked (5)").
func TestSecondWriterWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	var waited atomic.Int32
	opt := sqlite.Options{Wait: 400 * time.Millisecond, OnWait: func() { waited.Add(1) }}
	db, err = sqlite.OpenWith(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	release := holdLock(t, path)
	start := time.Now()
	_, err = db.Import(context.Background(), onePatient("p1"), store.ImportOptions{})
	if !errors.Is(err, sqlite.ErrBusy) || !strings.Contains(err.Error(), "waited 400ms") {
		t.Fatalf("import while another writer holds the lock: %v; want ErrBusy after 400ms", err)
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("gave up after %s; want the whole wait", d)
	}
	if waited.Load() != 1 {
		t.Errorf("OnWait called %d times; want once", waited.Load())
	}

	// The lock is released while the writer waits (as soon as it says it
	// waits, so the test does not depend on timing): the import goes through.
	waited.Store(0)
	onWait := func() {
		if waited.Add(1) == 1 {
			go release()
		}
	}
	db2, err := sqlite.OpenWith(context.Background(), path, sqlite.Options{Wait: 10 * time.Second, OnWait: onWait})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	res, err := db2.Import(context.Background(), onePatient("p1"), store.ImportOptions{})
	if err != nil || res.Imported != 1 {
		t.Fatalf("import after the other writer finished: %+v, %v", res, err)
	}
	if waited.Load() != 1 {
		t.Errorf("OnWait called %d times; want once", waited.Load())
	}
}

// TestWriterWithoutOnWaitWaits: without OnWait (the server's store) a
// write waits for the lock in one step (no busy-timeout PRAGMAs around
// its BEGIN) for the whole wait, gives up with ErrBusy, and goes through
// once the other writer is done.
func TestWriterWithoutOnWaitWaits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := sqlite.OpenWith(context.Background(), path, sqlite.Options{Wait: 400 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := store.AuditEntry{Time: time.Now(), Who: "cds client", Action: "cds call", PatientID: "p1", Outcome: "ok"}
	release := holdLock(t, path)
	start := time.Now()
	err = db.AuditIssued(context.Background(), e, store.IssuedCard{UUID: "u1", ServiceID: "s", AlertCode: "anemia", Issued: e.Time})
	if !errors.Is(err, sqlite.ErrBusy) || !strings.Contains(err.Error(), "waited 400ms") {
		t.Fatalf("write while another writer holds the lock: %v; want ErrBusy after 400ms", err)
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("gave up after %s; want the whole wait", d)
	}
	if log, _ := db.AuditLog(context.Background(), store.AuditQuery{}); len(log) != 0 {
		t.Errorf("the refused write left audit rows: %+v", log)
	}
	release()
	if err := db.AuditIssued(context.Background(), e); err != nil {
		t.Fatalf("write after the other writer finished: %v", err)
	}
}
