package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"renalwatch/store/sqlite"
	"renalwatch/store/storetest"
)

// A store of schema version 6 (before corrections) holding an observation:
// opening it applies migration 0007 (the index of corrections), the stored
// row reads back as it was, and a correction of it is then stored beside it
// and used.
func TestUpgradeFromSchemaVersion6(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v6.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.BeforeUpgrade(t, db)
	db.Close()
	// What schema version 6 had: no migration 7 (no index) nor 8, version 6.
	rawExec(t, path, `DROP INDEX items_corrections; DROP TABLE patient_history; ALTER TABLE patients DROP COLUMN updated; DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6`)
	if n := rawInt(t, path, `SELECT count(*) FROM sqlite_master WHERE name = 'items_corrections'`); n != 0 {
		t.Fatal("the index is still there")
	}

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := rawInt(t, path, `SELECT count(*) FROM sqlite_master WHERE name = 'items_corrections'`); n != 1 {
		t.Error("migration 0007 did not create items_corrections")
	}
	if v := rawInt(t, path, `PRAGMA user_version`); v != 8 {
		t.Errorf("user_version %d after the upgrade; want 8", v)
	}
	storetest.CorrectAfterUpgrade(t, db)
}

// A store of schema version 7 (before patient updates) holding a patient:
// opening it applies migration 0008 (patient_history), and the patient
// sent again with a date of death is then updated, its old details kept.
func TestUpgradeFromSchemaVersion7(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v7.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.BeforeUpgrade(t, db)
	db.Close()
	rawExec(t, path, `DROP TABLE patient_history; ALTER TABLE patients DROP COLUMN updated; DELETE FROM schema_migrations WHERE version = 8; PRAGMA user_version = 7`)
	if n := rawInt(t, path, `SELECT count(*) FROM sqlite_master WHERE name = 'patient_history'`); n != 0 {
		t.Fatal("the table is still there")
	}

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := rawInt(t, path, `SELECT count(*) FROM sqlite_master WHERE name = 'patient_history'`); n != 1 {
		t.Error("migration 0008 did not create patient_history")
	}
	if v := rawInt(t, path, `PRAGMA user_version`); v != 8 {
		t.Errorf("user_version %d after the upgrade; want 8", v)
	}
	storetest.UpdateAfterUpgrade(t, db)
	if n := rawInt(t, path, `SELECT count(*) FROM patient_history`); n != 1 {
		t.Errorf("%d rows in patient_history, want 1", n)
	}
}
