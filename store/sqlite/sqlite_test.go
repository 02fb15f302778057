package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"renalwatch/store"
	"renalwatch/store/sqlite"
	"renalwatch/store/storetest"
)

func openTemp(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "re.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(ctx, path) // migrations already applied: no error
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
}

func TestAudit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.RunAudit(t, db, func(q string) error { _, err := raw.Exec(q); return err })
}
