package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/record"
	"renalwatch/store"
)

// Every date from 0001 to 9999 comes back exactly, with its precision
// (issue 8 item 1: 1600-01-01 came back as 2184-07-20, 1677-01-01 as
// 2261-07-22, and 0001-01-01 was dropped). The patient's birth date is
// unknown, so no date is before it.
func testDatesExact(t *testing.T, s store.Store) {
	at := func(v string) time.Time {
		x, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			panic(err)
		}
		return x.UTC()
	}
	obs := func(id, when string, prec record.DatePrecision) record.Observation {
		o := creat(id, "old", "2000-01-01", 1.1)
		o.Time, o.TimePrecision = at(when), prec
		return o
	}
	p := record.Patient{ID: "old", Sex: record.Female, Provenance: prov("old")}
	b := &record.Batch{Patients: []record.Patient{p}, Observations: []record.Observation{
		obs("o0001", "0001-01-01T00:00:00Z", record.PrecisionDay),
		obs("o1600", "1600-01-01T00:00:00Z", record.PrecisionYear),
		obs("o1677", "1677-01-01T00:00:00Z", record.PrecisionMonth),
		obs("o1969", "1969-12-31T23:59:59.123456789Z", record.PrecisionInstant),
		obs("o9999", "9999-12-31T23:59:59.999999999Z", record.PrecisionInstant),
	}, Therapies: []record.Therapy{{ID: "t1600", PatientID: "old", Class: record.Glucocorticoid, Name: "prednisone",
		Start: at("1600-01-01T00:00:00Z"), End: at("9999-12-31T00:00:00Z"), Provenance: prov("t1600")}}}
	if got, want := counts(mustImport(t, s, b, store.ImportOptions{Strict: true})), [4]int{7, 0, 0, 0}; got != want {
		t.Fatalf("counts = %v, want %v", got, want)
	}
	tl, err := s.Timeline(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	want := record.NewTimeline(p, *b)
	if diff := cmp.Diff(want.Observations(), tl.Observations(), timelineOpts()); diff != "" {
		t.Errorf("observations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Therapies, tl.Therapies, timelineOpts()); diff != "" {
		t.Errorf("therapies (-want +got):\n%s", diff)
	}
	// The same again is unchanged: the stored times compare equal.
	if got, want := counts(mustImport(t, s, b, store.ImportOptions{})), [4]int{0, 7, 0, 0}; got != want {
		t.Errorf("second import counts = %v, want %v", got, want)
	}
	ps, err := s.Patients(ctx)
	if err != nil || len(ps) != 1 {
		t.Fatalf("patients: %v %v", ps, err)
	}
	if !ps[0].LatestCreatinineTime.Equal(at("9999-12-31T23:59:59.999999999Z")) {
		t.Errorf("latest creatinine at %v, want 9999-12-31T23:59:59.999999999Z", ps[0].LatestCreatinineTime)
	}
	// The earliest accepted birth date, and a death date in 9999, are kept.
	p2 := record.Patient{ID: "b1890", BirthDate: record.EarliestBirth, Sex: record.Male, Deceased: true,
		DeceasedDate: at("9999-12-31T00:00:00Z"), Provenance: prov("b1890")}
	mustImport(t, s, &record.Batch{Patients: []record.Patient{p2}}, store.ImportOptions{Strict: true})
	got, err := s.Patient(ctx, "b1890")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p2, got, timelineOpts()); diff != "" {
		t.Errorf("patient (-want +got):\n%s", diff)
	}
}

// A birth date before 1890, a death before birth, and any item dated
// before the patient's birth are rejected with the item, the date and the
// birth date, and not stored (issue 8 item 1; issue 7 item 15).
func testDatesBeforeBirth(t *testing.T, s store.Store) {
	born := record.Patient{ID: "p", BirthDate: day("1990-05-17"), Sex: record.Female, Provenance: prov("p")}
	month := record.Patient{ID: "m", BirthDate: day("1990-05-01"), BirthPrecision: record.PrecisionMonth, Sex: record.Male, Provenance: prov("m")}
	early := record.Patient{ID: "e", BirthDate: day("1600-01-01"), Sex: record.Male, Provenance: prov("e")}
	dead := record.Patient{ID: "d", BirthDate: day("1990-01-01"), Deceased: true, DeceasedDate: day("1989-12-31"), Sex: record.Male, Provenance: prov("d")}
	o1677 := creat("o1677", "p", "1677-01-01", 1.0)
	o0001 := creat("o0001", "p", "0001-01-01", 1.0) // the zero time.Time: still a date for an observation
	oDay := creat("oday", "p", "1990-05-16", 1.0)   // the day before birth
	oOK := creat("ok", "p", "1990-05-17", 1.0)      // the day of birth
	oMonth := creat("omonth", "m", "1990-05-01", 1.0)
	oMonth.TimePrecision = record.PrecisionMonth // May 1990 may be after a birth in May 1990: kept
	oYear := creat("oyear", "m", "1989-01-01", 1.0)
	oYear.TimePrecision = record.PrecisionYear // 1989 is before May 1990 whatever the day
	th := record.Therapy{ID: "t", PatientID: "p", Class: record.Glucocorticoid, Name: "prednisone", Start: day("1980-01-01"), Provenance: prov("t")}
	b := &record.Batch{Patients: []record.Patient{born, month, early, dead},
		Observations: []record.Observation{o1677, o0001, oDay, oOK, oMonth, oYear}, Therapies: []record.Therapy{th}}
	res := mustImport(t, s, b, store.ImportOptions{})
	if got, want := counts(res), [4]int{4, 0, 0, 7}; got != want {
		t.Fatalf("counts = %v, want %v; rejected %v", got, want, res.Rejected)
	}
	want := map[string]string{
		"e":     "birth date 1600-01-01 is before 1890-01-01",
		"d":     "date of death 1989-12-31 is before the patient's birth date 1990-01-01",
		"o1677": "observation time 1677-01-01 is before the patient's birth date 1990-05-17",
		"o0001": "observation time 0001-01-01 is before the patient's birth date 1990-05-17",
		"oday":  "observation time 1990-05-16 is before the patient's birth date 1990-05-17",
		"oyear": "observation time 1989 is before the patient's birth date 1990-05",
		"t":     "therapy start 1980-01-01 is before the patient's birth date 1990-05-17",
	}
	for _, r := range res.Rejected {
		if !errors.Is(r.Err, store.ErrInvalid) || !errors.Is(r.Err, record.ErrImplausibleDate) {
			t.Errorf("%s: %v, want ErrInvalid and ErrImplausibleDate", r.ID, r.Err)
		}
		if w, ok := want[r.ID]; !ok || !strings.Contains(r.Err.Error(), w) {
			t.Errorf("%s rejected with %q, want it to say %q", r.ID, r.Err, w)
		}
	}
	if res.RejectedCount != 7 {
		t.Errorf("RejectedCount = %d, want 7", res.RejectedCount)
	}
	tl, err := s.Timeline(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Observations()) != 1 || tl.Observations()[0].ID != "ok" || len(tl.Therapies) != 0 {
		t.Errorf("stored for p: %v observations, %v therapies; want only observation ok", tl.Observations(), tl.Therapies)
	}
	if _, err := s.Patient(ctx, "e"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("patient born 1600: %v, want not stored", err)
	}
}
