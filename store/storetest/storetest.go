// Package storetest is the conformance suite every store.Store backend
// runs, in the manner of testing/slogtest:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
//	}
//
// newStore must return an empty store; Run closes it.
package storetest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// Run runs every conformance test against stores made by newStore.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		f    func(t *testing.T, s store.Store)
	}{
		{"ImportAndTimeline", testImportAndTimeline},
		{"ImportTwiceChangesNothing", testIdempotent},
		{"SameMeasurementUnderAnotherID", testDuplicateMeasurement},
		{"SameMeasurementOtherProvenance", testOtherProvenance},
		{"ConflictingContent", testConflict},
		{"ConflictAcrossPatients", testConflictAcrossPatients},
		{"PatientUpdate", testPatientUpdate},
		{"PatientUpdateBeforeItems", testPatientUpdateBeforeItems},
		{"PatientSameDetailsOtherSource", testPatientOtherSource},
		{"PatientUpdateOlder", testPatientUpdateOlder},
		{"SameIDOtherContentInOneBatch", testSameIDInBatch},
		{"PatientStatusFields", testPatientStatus},
		{"UnknownPatient", testUnknownPatient},
		{"PatientLaterInSameBatch", testPatientInBatch},
		{"StrictRollsBack", testStrict},
		{"NotFound", testNotFound},
		{"Patients", testPatients},
		{"InvalidItems", testInvalid},
		{"ManyObservations", testMany},
		{"Progress", testProgress},
		{"DatesExact", testDatesExact},
		{"DatesBeforeBirth", testDatesBeforeBirth},
		{"StreamInChunks", testStream},
		{"StreamPatientInLaterChunk", testStreamPatientLater},
		{"StreamStrictRollsBack", testStreamStrict},
		{"StreamRejectionsBounded", testStreamRejections},
		{"StreamRollback", testStreamRollback},
		{"Retraction", testRetraction},
		{"Correction", testCorrection},
		{"ImportAudit", testImportAudit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			defer s.Close()
			tt.f(t, s)
		})
	}
}

var ctx = context.Background()

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func prov(id string) record.Provenance {
	return record.Provenance{System: "test", ResourceType: "Observation", ResourceID: id,
		Code: record.Coding{System: "http://loinc.org", Code: "2160-0", Display: "Creatinine"}, Unit: "mg/dL", Value: "1.1",
		File: "batch.ndjson", Line: 7}
}

func creat(id, pid, date string, v float64) record.Observation {
	o := record.Observation{ID: id, PatientID: pid, Analyte: units.Creatinine, Value: units.Q(v, units.MgPerDL), Time: day(date)}
	o.SetProvenance(prov(id))
	return o
}

func one(n int) *int { return &n }

// fullBatch holds one item of each kind for patient p1 and p2's patient.
func fullBatch() *record.Batch {
	score := 8.0
	return &record.Batch{
		Patients: []record.Patient{
			{ID: "p1", BirthDate: day("1980-05-17"), Sex: record.Female, Provenance: record.Provenance{System: "test", ResourceType: "Patient", ResourceID: "p1"}},
			// p2 has a partial birth date and died (schema version 2 fields).
			{ID: "p2", Sex: record.Male, BirthDate: day("1950-01-01"), BirthPrecision: record.PrecisionYear,
				Deceased: true, DeceasedDate: day("2022-03-04")},
		},
		Observations: []record.Observation{
			creat("Observation/c1", "p1", "2020-01-01", 1.1),
			creat("Observation/c2", "p1", "2020-06-01", 1.4),
			{ID: "Observation/e1", PatientID: "p1", Analyte: units.EGFR, Value: units.Q(55, units.MLPerMinBSA), Time: day("2020-06-01"),
				Notes: []string{"unit relabelled"}},
			{ID: "Observation/u1", PatientID: "p1", Analyte: units.PCR, Value: units.Q(200, units.MgPerG), Comparator: record.Less, Time: day("2020-06-02")},
			creat("Observation/c3", "p2", "2021-01-01", 0.9),
		},
		Conditions: []record.Condition{{ID: "Condition/ln", PatientID: "p1", Kind: record.LupusNephritis, LNClass: "IV", Onset: day("2019-12-01"), Status: "active",
			Verification: "provisional"}},
		Findings: []record.Finding{
			{ID: "Finding/f1", PatientID: "p1", Code: record.FindingHematuria, Present: true, Time: day("2020-01-01")},
			{ID: "Finding/s1", PatientID: "p1", Code: record.FindingSLEDAI2KScore, Present: true, Score: &score, Time: day("2020-01-01")},
		},
		Biopsies: []record.Biopsy{{ID: "Biopsy/b1", PatientID: "p1", Time: day("2019-12-15"), Classes: []string{"IV", "V"},
			EndocapillaryHypercellularity: one(2), CellularCrescents: one(0), ActivityIndex: one(9)}},
		Therapies: []record.Therapy{{ID: "MedicationRequest/m1", PatientID: "p1", Class: record.Mycophenolate, Name: "mycophenolate",
			Start: day("2020-01-02"), End: day("2021-01-02"), Dose: "1 g twice daily", Status: "completed"}},
		Replacements: []record.Replacement{{ID: "Procedure/d1", PatientID: "p2", Kind: record.Hemodialysis, Start: day("2021-02-01"),
			End: day("2021-02-01").Add(4 * time.Hour)}},
	}
}

