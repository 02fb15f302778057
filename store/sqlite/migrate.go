package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migration is one embedded migrations/NNNN_name.sql file.
type migration struct {
	version int
	name    string // the file's base name
	file    string // its path in migrations
}

// migrationFiles lists the embedded migrations by version.
func migrationFiles() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		out = append(out, migration{version, base, name})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	return out, nil
}

// migrate brings the store up to date in one IMMEDIATE transaction: the
// embedded migrations not yet recorded in schema_migrations, in order,
// then the marks (PRAGMA application_id and user_version). st is what
// inspect found; the transaction checks the version again, since another
// program may have upgraded the file in between. A store that is up to
// date and marked is not written at all.
func (db *DB) migrate(ctx context.Context, st fileState) error {
	ms, err := migrationFiles()
	if err != nil {
		return err
	}
	known := knownVersion()
	if st.marked && st.version == known && st.userVer == known {
		return nil
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := db.begin(ctx, conn)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return err
	}
	if applied > known {
		return &OpenError{Path: db.o.path, Err: ErrNewerSchema,
			Reason: fmt.Sprintf("made by a newer RenalWatch (schema %d, this one knows up to %d); it was left unchanged", applied, known)}
	}
	for _, m := range ms {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(m.file)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
			return err
		}
	}
	// PRAGMA takes no parameters; both values are integers of this build.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d; PRAGMA user_version = %d`, int32(ApplicationID), known)); err != nil {
		return fmt.Errorf("mark the store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("upgrade to schema %d: %w", known, err)
	}
	return nil
}
