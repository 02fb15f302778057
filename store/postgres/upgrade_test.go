package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/postgres"
	"renalwatch/store/postgres/pgtest"
	"renalwatch/units"
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
	o := record.Observation{ID: "Observation/cr", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(2.1, units.MgPerDL),
		Time: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}
	res, err := db.Import(ctx, &record.Batch{Patients: []record.Patient{{ID: "p", BirthDate: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}},
		Observations: []record.Observation{o}}, store.ImportOptions{})
	if err != nil || res.Imported != 2 {
		t.Fatalf("import: %v, %+v", err, res)
	}
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
