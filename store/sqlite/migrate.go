package sqlite

import (
	"context"
	"embed"
	"fmt"

	"renalwatch/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationFiles lists the embedded migrations by version.
func migrationFiles() ([]store.Migration, error) { return store.Migrations(migrations) }

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
			Reason: store.NewerSchema(applied, known)}
	}
	for _, m := range ms {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(m.File)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
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
