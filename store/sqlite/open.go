package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	sqlitedrv "modernc.org/sqlite"

	"renalwatch/store"
)

// ApplicationID marks a SQLite file as a RenalWatch store (PRAGMA
// application_id, bytes 68-71 of the file header: "RnWt"). Open refuses a
// file that carries another application's id.
const ApplicationID = 0x526E5774

// DefaultWait is how long a writer waits for another writer's lock before
// it gives up: long enough for another large import to finish.
const DefaultWait = 10 * time.Minute

// Errors Open returns; an *OpenError wraps one of them.
var (
	// ErrPath: the path cannot hold a store (empty, a folder, a missing
	// folder, no permission).
	ErrPath = errors.New("unusable store path")
	// ErrFolderReadOnly: a writer cannot create the -wal and -shm files
	// beside the store, its folder not being writable. It is an ErrPath.
	ErrFolderReadOnly = fmt.Errorf("%w: folder not writable", ErrPath)
	// ErrNotExist: a read-only open found no file.
	ErrNotExist = errors.New("no database there")
	// ErrForeign: the file is not a RenalWatch store; it was not changed.
	ErrForeign = errors.New("not a RenalWatch store")
	// ErrNewerSchema: the store was written by a newer RenalWatch; it was
	// not changed.
	ErrNewerSchema = errors.New("made by a newer RenalWatch")
	// ErrBusy: another program held the write lock for longer than the
	// wait allowed.
	ErrBusy = errors.New("another program is writing to the store")
	// ErrReadOnly: a write to a store opened read-only.
	ErrReadOnly = errors.New("store opened read-only")
)

// OpenError says why Open refused a path, in words for people.
type OpenError struct {
	Path   string // as given
	Reason string // "folder /x does not exist"
	Err    error  // one of the sentinels above, or the driver's error
}

func (e *OpenError) Error() string { return e.Path + ": " + e.Reason }

// Unwrap returns the sentinel or the driver's error.
func (e *OpenError) Unwrap() error { return e.Err }

// Options tune Open.
type Options struct {
	// ReadOnly opens the file for reading only: it must exist, and nothing
	// is created, marked or written. A store of an older schema is
	// upgraded first when it can be written.
	ReadOnly bool
	// Wait bounds how long a write waits for another writer's lock;
	// zero or less means DefaultWait.
	Wait time.Duration
	// OnWait, when set, is called once each time a write has to wait for
	// another writer.
	OnWait func()
}

// openInfo is what a DB remembers of how it was opened.
type openInfo struct {
	path     string
	readOnly bool
	wait     time.Duration
	onWait   func()
}

