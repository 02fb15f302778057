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
	"renalwatch/units"
)

// A database written by schema version 3 keeps times as Unix nanoseconds.
// Opening it applies migration 0004 in one transaction (times as seconds
// and nanoseconds, or fixed-width text): every time in the old range reads
// back exactly, before 1970 and to the nanosecond too; importing the same
// items again changes nothing, and an observation imported again with its
// precision has the precision filled in.
func TestUpgradeFromSchemaVersion3(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v3.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	schema := `CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL);
		INSERT INTO schema_migrations VALUES (1, '0001_init.sql'), (2, '0002_patient_status.sql'), (3, '0003_compact_observations.sql');`
	for _, f := range []string{"0001_init.sql", "0002_patient_status.sql", "0003_compact_observations.sql"} {
		body, err := os.ReadFile(filepath.Join("migrations", f))
		if err != nil {
			t.Fatal(err)
		}
		schema += string(body)
	}
	if _, err := raw.Exec(schema); err != nil {
		t.Fatal(err)
	}
	born := time.Date(1931, 7, 2, 0, 0, 0, 0, time.UTC) // before 1970: negative nanoseconds
	died := time.Date(2019, 3, 4, 10, 20, 30, 400_000_001, time.UTC)
	p := record.Patient{ID: "p", BirthDate: born, BirthPrecision: record.PrecisionMonth, Sex: record.Female, Deceased: true, DeceasedDate: died,
		Provenance: record.Provenance{ResourceType: "Patient", ResourceID: "p"}}
	th := record.Therapy{ID: "t", PatientID: "p", Class: record.Glucocorticoid, Name: "prednisone", Start: time.Date(1960, 1, 1, 0, 0, 0, 1, time.UTC)}
	src := &record.Source{System: "lab", ResourceType: "Observation", Code: record.Coding{System: "http://loinc.org", Code: "2160-0"}, Unit: "mg/dL"}
	old := []record.Observation{
		{ID: "o1", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(1, units.MgPerDL), Time: time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC), Source: src, ResourceID: "o1", SourceValue: "1"},
		{ID: "o2", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(1.5, units.MgPerDL), Time: time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC), Source: src, ResourceID: "o2", SourceValue: "1"},
	}
	ph, thh := p.ContentHash(), th.ContentHash()
	pprov, _ := json.Marshal(p.Provenance)
	if _, err := raw.Exec(`INSERT INTO patients (patient_id, birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, version)
		VALUES ('p', ?, 'month', 'female', 1, ?, ?, ?, 3)`, born.UnixNano(), died.UnixNano(), string(pprov), ph[:]); err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(map[string]any{"ID": th.ID, "PatientID": "p", "Class": "glucocorticoid", "Name": "prednisone", "Dose": "", "Status": "",
		"Start": th.Start, "End": time.Time{}, "Provenance": record.Provenance{}})
	if _, err := raw.Exec(`INSERT INTO items (patient_id, id, kind, time, doc, hash, version) VALUES ('p', 't', 'therapy', ?, ?, ?, 3)`,
		th.Start.UnixNano(), string(doc), thh[:]); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO analytes (name, unit) VALUES ('creatinine', 'mg/dL')`); err != nil {
		t.Fatal(err)
	}
	for _, o := range old {
		packed := "lab\x1fObservation\x1f" + o.ID + "\x1fhttp://loinc.org\x1f2160-0\x1f\x1fmg/dL\x1f1"
		if _, err := raw.Exec(`INSERT INTO observations (patient_id, id, analyte, time, value, value_key, comparator, notes, prov)
			VALUES ('p', ?, 1, ?, ?, ?, 0, NULL, ?)`, o.ID, o.Time.UnixNano(), o.Value.Value, o.Value.Value, packed); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("open a version 3 database: %v", err)
	}
	defer db.Close()
	if err := db.Check(ctx); err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	opts := cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(record.Timeline{})}
	if diff := cmp.Diff(p, tl.Patient, opts); diff != "" {
		t.Errorf("patient after upgrade (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(old, tl.Observations(), opts); diff != "" {
		t.Errorf("observations after upgrade (-want +got):\n%s", diff)
	}
	if len(tl.Therapies) != 1 || !tl.Therapies[0].Start.Equal(th.Start) {
		t.Errorf("therapies after upgrade: %+v, want one starting %v", tl.Therapies, th.Start)
	}
	// The same items again: unchanged; o2 with its precision: filled in.
	again := append([]record.Observation(nil), old...)
	again[1].TimePrecision = record.PrecisionInstant
	res, err := db.Import(ctx, &record.Batch{Patients: []record.Patient{p}, Observations: again, Therapies: []record.Therapy{th}}, store.ImportOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 1 || res.Unchanged != 3 || res.RejectedCount != 0 {
		t.Fatalf("re-import after upgrade: %+v; want 1 imported (precision filled in), 3 unchanged", res)
	}
	tl, err = db.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(again, tl.Observations(), opts); diff != "" {
		t.Errorf("observations after the re-import (-want +got):\n%s", diff)
	}
}