func batchLen(b *record.Batch) int { return b.Len() }

// ignoreLocation: stores do not keep the file and line an item was read from.
var ignoreLocation = cmp.Options{cmpopts.IgnoreFields(record.Provenance{}, "File", "Line"),
	cmpopts.IgnoreFields(record.Source{}, "File"), cmpopts.IgnoreFields(record.Observation{}, "Line")}

func timelineOpts() cmp.Options {
	return cmp.Options{ignoreLocation, timelineAsData, cmpopts.EquateEmpty()}
}

// timelineData is a timeline's content, observations included (the
// timeline holds them unexported and returns them from a method).
type timelineData struct {
	Patient      record.Patient
	Observations []record.Observation
	Conditions   []record.Condition
	Findings     []record.Finding
	Biopsies     []record.Biopsy
	Therapies    []record.Therapy
	Replacements []record.Replacement
}

// timelineAsData compares timelines by their content.
var timelineAsData = cmp.Transformer("timeline", func(t *record.Timeline) *timelineData {
	if t == nil {
		return nil
	}
	return &timelineData{t.Patient, t.Observations(), t.Conditions, t.Findings, t.Biopsies, t.Therapies, t.Replacements}
})

func mustImport(t *testing.T, s store.Store, b *record.Batch, opt store.ImportOptions) *store.ImportResult {
	t.Helper()
	res, err := s.Import(ctx, b, opt)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return res
}

func counts(r *store.ImportResult) [4]int {
	return [4]int{r.Imported, r.Unchanged, r.Duplicates, len(r.Rejected)}
}

func testImportAndTimeline(t *testing.T, s store.Store) {
	b := fullBatch()
	res := mustImport(t, s, b, store.ImportOptions{})
	if got, want := counts(res), [4]int{batchLen(b), 0, 0, 0}; got != want {
		t.Fatalf("import counts (imported, unchanged, duplicates, rejected) = %v, want %v; rejected: %v", got, want, res.Rejected)
	}
	for _, pid := range []string{"p1", "p2"} {
		got, err := s.Timeline(ctx, pid)
		if err != nil {
			t.Fatalf("Timeline(%s): %v", pid, err)
		}
		var p record.Patient
		for _, x := range b.Patients {
			if x.ID == pid {
				p = x
			}
		}
		want := record.NewTimeline(p, *b)
		if diff := cmp.Diff(want, got, timelineOpts()); diff != "" {
			t.Errorf("Timeline(%s) (-want +got):\n%s", pid, diff)
		}
	}
	tl, _ := s.Timeline(ctx, "p1")
	if o, ok := tl.Latest(units.Creatinine, day("2030-01-01")); !ok || o.ID != "Observation/c2" {
		t.Errorf("stored timeline Latest(creatinine) = %q, %v; want Observation/c2", o.ID, ok)
	}
}

