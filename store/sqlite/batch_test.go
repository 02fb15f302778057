package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestGroupCommit: writes queued while one commits go together in one
// transaction; one that fails leaves the others committed and gets its own
// error, and a replayed JWT id in the same group is seen.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	db, err := OpenWith(ctx, filepath.Join(t.TempDir(), "g.db"), Options{Wait: DefaultWait})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	audit := func(who string) func(exec func(string, ...any) (sql.Result, error)) error {
		return func(exec func(string, ...any) (sql.Result, error)) error {
			_, err := exec(sqlAudit, "p", textTime(now), who, "test", "ok")
			return err
		}
	}
	// The first write holds its transaction until the others are queued.
	release := make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
			<-release
			return audit("first")(exec)
		})
	}()
	const n = 20
	bad := errors.New("refused by the test")
	var wg sync.WaitGroup
	errs := make([]error, n)
	seen := make([]bool, 2)
	runs := make([]int, n)
	waitQueued := func(k int) {
		for {
			db.group.mu.Lock()
			q, running := len(db.group.pending), db.group.running
			db.group.mu.Unlock()
			if running && q >= k {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitQueued(0)
	for i := range n {
		wg.Go(func() {
			switch i {
			case 3: // fails after writing its row: none of it stays
				errs[i] = db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
					runs[i]++
					if err := audit("bad")(exec); err != nil {
						return err
					}
					return bad
				})
			case 5, 6: // the same JWT id twice
				errs[i] = nil
				s, err := db.SeenJTI(ctx, "iss\x00same", now.Add(time.Minute), now)
				seen[i-5], errs[i] = s, err
			default:
				errs[i] = db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
					runs[i]++
					return audit(fmt.Sprint("w", i))(exec)
				})
			}
		})
		waitQueued(i + 1)
	}
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if (i == 3) != errors.Is(err, bad) || (i != 3 && err != nil) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if seen[0] == seen[1] {
		t.Errorf("the same jti twice: seen %v, want exactly one seen", seen)
	}
	if runs[0] != 2 || runs[3] != 2 { // the group ran up to the failing write
		t.Errorf("runs %v: the group should have been rolled back and each write run again alone", runs)
	}
	var rows, badRows int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE who = 'bad') FROM audit`).Scan(&rows, &badRows); err != nil {
		t.Fatal(err)
	}
	if rows != 1+n-3 || badRows != 0 {
		t.Errorf("audit rows %d (bad %d), want %d (0)", rows, badRows, 1+n-3)
	}
}

// TestGroupCommitCanceled: a write whose context ends while it waits is
// not written and returns the context's error.
func TestGroupCommitCanceled(t *testing.T) {
	ctx := context.Background()
	db, err := OpenWith(ctx, filepath.Join(t.TempDir(), "c.db"), Options{Wait: DefaultWait})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error { <-release; return nil })
	}()
	for {
		db.group.mu.Lock()
		r := db.group.running
		db.group.mu.Unlock()
		if r {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cctx, cancel := context.WithCancel(ctx)
	wrote := false
	got := make(chan error, 1)
	go func() {
		got <- db.write(cctx, func(exec func(string, ...any) (sql.Result, error)) error { wrote = true; return nil })
	}()
	for {
		db.group.mu.Lock()
		q := len(db.group.pending)
		db.group.mu.Unlock()
		if q == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-got; !errors.Is(err, context.Canceled) || wrote {
		t.Errorf("canceled write: %v, ran %v", err, wrote)
	}
}
