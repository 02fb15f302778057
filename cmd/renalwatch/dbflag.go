package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"renalwatch/store"
	"renalwatch/store/postgres"
	"renalwatch/store/sqlite"
)

// waitFlag adds --wait to a command that writes to the store.
func waitFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("wait", sqlite.DefaultWait, "how long to wait for another program writing to the store (`DURATION`: 30s, 10m, 0 for not at all)")
}

// urlForm matches a --db value written as a URL ("postgres://…",
// "file:…"); every other value is a file path.
var urlForm = regexp.MustCompile(`^(?i:file:|[a-z][a-z0-9+.-]*://)`)

// checkDBFlag refuses --db values that cannot name a store: RenalWatch
// never opens a store in memory (it would keep nothing), and a URL other
// than postgres:// is not a path. (A postgres:// URL is opened by
// openPostgres before this check.)
func checkDBFlag(path string) error {
	switch {
	case path == "":
		return badInputf("--db is empty; give the database file's path, for example --db renalwatch.db")
	case path == ":memory:":
		return badInputf("--db :memory: would keep nothing: RenalWatch stores records in a file; give a file path (./:memory: for a file of that name)")
	case urlForm.MatchString(path):
		return badInputf("--db %s: URLs are not accepted; give the SQLite file's path (./%s for a file of that name)", safeText(path), safeText(path))
	}
	return nil
}

// openStore opens the store at path: for reading only when create is
// false ('report', 'patients'), for writing otherwise (waiting for another
// writer as long as sqlite.DefaultWait).
func openStore(ctx context.Context, path string, create bool) (store.Store, error) {
	if postgres.IsURL(path) {
		return openPostgres(ctx, path, !create)
	}
	if create {
		return openWriter(ctx, path, sqlite.DefaultWait, nil)
	}
	if err := checkDBFlag(path); err != nil {
		return nil, err
	}
	db, err := sqlite.OpenWith(ctx, path, sqlite.Options{ReadOnly: true})
	var oe *sqlite.OpenError
	if errors.Is(err, sqlite.ErrNotExist) && errors.As(err, &oe) {
		return nil, badInputf("--db %s: %s (run 'renalwatch import FILE... --db %s' first)", safeText(path), oe.Reason, safeText(shellQuote(path)))
	}
	return db, openErr(path, err)
}

// openWriter opens the store at path for writing, creating it when
// missing. A write waits up to wait for another program's lock; when
// stderr is a terminal, it says so.
func openWriter(ctx context.Context, path string, wait time.Duration, stderr io.Writer) (store.Store, error) {
	if postgres.IsURL(path) {
		return openPostgres(ctx, path, false)
	}
	if err := checkDBFlag(path); err != nil {
		return nil, err
	}
	if wait < 0 {
		return nil, badInputf("--wait %s: want a duration of 0 or more, such as 30s or 10m", wait)
	}
	opt := sqlite.Options{Wait: max(wait, time.Millisecond)}
	if isTerminal(stderr) {
		opt.OnWait = func() {
			fmt.Fprintf(stderr, "renalwatch: waiting for another program writing to %s (up to %s; --wait to change)…\n", safeText(path), wait)
		}
	}
	db, err := sqlite.OpenWith(ctx, path, opt)
	return db, openErr(path, err)
}

// openErr words an error of sqlite.OpenWith for the command line.
func openErr(path string, err error) error {
	if err == nil {
		return nil
	}
	var oe *sqlite.OpenError
	if errors.As(err, &oe) {
		msg := fmt.Sprintf("--db %s: %s", safeText(path), safeText(oe.Reason))
		if errors.Is(err, sqlite.ErrBusy) {
			return fmt.Errorf("%s (--wait to wait longer)", msg)
		}
		return badInput(&openFailure{msg, err})
	}
	return fmt.Errorf("--db %s: %w", safeText(path), err)
}

// openFailure is a store's open error worded for the command line (msg),
// which keeps the store's error for errors.Is (sqlite.ErrFolderReadOnly).
type openFailure struct {
	msg string
	err error
}

func (e *openFailure) Error() string { return e.msg }
func (e *openFailure) Unwrap() error { return e.err }

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// importStopped words the error that stopped an import at file name after
// done files were imported (their summary is printed above it).
func importStopped(err error, name string, done int) error {
	if errors.Is(err, sqlite.ErrBusy) {
		err = fmt.Errorf("%w (--wait to wait longer)", err)
	}
	if done == 0 {
		return err
	}
	return fmt.Errorf("%w; stopped at %s (the files before it are listed above: %d done)", err, safeText(name), done)
}

// openPostgres opens the PostgreSQL store at the URL conn, creating its
// schema in an empty database unless readOnly ('report', 'patients').
// Messages name it with the password
// replaced (postgres.Redact); the password never reaches an error.
func openPostgres(ctx context.Context, conn string, readOnly bool) (store.Store, error) {
	db, err := postgres.OpenWith(ctx, conn, postgres.Options{ReadOnly: readOnly})
	if err == nil {
		return db, nil
	}
	var oe *postgres.OpenError
	if errors.As(err, &oe) {
		msg := fmt.Sprintf("--db %s: %s", safeText(oe.URL), safeText(oe.Reason))
		if errors.Is(err, postgres.ErrNotExist) {
			return nil, badInputf("%s (run 'renalwatch import FILE... --db %s' first)", msg, safeText(shellQuote(oe.URL)))
		}
		if errors.Is(err, postgres.ErrForeign) || errors.Is(err, postgres.ErrNewerSchema) {
			return nil, badInput(errors.New(msg))
		}
		return nil, errors.New(msg)
	}
	return nil, fmt.Errorf("--db %s: %w", safeText(postgres.Redact(conn)), err)
}

// dbName is how messages name the store --db names: a PostgreSQL URL
// without its password, a file path as given.
func dbName(path string) string {
	if postgres.IsURL(path) {
		return postgres.Redact(path)
	}
	return path
}
