package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/sqlite"
	"renalwatch/units"
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
	born := time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC)
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
	// the old fields replaces them (schema version 8), the old ones kept.
	if res, _ := db.Import(ctx, &record.Batch{Patients: []record.Patient{newP}, Conditions: []record.Condition{newC}}, store.ImportOptions{}); res.Unchanged != 2 {
		t.Errorf("third import: %+v, want 2 unchanged", res)
	}
	other := newP
	other.Sex = record.Male
	if res, _ := db.Import(ctx, &record.Batch{Patients: []record.Patient{other}}, store.ImportOptions{}); res.Updated != 1 || len(res.Rejected) != 0 {
		t.Errorf("changed sex after upgrade: %+v, want updated 1", res)
	}
}

// A database written by schema version 2 stores observations with the
// analyte, unit and comparator as text and a content hash. Opening it
// applies migration 0003 (analyte codes, comparator codes, no hash); the
// observations read back unchanged, importing them again changes nothing
// (even under another source system name), and duplicates, conflicts and
// new rows are told apart as before.
func TestUpgradeFromSchemaVersion2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	schema := `CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL);
		INSERT INTO schema_migrations VALUES (1, '0001_init.sql'), (2, '0002_patient_status.sql');`
	for _, f := range []string{"0001_init.sql", "0002_patient_status.sql"} {
		body, err := os.ReadFile(filepath.Join("migrations", f))
		if err != nil {
			t.Fatal(err)
		}
		schema += string(body)
	}
	if _, err := raw.Exec(schema); err != nil {
		t.Fatal(err)
	}
	at := func(day int) time.Time { return time.Date(2024, 3, day, 8, 30, 0, 0, time.UTC) }
	prov := func(id, value string) record.Provenance {
		return record.Provenance{System: "lab", ResourceType: "Observation", ResourceID: id,
			Code: record.Coding{System: "http://loinc.org", Code: "2160-0", Display: "Creatinine"}, Unit: "mg/dL", Value: value}
	}
	withProv := func(o record.Observation, p record.Provenance) record.Observation {
		o.SetProvenance(p)
		return o
	}
	p := record.Patient{ID: "p", Sex: record.Female, Provenance: record.Provenance{ResourceType: "Patient", ResourceID: "p"}}
	old := []record.Observation{
		withProv(record.Observation{ID: "o1", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(1.2, units.MgPerDL), Time: at(1)}, prov("o1", "1.2")),
		withProv(record.Observation{ID: "o2", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(1.9, units.MgPerDL), Time: at(9),
			Notes: []string{"haemolysed sample"}}, prov("o2", "1.9")),
		withProv(record.Observation{ID: "o3", PatientID: "p", Analyte: units.Potassium, Value: units.Q(0.5, units.MmolPerL), Comparator: record.Less, Time: at(9)},
			prov("o3", "<0.5")),
	}
	ph := p.ContentHash()
	pprov, _ := json.Marshal(p.Provenance)
	if _, err := raw.Exec(`INSERT INTO patients (patient_id, birth_date, sex, prov, hash, version) VALUES ('p', NULL, 'female', ?, ?, 2)`,
		string(pprov), ph[:]); err != nil {
		t.Fatal(err)
	}
	for _, o := range old {
		h := o.ContentHash()
		var notes any
		if len(o.Notes) > 0 {
			js, _ := json.Marshal(o.Notes)
			notes = string(js)
		}
		pv := o.Provenance()
		packed := strings.Join([]string{pv.System, pv.ResourceType, pv.ResourceID, pv.Code.System, pv.Code.Code, pv.Code.Display, pv.Unit, pv.Value}, "\x1f")
		if _, err := raw.Exec(`INSERT INTO observations (patient_id, id, analyte, time, value, value_key, unit, comparator, notes, prov, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.PatientID, o.ID, o.Analyte.String(), o.Time.UnixNano(), o.Value.Value, o.Value.Value,
			string(o.Value.Unit), string(o.Comparator), notes, packed, h[:]); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("open a version 2 database: %v", err)
	}
	defer db.Close()
	if err := db.Check(ctx); err != nil {
		t.Fatal(err)
	}
	byID := cmpopts.SortSlices(func(a, b record.Observation) bool { return a.ID < b.ID })
	tl, err := db.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(old, tl.Observations(), byID, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("observations after upgrade (-want +got):\n%s", diff)
	}
	ps, err := db.Patients(ctx)
	if err != nil || len(ps) != 1 {
		t.Fatalf("patients: %v, %+v", err, ps)
	}
	if got := ps[0]; got.Observations != 3 || got.LatestCreatinine != old[1].Value || !got.LatestCreatinineTime.Equal(at(9)) {
		t.Errorf("patients after upgrade: %d observations, latest creatinine %v at %v; want 3, %v at %v",
			got.Observations, got.LatestCreatinine, got.LatestCreatinineTime, old[1].Value, at(9))
	}

	// The same observations, read under another source system name: unchanged.
	again := append([]record.Observation(nil), old...)
	for i := range again {
		pv := again[i].Provenance()
		pv.System = "lab-2"
		again[i].SetProvenance(pv)
	}
	res, err := db.Import(ctx, &record.Batch{Patients: []record.Patient{p}, Observations: again}, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 0 || res.Unchanged != 4 || res.Duplicates != 0 || len(res.Rejected) != 0 {
		t.Fatalf("re-import after upgrade: %+v; want 4 unchanged", res)
	}
	dup := old[2]
	dup.ID = "o3-copy" // the same measurement under another id
	changed := old[1]
	changed.Value = units.Q(2.9, units.MgPerDL) // the same id with another value
	changedCmp := old[0]
	changedCmp.Comparator = record.LessOrEqual // likewise
	fresh := withProv(record.Observation{ID: "o4", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(1.4, units.MgPerDL), Time: at(20)}, prov("o4", "1.4"))
	res, err = db.Import(ctx, &record.Batch{Observations: []record.Observation{dup, changed, changedCmp, fresh}}, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 1 || res.Duplicates != 1 || len(res.Rejected) != 2 {
		t.Fatalf("mixed import after upgrade: %+v; want 1 imported, 1 duplicate, 2 conflicts", res)
	}
	for _, r := range res.Rejected {
		if !errors.Is(r.Err, store.ErrConflict) {
			t.Errorf("rejection %s: %v, want ErrConflict", r.ID, r.Err)
		}
	}
	tl, err = db.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(old, fresh), tl.Observations(), byID, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("observations after the mixed import (-want +got):\n%s", diff)
	}
}
