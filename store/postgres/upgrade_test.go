package postgres_test

import (
	"context"
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
	defer c.Close(ctx)
	index := func() (n int) {
		t.Helper()
		if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE indexname = 'items_corrections'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// What schema version 3 had: no migration 4, no index.
	if _, err := c.Exec(ctx, `DROP INDEX items_corrections; DELETE FROM schema_migrations WHERE version = 4`); err != nil {
		t.Fatal(err)
	}
	if index() != 0 {
		t.Fatal("the index is still there")
	}

	db, err = postgres.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if index() != 1 {
		t.Error("migration 0004 did not create items_corrections")
	}
	storetest.CorrectAfterUpgrade(t, db)
}