// Open opens (creating if needed) the SQLite store at path for reading and
// writing, with the default Options.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith opens the store at path. path is a file path, never a URI:
// "?", "#" and "%" are part of the name, and ":memory:" is a file of that
// name in the working directory. A new file is created with mode 0600 (its
// -wal and -shm files get the same mode from SQLite); an existing file's
// mode is never changed. Before anything is written the file is checked:
// another application's file (application_id, or tables that are not a
// RenalWatch schema) and a store of a newer schema are refused untouched;
// an older schema is upgraded in one transaction, and the file is marked
// with ApplicationID and its schema version (PRAGMA user_version).
func OpenWith(ctx context.Context, path string, opt Options) (db *DB, err error) {
	if opt.Wait <= 0 {
		opt.Wait = DefaultWait
	}
	abs, created, err := preparePath(path, opt.ReadOnly)
	if err != nil {
		return nil, err
	}
	if created {
		defer func() {
			if err != nil {
				for _, s := range []string{"", "-wal", "-shm", "-journal"} {
					os.Remove(abs + s)
				}
			}
		}()
	}
	fail := func(reason string, err error) error { return &OpenError{Path: path, Reason: reason, Err: err} }
	st, err := inspect(ctx, abs, opt.ReadOnly)
	if err != nil {
		return nil, fail(driverReason(err), err)
	}
	known := knownVersion()
	switch {
	case st.foreign != "":
		return nil, fail("not a RenalWatch store ("+st.foreign+"); it was left unchanged", ErrForeign)
	case st.version > known:
		return nil, fail(store.NewerSchema(st.version, known), ErrNewerSchema)
	}
	info := openInfo{path: path, readOnly: opt.ReadOnly, wait: opt.Wait, onWait: opt.OnWait}
	if opt.ReadOnly && st.version == 0 {
		return nil, fail("the file is empty: no RenalWatch store yet", ErrNotExist)
	}
	if opt.ReadOnly && st.version < known {
		// An older store: upgrade it once, when the file can be written.
		up, err := OpenWith(ctx, path, Options{Wait: opt.Wait, OnWait: opt.OnWait})
		if err != nil {
			reason := err.Error()
			var oe *OpenError
			if errors.As(err, &oe) {
				reason = oe.Reason
			}
			return nil, fail(fmt.Sprintf("made by an older RenalWatch (schema %d) and cannot be upgraded here: %s", st.version, reason), err)
		}
		if err := up.Close(); err != nil {
			return nil, err
		}
	}
	if opt.ReadOnly {
		r, err := sql.Open("sqlite", dsn(abs, st.roParams, opt.Wait))
		if err != nil {
			return nil, err
		}
		r.SetMaxOpenConns(4)
		if err := r.PingContext(ctx); err != nil {
			r.Close()
			return nil, fail(driverReason(err), err)
		}
		// w is read-only too: a write fails at its BEGIN with ErrReadOnly.
		w, _ := sql.Open("sqlite", dsn(abs, st.roParams, opt.Wait))
		w.SetMaxOpenConns(1)
		db := &DB{w: w, r: r, o: info}
		db.patient, _ = r.PrepareContext(ctx, sqlPatient) // nil on error: Patient prepares per call
		return db, nil
	}
	rw := url.Values{}
	// Pages keep SQLite's default 4 KiB. A page_size pragma here would have
	// no effect: the driver runs the _pragma values in alphabetical order
	// (modernc.org/sqlite v1.62.0, sqlite.go), so journal_mode(WAL) fixes the
	// page size before page_size could set it (every store so far has 4 KiB
	// pages). Larger pages would also make each CDS Hooks audit commit write
	// about 4× the bytes to the WAL (BenchmarkCDSCallWritesTail).
	rw.Add("_pragma", "journal_mode(WAL)")
	// synchronous=NORMAL in WAL mode: a commit appends to the WAL without
	// an fsync; the WAL is synced at checkpoints. A crash or kill of the
	// process never loses a committed import (TestCrashDuringImport), and
	// the file is never corrupted; a power loss or OS crash may roll back
	// the imports committed since the last checkpoint, never half of one.
	// FULL costs one fsync per commit: no measurable difference for one
	// large import, about 0.5 ms per file for many small ones (docs/caveats.md, ## Store).
	rw.Add("_pragma", "synchronous(NORMAL)")
	rw.Add("_pragma", "foreign_keys(ON)")
	rw.Add("_pragma", "cache_size(-65536)") // 64 MiB: a large import does not spill pages mid-transaction
	rw.Add("_pragma", "temp_store(MEMORY)")
	w, err := sql.Open("sqlite", dsn(abs, rw, opt.Wait)+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db = &DB{w: w, o: info}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fail(driverReason(err), err)
	}
	if err := db.migrate(ctx, st); err != nil {
		w.Close()
		var oe *OpenError
		if errors.As(err, &oe) {
			return nil, err
		}
		if errors.Is(err, ErrBusy) {
			return nil, fail(err.Error(), err)
		}
		return nil, fail(driverReason(err), err)
	}
	r, err := sql.Open("sqlite", dsn(abs, rw, opt.Wait))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	db.r = r
	if err := db.prepareWrites(ctx); err != nil {
		db.Close()
		return nil, fail(driverReason(err), err)
	}
	db.patient, _ = r.PrepareContext(ctx, sqlPatient) // nil on error: Patient prepares per call
	return db, nil
}

