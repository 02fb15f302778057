package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

// A database written by schema version 1 holds patients and conditions
// without birth precision, death or verification status. Opening it
// applies migration 0002; importing the same source again fills the new
// fields in (it is not a conflict), and the stored item then reads back
// with them.
func TestUpgradeFromSchemaVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	v1sql, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL);
		INSERT INTO schema_migrations VALUES (1, '0001_init.sql');` + string(v1sql)); err != nil {
		t.Fatal(err)
	}
	born := time.Date(1881, 1, 1, 0, 0, 0, 0, time.UTC)
	died := time.Date(1985, 1, 28, 0, 0, 0, 0, time.UTC)
	// What version 1 stored for them: no precision, no death, no verification.
	oldP := record.Patient{ID: "p", BirthDate: born, Sex: record.Female, Provenance: record.Provenance{ResourceType: "Patient", ResourceID: "p"}}
	oldC := record.Condition{ID: "Condition/sle", PatientID: "p", Kind: record.SLE, Status: "active"}
	ph, ch := oldP.ContentHash(), oldC.ContentHash()
	prov, _ := json.Marshal(oldP.Provenance)
	doc := `{"ID":"Condition/sle","PatientID":"p","Kind":"sle","Stage":"","LNClass":"","Status":"active","Onset":"0001-01-01T00:00:00Z","Abatement":"0001-01-01T00:00:00Z","Provenance":{}}`
	if _, err := raw.Exec(`INSERT INTO patients VALUES ('p', ?, 'female', ?, ?)`, born.UnixNano(), string(prov), ph[:]); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO items VALUES ('p', 'Condition/sle', 'condition', NULL, ?, ?)`, doc, ch[:]); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("open a version 1 database: %v", err)
	}
	defer db.Close()
	if got, err := db.Patient(ctx, "p"); err != nil || got.Deceased || got.BirthPrecision != record.PrecisionDay {
		t.Fatalf("after migration: %+v, %v; want the version 1 patient unchanged", got, err)
	}
	newP := oldP
	newP.BirthPrecision, newP.Deceased, newP.DeceasedDate = record.PrecisionYear, true, died
	newC := oldC
	newC.Verification = "provisional"
	res, err := db.Import(ctx, &record.Batch{Patients: []record.Patient{newP}, Conditions: []record.Condition{newC}}, store.ImportOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || len(res.Rejected) != 0 || res.RolledBack {
		t.Fatalf("re-import after upgrade: %+v; want 2 imported (filled in), none rejected", res)
	}
	tl, err := db.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(newP, tl.Patient); diff != "" {
		t.Errorf("patient after upgrade (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]record.Condition{newC}, tl.Conditions, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("conditions after upgrade (-want +got):\n%s", diff)
	}
	// Now stored by version 2: the same import is unchanged, and a change of
	// the old fields is still a conflict.
	if res, _ := db.Import(ctx, &record.Batch{Patients: []record.Patient{newP}, Conditions: []record.Condition{newC}}, store.ImportOptions{}); res.Unchanged != 2 {
		t.Errorf("third import: %+v, want 2 unchanged", res)
	}
	other := newP
	other.Sex = record.Male
	if res, _ := db.Import(ctx, &record.Batch{Patients: []record.Patient{other}}, store.ImportOptions{}); len(res.Rejected) != 1 {
		t.Errorf("changed sex after upgrade: %+v, want a conflict", res)
	}
}
