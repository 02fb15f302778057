package importcore

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// memory is a Backend that keeps rows in maps, counting its look-ups.
type memory struct {
	patients map[string]record.Patient
	items    map[string][32]byte
	obs      []string
	lookups  map[string]int
	dates    map[string]time.Time // the findings' times, by id
	replaced []record.Patient     // the details Replace replaced
}

func newMemory() *memory {
	return &memory{patients: map[string]record.Patient{}, items: map[string][32]byte{}, lookups: map[string]int{}}
}

func (m *memory) Birth(id string) (record.Patient, bool, error) {
	m.lookups[id]++
	p, ok := m.patients[id]
	return p, ok, nil
}

func (m *memory) Patient(p record.Patient) (Outcome, error) {
	old, ok := m.patients[p.ID]
	switch {
	case !ok:
		m.patients[p.ID] = p
		return Inserted, nil
	case old.ContentHash() == p.ContentHash():
		return Unchanged, nil
	}
	return Conflict, nil
}

func (m *memory) Stored(id string) (record.Patient, error) { return m.patients[id], nil }

func (m *memory) Dated(pid string, before time.Time, each func(kind, id string, t time.Time, prec record.DatePrecision) error) error {
	for id, t := range m.dates {
		if t.Before(before) {
			if err := each("finding", id, t, record.PrecisionDay); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *memory) Replace(p record.Patient, _ time.Time) error {
	m.replaced = append(m.replaced, m.patients[p.ID])
	m.patients[p.ID] = p
	return nil
}

func (m *memory) Analyte(units.Analyte) error { return nil }

func (m *memory) Observations(obs []record.Observation, good []int) error {
	for _, i := range good {
		m.obs = append(m.obs, obs[i].ID)
	}
	return nil
}

func (m *memory) Corrected(string, string) (bool, error) { return false, nil }

func (m *memory) Observation(string) (record.Observation, bool, error) {
	return record.Observation{}, false, nil
}

func (m *memory) Holder(string, string) (string, bool, error) { return "", false, nil }

func (m *memory) Item(it Item) (Outcome, error) {
	old, ok := m.items[it.ID]
	switch {
	case !ok:
		m.items[it.ID] = it.Hash
		if m.dates == nil {
			m.dates = map[string]time.Time{}
		}
		m.dates[it.ID] = it.Time
		return Inserted, nil
	case old == it.Hash:
		return Unchanged, nil
	}
	return Conflict, nil
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func finding(id, pid, date string) record.Finding {
	return record.Finding{ID: id, PatientID: pid, Code: "x", Time: day(date)}
}

// An item whose patient comes in a later chunk is held and stored then;
// one whose patient never comes is rejected at Flush.
func TestHeldUntilPatientComes(t *testing.T) {
	m := newMemory()
	im := New(m, store.ImportOptions{})
	if err := im.Run(&record.Batch{Findings: []record.Finding{finding("f1", "p1", "2020-01-01"), finding("f2", "p2", "2020-01-01")}}); err != nil {
		t.Fatal(err)
	}
	if len(m.items) != 0 || im.Result().RejectedCount != 0 {
		t.Fatalf("before the patient: stored %v, rejected %d; want nothing", m.items, im.Result().RejectedCount)
	}
	if err := im.Run(&record.Batch{Patients: []record.Patient{{ID: "p1", BirthDate: day("1980-01-01")}}}); err != nil {
		t.Fatal(err)
	}
	if err := im.Flush(); err != nil {
		t.Fatal(err)
	}
	res := im.Result()
	if _, ok := m.items["f1"]; !ok || res.Imported != 2 {
		t.Errorf("f1 stored %v, imported %d; want stored, 2 (p1 and f1)", ok, res.Imported)
	}
	if res.RejectedCount != 1 || !errors.Is(res.Rejected[0].Err, store.ErrUnknownPatient) || res.Rejected[0].ID != "f2" {
		t.Errorf("rejected %+v; want f2 with ErrUnknownPatient", res.Rejected)
	}
	if m.lookups["p1"] != 1 {
		t.Errorf("p1 looked up %d times; want once (then cached as stored)", m.lookups["p1"])
	}
}

// Beyond store.MaxPending held items, an item for an unknown patient is
// rejected at once.
func TestMaxPending(t *testing.T) {
	im := New(newMemory(), store.ImportOptions{})
	fs := make([]record.Finding, store.MaxPending+1)
	for i := range fs {
		fs[i] = finding(fmt.Sprint("f", i), "later", "2020-01-01")
	}
	if err := im.Run(&record.Batch{Findings: fs}); err != nil {
		t.Fatal(err)
	}
	if got := im.Result().RejectedCount; got != 1 {
		t.Errorf("rejected %d of %d; want 1 (MaxPending %d held)", got, len(fs), store.MaxPending)
	}
}

// Dates before birth, a birth before 1890 (record.EarliestBirth), a value
// not in the canonical unit and a comparator the stores cannot hold are
// rejected; an item of unknown (zero) date is kept.
func TestChecks(t *testing.T) {
	m := newMemory()
	var seen []string
	im := New(m, store.ImportOptions{MaxRejections: 1})
	b := &record.Batch{
		Patients: []record.Patient{{ID: "p1", BirthDate: day("1980-06-01")}, {ID: "old", BirthDate: day("1850-01-01")}},
		Observations: []record.Observation{
			{ID: "o1", PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(1, units.MgPerDL), Time: day("2020-01-01")},
			{ID: "o2", PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(1, units.MgPerDL), Time: day("1980-05-31")},
			{ID: "o3", PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(88.4, units.UmolPerL), Time: day("2020-01-01")},
			{ID: "o4", PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(1, units.MgPerDL), Comparator: "ad", Time: day("2020-01-01")},
		},
		Findings: []record.Finding{{ID: "f0", PatientID: "p1", Code: "x"}, finding("f1", "p1", "1979-12-31")},
	}
	if err := im.Run(b); err != nil {
		t.Fatal(err)
	}
	res := im.Result()
	for _, r := range res.Rejected {
		seen = append(seen, r.ID)
	}
	if fmt.Sprint(m.obs) != "[o1]" || res.RejectedCount != 5 || fmt.Sprint(seen) != "[old]" {
		t.Errorf("stored observations %v, rejected %d (kept %v); want [o1], 5 (old, o2, o3, o4, f1), kept [old] (MaxRejections 1)", m.obs, res.RejectedCount, seen)
	}
	if _, ok := m.items["f0"]; !ok {
		t.Error("f0 (no date) was not stored")
	}
	if im.Finish() || res.RolledBack {
		t.Error("rejections rolled back an import that is not strict")
	}
}

// In strict mode one rejection rolls the import back.
func TestStrict(t *testing.T) {
	im := New(newMemory(), store.ImportOptions{Strict: true})
	if err := im.Run(&record.Batch{Patients: []record.Patient{{}}}); err != nil {
		t.Fatal(err)
	}
	if !im.Finish() || !im.Result().RolledBack {
		t.Error("a patient without id did not roll the strict import back")
	}
}

// A patient sent again with other details replaces the stored ones
// (counted as updated, each change listed), unless a stored item would
// then be dated before the new birth date: the patient is then rejected,
// naming that item, and the stored details are kept.
func TestPatientUpdated(t *testing.T) {
	m := newMemory()
	im := New(m, store.ImportOptions{})
	p := record.Patient{ID: "p1", BirthDate: day("1980-01-01"), Sex: record.Female}
	if err := im.Run(&record.Batch{Patients: []record.Patient{p}, Findings: []record.Finding{finding("f1", "p1", "2020-01-01")}}); err != nil {
		t.Fatal(err)
	}
	dead := p
	dead.Deceased, dead.DeceasedDate = true, day("2024-03-01")
	if err := im.Run(&record.Batch{Patients: []record.Patient{dead}}); err != nil {
		t.Fatal(err)
	}
	res := im.Result()
	if res.Updated != 1 || len(res.PatientChanges) != 1 || m.patients["p1"] != dead || len(m.replaced) != 1 || m.replaced[0] != p {
		t.Fatalf("updated %d, changes %v, stored %+v, replaced %+v; want the death stored and the old details kept", res.Updated, res.PatientChanges, m.patients["p1"], m.replaced)
	}
	if got, want := res.PatientChanges[0].Text(), "patient p1: deceased no → yes, date of death unknown → 2024-03-01"; got != want {
		t.Errorf("change %q, want %q", got, want)
	}
	// A Patient re-sent without birthDate, gender or deceased[x] erases
	// nothing: the stored details stay and the import counts it unchanged.
	bare := record.Patient{ID: "p1"}
	if err := im.Run(&record.Batch{Patients: []record.Patient{bare}}); err != nil {
		t.Fatal(err)
	}
	if m.patients["p1"] != dead || res.Updated != 1 || len(m.replaced) != 1 {
		t.Fatalf("stored %+v, updated %d, replaced %d after a bare Patient; want the stored details kept", m.patients["p1"], res.Updated, len(m.replaced))
	}
	late := dead
	late.BirthDate = day("2021-05-01")
	if err := im.Run(&record.Batch{Patients: []record.Patient{late}}); err != nil {
		t.Fatal(err)
	}
	want := "invalid item: implausible date: finding time 2020-01-01 is before the patient's birth date 2021-05-01 (finding f1 is stored); the stored details of patient p1 are kept (birth date 1980-01-01)"
	if res.RejectedCount != 1 || res.Rejected[0].Err.Error() != want || m.patients["p1"] != dead || res.Updated != 1 {
		t.Fatalf("rejected %v, stored %+v, updated %d; want %q and the details kept", res.Rejected, m.patients["p1"], res.Updated, want)
	}
}

// A Patient sent again with deceasedBoolean false (DeceasedGiven, not
// Deceased: a death recorded in error, undone by the source) replaces a
// stored death; one without deceased[x] keeps it.
func TestPatientDeathUndone(t *testing.T) {
	m := newMemory()
	im := New(m, store.ImportOptions{})
	dead := record.Patient{ID: "p1", BirthDate: day("1980-01-01"), Sex: record.Female, Deceased: true, DeceasedDate: day("2024-03-01"), DeceasedGiven: true}
	if err := im.Run(&record.Batch{Patients: []record.Patient{dead}}); err != nil {
		t.Fatal(err)
	}
	silent := record.Patient{ID: "p1", BirthDate: day("1980-01-01"), Sex: record.Female}
	if err := im.Run(&record.Batch{Patients: []record.Patient{silent}}); err != nil {
		t.Fatal(err)
	}
	if res := im.Result(); res.Updated != 0 || res.Unchanged != 1 || !m.patients["p1"].Deceased {
		t.Fatalf("no deceased[x]: updated %d, unchanged %d, stored %+v; want the death kept", res.Updated, res.Unchanged, m.patients["p1"])
	}
	alive := silent
	alive.DeceasedGiven = true
	if err := im.Run(&record.Batch{Patients: []record.Patient{alive}}); err != nil {
		t.Fatal(err)
	}
	res := im.Result()
	if res.Updated != 1 || len(res.PatientChanges) != 1 || m.patients["p1"].Deceased || !m.patients["p1"].DeceasedDate.IsZero() {
		t.Fatalf("deceasedBoolean false: updated %d, stored %+v; want the death undone", res.Updated, m.patients["p1"])
	}
	if got, want := res.PatientChanges[0].Text(), "patient p1: deceased yes → no, date of death 2024-03-01 → unknown"; got != want {
		t.Errorf("change %q, want %q", got, want)
	}
}