// dsn is the driver name of the file at the absolute path abs: a SQLite
// URI whose path is percent-escaped, so that nothing in the name is read
// as a query, a fragment or an escape, with the driver's parameters
// (_pragma …) and SQLite's (mode …) in the query.
func dsn(abs string, params url.Values, wait time.Duration) string {
	q := url.Values{}
	for k, v := range params {
		q[k] = slices.Clone(v)
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", max(wait.Milliseconds(), 1)))
	return "file://" + escapePath(filepath.ToSlash(abs)) + "?" + q.Encode()
}

// escapePath percent-escapes every byte of p but unreserved characters and
// "/" (RFC 3986), as SQLite's URI parser expects.
func escapePath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~/", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// preparePath checks that path can hold a store and returns it absolute.
// For a writer it creates a missing file empty with mode 0600 (created).
func preparePath(path string, readOnly bool) (abs string, created bool, err error) {
	fail := func(format string, args ...any) error {
		return &OpenError{Path: path, Reason: fmt.Sprintf(format, args...), Err: ErrPath}
	}
	if path == "" {
		return "", false, fail("empty path; give a file path such as renalwatch.db")
	}
	if abs, err = filepath.Abs(path); err != nil {
		return "", false, fail("%v", err)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(abs)
	switch {
	case err == nil && fi.IsDir():
		return "", false, fail("is a folder, not a database file")
	case err == nil && !fi.Mode().IsRegular():
		return "", false, fail("is not a regular file")
	case err == nil:
		if access(abs, readOnly) != nil {
			if readOnly {
				return "", false, fail("permission denied: the file cannot be read")
			}
			return "", false, fail("the file is read-only (permission denied)")
		}
		if err := checkHeader(abs, fi.Size()); err != nil {
			return "", false, &OpenError{Path: path, Reason: "not a SQLite database (so not a RenalWatch store); it was left unchanged", Err: ErrForeign}
		}
		if !readOnly && access(filepath.Dir(abs), false) != nil {
			return "", false, &OpenError{Path: path, Err: ErrFolderReadOnly,
				Reason: fmt.Sprintf("folder %s is not writable; a writer needs to create %s-wal and -shm beside the file", dir, filepath.Base(abs))}
		}
		return abs, false, nil
	case !errors.Is(err, fs.ErrNotExist):
		if errors.Is(err, fs.ErrPermission) {
			return "", false, fail("permission denied")
		}
		if errors.Is(err, syscall.ENOTDIR) {
			return "", false, fail("%s is not a folder", dir)
		}
		return "", false, fail("%v", err)
	}
	// The file does not exist.
	switch di, err := os.Stat(filepath.Dir(abs)); {
	case errors.Is(err, fs.ErrNotExist):
		return "", false, fail("folder %s does not exist", dir)
	case errors.Is(err, syscall.ENOTDIR) || (err == nil && !di.IsDir()):
		return "", false, fail("%s is not a folder", dir)
	case err != nil:
		return "", false, fail("folder %s: %v", dir, err)
	}
	if readOnly {
		return "", false, &OpenError{Path: path, Reason: "no database there", Err: ErrNotExist}
	}
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return "", false, fail("folder %s is not writable (permission denied)", dir)
		}
		return "", false, fail("%v", err)
	}
	if err := f.Close(); err != nil {
		return "", false, fail("%v", err)
	}
	return abs, true, nil
}

// sqliteHeader begins every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// checkHeader returns an error unless the file is empty or begins with the
// SQLite header. (SQLite itself takes a file shorter than its header for
// an empty database and would overwrite it.)
func checkHeader(abs string, size int64) error {
	if size == 0 {
		return nil
	}
	f, err := os.Open(abs)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, buf); err != nil || string(buf) != sqliteHeader {
		return errors.New("no SQLite header")
	}
	return nil
}

