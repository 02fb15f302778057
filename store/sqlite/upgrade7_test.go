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
	// What schema version 6 had: no migration 7 (no index) nor 8, version 6.
	db, _ := upgradeFrom(t, `DROP INDEX items_corrections; DROP TABLE patient_history; ALTER TABLE patients DROP COLUMN updated;
		DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6`, "items_corrections")
	storetest.CorrectAfterUpgrade(t, db)
}

// A store of schema version 7 (before patient updates) holding a patient:
// opening it applies migration 0008 (patient_history), and the patient
// sent again with a date of death is then updated, its old details kept.
func TestUpgradeFromSchemaVersion7(t *testing.T) {
	db, path := upgradeFrom(t, `DROP TABLE patient_history; ALTER TABLE patients DROP COLUMN updated;
		DELETE FROM schema_migrations WHERE version = 8; PRAGMA user_version = 7`, "patient_history")
	storetest.UpdateAfterUpgrade(t, db)
	if n := rawInt(t, path, `SELECT count(*) FROM patient_history`); n != 1 {
		t.Errorf("%d rows in patient_history, want 1", n)
	}
}

// upgradeFrom makes a store holding storetest.BeforeUpgrade's items, takes
// it back to an older schema with the SQL downgrade (which removes the
// table or index named made), and opens it again: the upgrade must make
// made again and mark the store with the newest version. It returns the
// store and its path.
func upgradeFrom(t *testing.T, downgrade, made string) (*sqlite.DB, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.BeforeUpgrade(t, db)
	db.Close()
	rawExec(t, path, downgrade)
	count := `SELECT count(*) FROM sqlite_master WHERE name = '` + made + `'`
	if n := rawInt(t, path, count); n != 0 {
		t.Fatalf("%s is still there", made)
	}
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if n := rawInt(t, path, count); n != 1 {
		t.Errorf("the upgrade did not make %s", made)
	}
	if v := rawInt(t, path, `PRAGMA user_version`); v != 8 {
		t.Errorf("user_version %d after the upgrade; want 8", v)
	}
	return db, path
}
