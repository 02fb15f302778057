package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/sqlite"
	"renalwatch/units"
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
	o := record.Observation{ID: "Observation/cr", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(2.1, units.MgPerDL),
		Time: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
	res, err := db.Import(ctx, &record.Batch{Patients: []record.Patient{{ID: "p", BirthDate: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}},
		Observations: []record.Observation{o}}, store.ImportOptions{})
	if err != nil || res.Imported != 2 {
		t.Fatalf("import: %v, %+v", err, res)
	}
	db.Close()
	// What schema version 6 had: no migration 7, no index, version 6.
	rawExec(t, path, `DROP INDEX items_corrections; DELETE FROM schema_migrations WHERE version = 7; PRAGMA user_version = 6`)
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
	if v := rawInt(t, path, `PRAGMA user_version`); v != 7 {
		t.Errorf("user_version %d after the upgrade; want 7", v)
	}
	fixed := o
	fixed.Value = units.Q(1.2, units.MgPerDL)
	res, err = db.Import(ctx, &record.Batch{Retractions: []record.Retraction{record.NewCorrection(fixed, "corrected", time.Time{})}}, store.ImportOptions{})
	if err != nil || res.Corrected != 1 || res.RejectedCount != 0 {
		t.Fatalf("correction after the upgrade: %v, %+v", err, res)
	}
	tl, err := db.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if vs := tl.Values(units.Creatinine); len(vs) != 1 || vs[0].Value.Value != 1.2 ||
		len(tl.Retracted) != 1 || tl.Retracted[0].Observation.Value.Value != 2.1 {
		t.Errorf("values %+v, retracted %+v; want 1.2 in use and the stored 2.1 kept", vs, tl.Retracted)
	}
}