func testIdempotent(t *testing.T, s store.Store) {
	b := fullBatch()
	mustImport(t, s, b, store.ImportOptions{})
	before, _ := s.Timeline(ctx, "p1")
	// Read again from "another file": location differs, content does not.
	b2 := fullBatch()
	for i := range b2.Observations {
		p := b2.Observations[i].Provenance()
		p.File, p.Line = "again.ndjson", 99
		b2.Observations[i].SetProvenance(p)
	}
	res := mustImport(t, s, b2, store.ImportOptions{})
	if got, want := counts(res), [4]int{0, batchLen(b), 0, 0}; got != want {
		t.Fatalf("second import counts = %v, want %v; rejected: %v", got, want, res.Rejected)
	}
	after, _ := s.Timeline(ctx, "p1")
	if diff := cmp.Diff(before, after, timelineOpts()); diff != "" {
		t.Errorf("second import changed the timeline (-before +after):\n%s", diff)
	}
}

func testDuplicateMeasurement(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	// The same creatinine, from a CSV file with a derived id.
	o := creat("Observation/from-csv", "p1", "2020-01-01", 1.1)
	o.SetProvenance(record.Provenance{System: "csv", ResourceType: "csv"})
	// The same value reached through a unit conversion differs in the last
	// bits (106.08 umol/L / 88.4 = 1.1999999999999997 mg/dL).
	o2 := o
	o2.ID, o2.Value.Value = "Observation/converted", 1.1+4e-16
	res := mustImport(t, s, &record.Batch{Observations: []record.Observation{o, o, o2}}, store.ImportOptions{})
	if got, want := counts(res), [4]int{0, 0, 3, 0}; got != want {
		t.Fatalf("counts = %v, want %v (both copies are the stored measurement); rejected %v", got, want, res.Rejected)
	}
	tl, _ := s.Timeline(ctx, "p1")
	if n := len(tl.Values(units.Creatinine)); n != 2 {
		t.Errorf("p1 has %d creatinine values after a duplicate import, want 2", n)
	}
}

// testOtherProvenance: an observation's identity is the measurement
// (patient, analyte, time, value, comparator), not where it was read from.
// The same id and measurement read back without its FHIR provenance and
// the importer's notes, its date written as an instant (a CSV export of a
// FHIR import) is unchanged, and the store keeps the provenance, notes and
// time precision it holds.
func testOtherProvenance(t *testing.T, s store.Store) {
	o := creat("Observation/c1", "p1", "2020-01-01", 1.1)
	o.Notes = []string{"unit from LOINC definition"}
	mustImport(t, s, &record.Batch{Patients: fullBatch().Patients[:1], Observations: []record.Observation{o}}, store.ImportOptions{})
	fromCSV := record.Observation{ID: o.ID, PatientID: o.PatientID, Analyte: o.Analyte, Value: o.Value, Time: o.Time, TimePrecision: record.PrecisionInstant}
	fromCSV.SetProvenance(record.Provenance{System: "csv", ResourceID: o.ID, Unit: "mg/dL", Value: "1.1", File: "labs.csv", Line: 2})
	res := mustImport(t, s, &record.Batch{Observations: []record.Observation{fromCSV}}, store.ImportOptions{})
	if got, want := counts(res), [4]int{0, 1, 0, 0}; got != want {
		t.Fatalf("the same measurement from another file: imported, unchanged, duplicates, rejected = %v, want %v (%v)", got, want, res.Rejected)
	}
	tl, err := s.Timeline(ctx, "p1")
	if err != nil {
		t.Fatal(err)
	}
	got := tl.Values(units.Creatinine)
	if len(got) != 1 {
		t.Fatalf("%d creatinine values, want 1", len(got))
	}
	if p := got[0].Provenance(); p.ResourceType != "Observation" || p.Code.Code != "2160-0" || p.Value != "1.1" {
		t.Errorf("stored provenance %+v, want the first import's (Observation, LOINC 2160-0, \"1.1\")", p)
	}
	if len(got[0].Notes) != 1 || got[0].Notes[0] != "unit from LOINC definition" {
		t.Errorf("stored notes %q, want the first import's", got[0].Notes)
	}
	if got[0].TimePrecision != record.PrecisionDay {
		t.Errorf("stored time precision %v, want the first import's day", got[0].TimePrecision)
	}
	// Another value under the id is still other content.
	changed := fromCSV
	changed.Value = units.Q(1.2, units.MgPerDL)
	res = mustImport(t, s, &record.Batch{Observations: []record.Observation{changed}}, store.ImportOptions{})
	if len(res.Rejected) != 1 || !errors.Is(res.Rejected[0], store.ErrConflict) {
		t.Errorf("another value under the same id: rejected = %v, want one ErrConflict", res.Rejected)
	}
}