// access reports whether the process may read (readOnly) or read and
// write the file or folder p.
func access(p string, readOnly bool) error {
	mode := uint32(4 | 2) // R_OK | W_OK
	if readOnly {
		mode = 4
	}
	return syscall.Access(p, mode)
}

// driverReason turns a driver error into words for people.
func driverReason(err error) string {
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 26: // SQLITE_NOTADB
			return "not a SQLite database (so not a RenalWatch store); it was left unchanged"
		case 11: // SQLITE_CORRUPT
			return "the database file is damaged (SQLite reports it malformed)"
		case 8: // SQLITE_READONLY
			return "the file or its folder is read-only"
		case 14: // SQLITE_CANTOPEN
			return "cannot open the file (check that its folder exists and is readable)"
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return ErrBusy.Error()
		}
	}
	return err.Error()
}

// knownVersion is the newest schema version this build knows: the number
// of its newest embedded migration.
func knownVersion() int {
	ms, _ := migrationFiles()
	return store.NewestVersion(ms)
}

// fileState is what inspect found in a file, before anything is written.
type fileState struct {
	foreign  string // why the file is not a RenalWatch store; "" when it is one (or empty)
	marked   bool   // application_id is ApplicationID
	userVer  int    // PRAGMA user_version
	version  int    // schema version: newest applied migration, or user_version when marked
	roParams url.Values
}

// renalwatchTables are the tables every RenalWatch schema has had since
// version 1; a file without application_id is taken for a store of an
// older RenalWatch only when it has them all.
var renalwatchTables = []string{"schema_migrations", "patients", "observations", "items"}

// inspect reads the file's header and schema on a read-only connection
// that sets no pragma, so that nothing in the file changes (not even its
// journal mode). In a folder that cannot be written, a file in WAL mode
// without a -wal file is opened immutable: no other program can be
// writing it there.
func inspect(ctx context.Context, abs string, readOnly bool) (fileState, error) {
	st := fileState{roParams: url.Values{"mode": {"ro"}}}
	if readOnly && access(filepath.Dir(abs), false) != nil {
		if _, err := os.Stat(abs + "-wal"); errors.Is(err, fs.ErrNotExist) {
			st.roParams.Set("immutable", "1")
		}
	}
	ro, err := sql.Open("sqlite", dsn(abs, st.roParams, time.Second))
	if err != nil {
		return st, err
	}
	defer ro.Close()
	ro.SetMaxOpenConns(1)
	var appID int64
	if err := ro.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return st, err
	}
	if err := ro.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&st.userVer); err != nil {
		return st, err
	}
	var tables []string
	if err := eachRow(ctx, ro, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`, func(r *sql.Rows) error {
		var n string
		err := r.Scan(&n)
		tables = append(tables, n)
		return err
	}); err != nil {
		return st, err
	}
	st.marked = uint32(appID) == ApplicationID
	switch {
	case st.marked:
	case appID != 0:
		st.foreign = fmt.Sprintf("application_id 0x%08X", uint32(appID))
		return st, nil
	case len(tables) == 0 && st.userVer == 0:
		return st, nil // empty: a new store
	default:
		for _, t := range renalwatchTables {
			if !slices.Contains(tables, t) {
				st.foreign = "tables " + listTables(tables)
				return st, nil
			}
		}
	}
	if slices.Contains(tables, "schema_migrations") {
		var v sql.NullInt64
		if err := ro.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
			return st, err
		}
		st.version = int(v.Int64)
	}
	if st.marked {
		st.version = max(st.version, st.userVer)
	}
	return st, nil
}

func listTables(ts []string) string {
	if len(ts) > 5 {
		return strings.Join(ts[:5], ", ") + " and " + strconv.Itoa(len(ts)-5) + " more"
	}
	if len(ts) == 0 {
		return "none, but user_version is set"
	}
	return strings.Join(ts, ", ")
}
