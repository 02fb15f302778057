package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"renalwatch/store"
)

// Errors Open returns; an *OpenError wraps one of them or the driver's
// error (with the password taken out).
var (
	// ErrForeign: the database holds tables but no RenalWatch store; it
	// was not changed.
	ErrForeign = errors.New("not a RenalWatch store")
	// ErrNewerSchema: the store was written by a newer RenalWatch; it was
	// not changed.
	ErrNewerSchema = errors.New("made by a newer RenalWatch")
	// ErrNotExist: a read-only open found no RenalWatch store in the
	// database.
	ErrNotExist = errors.New("no RenalWatch store there")
)

// Options tune OpenWith.
type Options struct {
	// ReadOnly refuses a database that holds no RenalWatch store yet
	// instead of creating one (a store of an older schema is still
	// migrated, as store/sqlite does).
	ReadOnly bool
}

// OpenError says why Open refused a database, in words for people. Its
// text names the database by its URL with the password replaced by "xxxxx".
type OpenError struct {
	URL    string // redacted
	Reason string
	Err    error
}

func (e *OpenError) Error() string { return e.URL + ": " + e.Reason }

// oneLine joins the lines of a driver's message (pgconn lists each
// address it tried on a line of its own).
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// Unwrap returns the sentinel or the driver's error.
func (e *OpenError) Unwrap() error { return e.Err }

// IsURL reports whether s names a PostgreSQL store (postgres:// or
// postgresql://).
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Redact returns the connection string with its password replaced by
// "xxxxx", for messages and logs; a string that is not a URL is replaced
// whole, since it cannot be told what part of it is secret.
func Redact(conn string) string {
	u, err := url.Parse(conn)
	if err != nil || u.Scheme == "" {
		return "postgres://(connection string not shown)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// secrets returns the passwords in conn (user info and query), for
// scrubbing from the driver's errors.
func secrets(conn string) []string {
	var out []string
	if u, err := url.Parse(conn); err == nil {
		if p, ok := u.User.Password(); ok && p != "" {
			out = append(out, p, url.QueryEscape(p), url.PathEscape(p))
		}
		if p := u.Query().Get("password"); p != "" {
			out = append(out, p, url.QueryEscape(p))
		}
	}
	return out
}

// scrubbed is an error whose text has the connection's password taken out.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

// scrub removes every password of conn from err's text; errors.Is and As
// still reach the driver's error.
func scrub(conn string, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, s := range secrets(conn) {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return &scrubbed{msg, err}
}

//go:embed migrations/*.sql
var migrations embed.FS

// migrationFiles lists the embedded migrations by version.
func migrationFiles() ([]store.Migration, error) { return store.Migrations(migrations) }

// KnownVersion is the schema version of the newest embedded migration.
func KnownVersion() int {
	ms, _ := migrationFiles()
	return store.NewestVersion(ms)
}

// migrateLock is the advisory lock key that serialises migrations (and
// imports, importLock) across processes: "RnWt" as in store/sqlite.
const (
	migrateLock = 0x526E5774_00000001
	importLock  = 0x526E5774_00000002
)

// Open connects to the PostgreSQL database named by conn (a postgres://
// URL) and brings its RenalWatch schema up to date. A database that holds
// tables but not RenalWatch's (no renalwatch_meta table) is refused
// untouched, and so is one whose schema is newer than this build knows;
// an older one is migrated in one transaction, under an advisory lock so
// that two programs opening it at once do not both migrate.
func Open(ctx context.Context, conn string) (*DB, error) {
	return OpenWith(ctx, conn, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, conn string, opt Options) (*DB, error) {
	red := Redact(conn)
	fail := func(reason string, err error) error { return &OpenError{URL: red, Reason: reason, Err: err} }
	cfg, err := pgxpool.ParseConfig(conn)
	if err != nil {
		err = scrub(conn, err)
		return nil, fail("not a PostgreSQL connection string: "+err.Error(), err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		err = scrub(conn, err)
		return nil, fail(err.Error(), err)
	}
	db := &DB{pool: pool, url: red, conn: conn}
	if err := db.migrate(ctx, opt.ReadOnly); err != nil {
		pool.Close()
		var oe *OpenError
		if errors.As(err, &oe) {
			oe.URL = red
			return nil, oe
		}
		err = scrub(conn, err)
		return nil, fail(oneLine(err.Error()), err)
	}
	return db, nil
}

func (db *DB) migrate(ctx context.Context, readOnly bool) error {
	ms, err := migrationFiles()
	if err != nil {
		return err
	}
	known := KnownVersion()
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return err
	}
	var ours, others bool
	if err := tx.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'renalwatch_meta'),
		EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'renalwatch_meta')`).Scan(&ours, &others); err != nil {
		return err
	}
	if !ours && others {
		return &OpenError{Reason: "the database holds other tables but no RenalWatch store; it was left unchanged", Err: ErrForeign}
	}
	if !ours && readOnly {
		return &OpenError{Reason: "no RenalWatch store in this database yet", Err: ErrNotExist}
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer NOT NULL PRIMARY KEY, name text NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return err
	}
	if applied > known {
		return &OpenError{Err: ErrNewerSchema,
			Reason: store.NewerSchema(applied, known)}
	}
	if applied == known {
		return tx.Commit(ctx)
	}
	for _, m := range ms {
		if m.Version <= applied {
			continue
		}
		body, err := migrations.ReadFile(m.File)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("upgrade to schema %d: %w", known, err)
	}
	return nil
}