func testConflict(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	changed := creat("Observation/c1", "p1", "2020-01-01", 2.2)
	res := mustImport(t, s, &record.Batch{Observations: []record.Observation{changed}}, store.ImportOptions{})
	if len(res.Rejected) != 1 || !errors.Is(res.Rejected[0], store.ErrConflict) {
		t.Fatalf("rejected = %v, want one ErrConflict", res.Rejected)
	}
	if r := res.Rejected[0]; r.ID != "Observation/c1" || r.Provenance.File != "batch.ndjson" || r.Provenance.Line != 7 {
		t.Errorf("rejection = %+v; want id Observation/c1 at batch.ndjson line 7", r)
	}
	tl, _ := s.Timeline(ctx, "p1")
	if o := tl.Values(units.Creatinine)[0]; o.Value.Value != 1.1 {
		t.Errorf("stored value after a conflicting import = %v, want the original 1.1", o.Value)
	}
	// Other item kinds too.
	th := fullBatch().Therapies[0]
	th.Dose = "2 g"
	res = mustImport(t, s, &record.Batch{Therapies: []record.Therapy{th}}, store.ImportOptions{})
	if len(res.Rejected) != 1 || !errors.Is(res.Rejected[0], store.ErrConflict) {
		t.Errorf("changed therapy: rejected = %v, want one ErrConflict", res.Rejected)
	}
}

