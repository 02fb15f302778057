package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"renalwatch/store/postgres"
	"renalwatch/store/postgres/pgtest"
	"renalwatch/store/storetest"
)

// A store of schema version 3 (before corrections) holding an observation:
// opening it applies migration 0004 (the index of corrections), and a
// correction of the stored row is then stored beside it and used.
func TestUpgradeFromSchemaVersion3(t *testing.T) {
	ctx := context.Background()
	conn, c := beforeUpgrade(t)
	index := func() (n int) {
		t.Helper()
		if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE indexname = 'items_corrections'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// What schema version 3 had: no migration 4 (no index) nor 5.
	if _, err := c.Exec(ctx, `DROP INDEX items_corrections; DROP TABLE patient_history; DROP FUNCTION patient_history_append_only; ALTER TABLE patients DROP COLUMN updated;
		DELETE FROM schema_migrations WHERE version >= 4`); err != nil {
		t.Fatal(err)
	}
	if index() != 0 {
		t.Fatal("the index is still there")
	}

	db, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if index() != 1 {
		t.Error("migration 0004 did not create items_corrections")
	}
	storetest.CorrectAfterUpgrade(t, db)
}

// A store of schema version 4 (before patient updates) holding a patient:
// opening it applies migration 0005 (patient_history), and the patient
// sent again with a date of death is then updated, its old details kept.
func TestUpgradeFromSchemaVersion4(t *testing.T) {
	ctx := context.Background()
	conn, c := beforeUpgrade(t)
	if _, err := c.Exec(ctx, `DROP TABLE patient_history; DROP FUNCTION patient_history_append_only; ALTER TABLE patients DROP COLUMN updated;
		DELETE FROM schema_migrations WHERE version = 5`); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.UpdateAfterUpgrade(t, db)
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM patient_history`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d rows in patient_history (%v), want 1", n, err)
	}
	if _, err := c.Exec(ctx, `DELETE FROM patient_history`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("DELETE FROM patient_history: %v, want refused", err)
	}
}

// beforeUpgrade makes a store holding storetest.BeforeUpgrade's items and
// returns its connection string and a connection to it (closed at the
// end of the test), to take the schema back to an older version.
func beforeUpgrade(t *testing.T) (string, *pgx.Conn) {
	ctx := context.Background()
	conn := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	storetest.BeforeUpgrade(t, db)
	db.Close()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(ctx) })
	return conn, c
}