// testSameIDInBatch (trial-cli #10): two rows of one file with the same id
// and other content. The first is stored (or, when it is the same
// measurement as a stored one under another id, counted as a duplicate);
// the second is rejected, naming the first's line, whatever the store
// held. It was stored, and the first counted "unchanged", when the first
// was a duplicate.
func testSameIDInBatch(t *testing.T, s store.Store) {
	mustImport(t, s, &record.Batch{Patients: fullBatch().Patients}, store.ImportOptions{})
	row := func(id, date string, v float64, line int) record.Observation {
		o := creat(id, "p1", date, v)
		pv := o.Provenance()
		pv.Line, pv.Value = line, strconv.FormatFloat(v, 'g', -1, 64)
		o.SetProvenance(pv)
		return o
	}
	for _, c := range []struct {
		name, id string
		stored   *record.Observation
		want     [4]int
		value    float64 // of id afterwards; 0: not stored
	}{
		{"empty store", "dup1", nil, [4]int{1, 0, 0, 1}, 1.1},
		{"first row already stored under another id", "dup2", ptr(creat("Observation/c1", "p1", "2024-05-01", 1.1)), [4]int{0, 0, 1, 1}, 0},
	} {
		day := "2024-03-01"
		if c.stored != nil {
			mustImport(t, s, &record.Batch{Observations: []record.Observation{*c.stored}}, store.ImportOptions{})
			day = "2024-05-01"
		}
		res := mustImport(t, s, &record.Batch{Observations: []record.Observation{row(c.id, day, 1.1, 2), row(c.id, "2024-05-02", 1.3, 3)}}, store.ImportOptions{})
		if got := counts(res); got != c.want {
			t.Errorf("%s: counts = %v, want %v; rejected %v", c.name, got, c.want, res.Rejected)
		}
		if len(res.Rejected) == 1 {
			r := res.Rejected[0]
			if !errors.Is(r, store.ErrConflict) || r.Provenance.Line != 3 || !strings.Contains(r.Error(), "line 2") {
				t.Errorf("%s: rejection %v (line %d); want ErrConflict on line 3 naming line 2", c.name, r, r.Provenance.Line)
			}
		}
		tl, err := s.Timeline(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		var got float64
		for _, o := range tl.Values(units.Creatinine) {
			if o.ID == c.id {
				got = o.Value.Value
			}
		}
		if got != c.value {
			t.Errorf("%s: %s stored with %v, want %v (0: not stored)", c.name, c.id, got, c.value)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func testConflictAcrossPatients(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	o := creat("Observation/c1", "p2", "2020-01-01", 1.1) // p1's id, under p2
	res := mustImport(t, s, &record.Batch{Observations: []record.Observation{o}}, store.ImportOptions{})
	if len(res.Rejected) != 1 || !errors.Is(res.Rejected[0], store.ErrConflict) {
		t.Fatalf("rejected = %v, want one ErrConflict", res.Rejected)
	}
}

func testUnknownPatient(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	b := &record.Batch{
		Observations: []record.Observation{creat("Observation/x", "ghost", "2020-01-01", 1)},
		Therapies:    []record.Therapy{{ID: "t/x", PatientID: "ghost", Class: record.Rituximab, Start: day("2020-01-01")}},
	}
	res := mustImport(t, s, b, store.ImportOptions{})
	if len(res.Rejected) != 2 {
		t.Fatalf("rejected = %v, want 2", res.Rejected)
	}
	for _, r := range res.Rejected {
		if !errors.Is(r, store.ErrUnknownPatient) || r.PatientID != "ghost" {
			t.Errorf("rejection %+v, want ErrUnknownPatient for ghost", r)
		}
	}
	if _, err := s.Timeline(ctx, "ghost"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Timeline(ghost) error = %v, want ErrNotFound", err)
	}
}

func testPatientInBatch(t *testing.T, s store.Store) {
	// Items listed before their patient in the batch still find it.
	b := &record.Batch{
		Observations: []record.Observation{creat("Observation/n1", "new", "2020-01-01", 1)},
		Patients:     []record.Patient{{ID: "new"}},
	}
	res := mustImport(t, s, b, store.ImportOptions{})
	if got, want := counts(res), [4]int{2, 0, 0, 0}; got != want {
		t.Fatalf("counts = %v, want %v; rejected %v", got, want, res.Rejected)
	}
}

func testStrict(t *testing.T, s store.Store) {
	b := fullBatch()
	b.Observations = append(b.Observations, creat("Observation/bad", "ghost", "2020-01-01", 1))
	res := mustImport(t, s, b, store.ImportOptions{Strict: true})
	if !res.RolledBack || len(res.Rejected) != 1 {
		t.Fatalf("strict import: rolled back %v, rejected %v; want rolled back with one rejection", res.RolledBack, res.Rejected)
	}
	ps, err := s.Patients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Errorf("after a rolled-back strict import the store holds %d patients, want 0", len(ps))
	}
	// Without errors, strict imports normally.
	res = mustImport(t, s, fullBatch(), store.ImportOptions{Strict: true})
	if res.RolledBack || res.Imported != batchLen(fullBatch()) {
		t.Errorf("clean strict import: rolled back %v, imported %d", res.RolledBack, res.Imported)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	if _, err := s.Patient(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Patient(nobody) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Timeline(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Timeline(nobody) error = %v, want ErrNotFound", err)
	}
	ps, err := s.Patients(ctx)
	if err != nil || len(ps) != 0 {
		t.Errorf("Patients on an empty store = %v, %v; want none", ps, err)
	}
}

func testPatients(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	got, err := s.Patients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := fullBatch()
	want := []store.PatientSummary{
		{Patient: b.Patients[0], Observations: 4, Conditions: 1, Findings: 2, Biopsies: 1, Therapies: 1,
			LatestCreatinine: units.Q(1.4, units.MgPerDL), LatestCreatinineTime: day("2020-06-01")},
		{Patient: b.Patients[1], Observations: 1, Replacements: 1,
			LatestCreatinine: units.Q(0.9, units.MgPerDL), LatestCreatinineTime: day("2021-01-01")},
	}
	if diff := cmp.Diff(want, got, ignoreLocation); diff != "" {
		t.Errorf("Patients (-want +got):\n%s", diff)
	}
}

func testInvalid(t *testing.T, s store.Store) {
	mustImport(t, s, fullBatch(), store.ImportOptions{})
	b := &record.Batch{Observations: []record.Observation{
		{ID: "", PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(1, units.MgPerDL), Time: day("2020-01-01")},
		{ID: "Observation/umol", PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(88, units.UmolPerL), Time: day("2020-01-03")},
	}}
	res := mustImport(t, s, b, store.ImportOptions{})
	if len(res.Rejected) != 2 {
		t.Fatalf("rejected = %v, want 2 (no id; not in the canonical unit)", res.Rejected)
	}
	for _, r := range res.Rejected {
		if !errors.Is(r, store.ErrInvalid) {
			t.Errorf("rejection %v, want ErrInvalid", r)
		}
	}
}

func testMany(t *testing.T, s store.Store) {
	// More rows than one multi-row statement holds, with an id repeated
	// inside the batch.
	b := &record.Batch{Patients: []record.Patient{{ID: "m"}}}
	start := day("2000-01-01")
	for i := range 1000 {
		b.Observations = append(b.Observations, record.Observation{ID: "o" + itoa(i), PatientID: "m", Analyte: units.Potassium,
			Value: units.Q(4+float64(i%10)/10, units.MmolPerL), Time: start.Add(time.Duration(i) * time.Hour)})
	}
	b.Observations = append(b.Observations, b.Observations[500])
	res := mustImport(t, s, b, store.ImportOptions{})
	if got, want := counts(res), [4]int{1001, 1, 0, 0}; got != want {
		t.Fatalf("counts = %v, want %v; rejected %v", got, want, res.Rejected)
	}
	tl, _ := s.Timeline(ctx, "m")
	if n := len(tl.Values(units.Potassium)); n != 1000 {
		t.Errorf("stored %d potassium values, want 1000", n)
	}
}

func testProgress(t *testing.T, s store.Store) {
	var last int
	calls := 0
	mustImport(t, s, fullBatch(), store.ImportOptions{Progress: func(n int) { last = n; calls++ }})
	if calls == 0 || last != batchLen(fullBatch()) {
		t.Errorf("progress called %d times, last with %d; want at least once, last with %d", calls, last, batchLen(fullBatch()))
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// testPatientStatus: birth precision, death (with and without a date) and
// a condition's verification status are stored and read back exactly; a
// patient stored alive and imported again as dead is a conflict like any
// other change of content.
func testPatientStatus(t *testing.T, s store.Store) {
	b := &record.Batch{
		Patients: []record.Patient{
			{ID: "dead-nodate", Sex: record.Female, Deceased: true},
			{ID: "month", Sex: record.Male, BirthDate: day("2008-05-01"), BirthPrecision: record.PrecisionMonth},
			{ID: "alive", Sex: record.Female, BirthDate: day("1970-02-03")},
		},
		Conditions: []record.Condition{
			{ID: "Condition/v1", PatientID: "alive", Kind: record.SLE, Verification: "differential"},
			{ID: "Condition/v2", PatientID: "alive", Kind: record.SLE, Verification: "confirmed"},
			{ID: "Condition/v3", PatientID: "alive", Kind: record.SLE},
		},
	}
	res := mustImport(t, s, b, store.ImportOptions{})
	if got, want := counts(res), [4]int{6, 0, 0, 0}; got != want {
		t.Fatalf("counts = %v, want %v; rejected %v", got, want, res.Rejected)
	}
	for _, want := range b.Patients {
		got, err := s.Patient(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, ignoreLocation); diff != "" {
			t.Errorf("Patient(%s) (-want +got):\n%s", want.ID, diff)
		}
	}
	tl, err := s.Timeline(ctx, "alive")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b.Conditions, tl.Conditions, ignoreLocation, cmpopts.SortSlices(func(a, b record.Condition) bool { return a.ID < b.ID })); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	if res := mustImport(t, s, b, store.ImportOptions{}); res.Unchanged != 6 {
		t.Errorf("second import: %+v, want 6 unchanged", res)
	}
	died := b.Patients[2]
	died.Deceased, died.DeceasedDate = true, day("2024-01-01")
	res = mustImport(t, s, &record.Batch{Patients: []record.Patient{died}}, store.ImportOptions{})
	if got, err := s.Patient(ctx, died.ID); err != nil || res.Updated != 1 || res.RejectedCount != 0 || !got.Deceased || !got.DeceasedDate.Equal(died.DeceasedDate) {
		t.Errorf("alive patient sent again as dead: %+v, stored %+v (%v); want the death stored (updated 1)", res, got, err)
	}
}
