package record_test

import (
	"encoding/hex"
	"testing"
	"time"

	"renalwatch/record"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// A partial birth date gives a range of ages; the range straddles 18 in
// the year of the 18th birthday when only the year is known (review item
// 13: birthDate "2008" on 2026-03-02 may be 17).
func TestAgeRangeAt(t *testing.T) {
	tests := []struct {
		source     string
		birth      string
		prec       record.DatePrecision
		at         string
		young, old int
		ok         bool
	}{
		{"full date: one age", "2008-05-17", record.PrecisionDay, "2026-03-02", 17, 17, true},
		{"year only, before any birthday in the year", "2008-01-01", record.PrecisionYear, "2026-03-02", 17, 18, true},
		{"year only, after the last possible birthday", "2008-01-01", record.PrecisionYear, "2026-12-31", 18, 18, true},
		{"year only, on 31 Dec of the birth year", "2008-01-01", record.PrecisionYear, "2008-12-31", 0, 0, true},
		{"month only, mid-month", "2008-05-01", record.PrecisionMonth, "2026-05-15", 17, 18, true},
		{"month only, after the month", "2008-05-01", record.PrecisionMonth, "2026-06-01", 18, 18, true},
		{"before any possible birth", "2008-01-01", record.PrecisionYear, "2007-12-31", 0, 0, false},
		{"unknown birth date", "", record.PrecisionDay, "2026-01-01", 0, 0, false},
	}
	for _, tt := range tests {
		p := record.Patient{BirthPrecision: tt.prec}
		if tt.birth != "" {
			p.BirthDate = date(tt.birth)
		}
		y, o, ok := p.AgeRangeAt(date(tt.at))
		if y != tt.young || o != tt.old || ok != tt.ok {
			t.Errorf("%s: AgeRangeAt(%s) = %d, %d, %v; want %d, %d, %v", tt.source, tt.at, y, o, ok, tt.young, tt.old, tt.ok)
		}
	}
	p := record.Patient{BirthDate: date("2008-05-01"), BirthPrecision: record.PrecisionMonth}
	if e, l := p.BirthRange(); !e.Equal(date("2008-05-01")) || !l.Equal(date("2008-05-31")) {
		t.Errorf("BirthRange of 2008-05 = %s, %s; want 2008-05-01, 2008-05-31", e, l)
	}
}

func TestDeadAt(t *testing.T) {
	died := record.Patient{Deceased: true, DeceasedDate: date("1985-01-28")}
	noDate := record.Patient{Deceased: true}
	alive := record.Patient{}
	tests := []struct {
		name string
		p    record.Patient
		at   string
		want bool
	}{
		{"the day before death", died, "1985-01-27", false},
		{"the day of death", died, "1985-01-28", true},
		{"years after", died, "2026-10-15", true},
		{"deceased, date unknown", noDate, "1900-01-01", true},
		{"not deceased", alive, "2026-10-15", false},
	}
	for _, tt := range tests {
		if got := tt.p.DeadAt(date(tt.at)); got != tt.want {
			t.Errorf("%s: DeadAt(%s) = %v, want %v", tt.name, tt.at, got, tt.want)
		}
	}
}

func TestEstablished(t *testing.T) {
	for v, want := range map[string]bool{"": true, "confirmed": true, "unconfirmed": false, "provisional": false, "differential": false} {
		if got := (record.Condition{Verification: v}).Established(); got != want {
			t.Errorf("Established with verificationStatus %q = %v, want %v", v, got, want)
		}
	}
}

func TestDatePrecisionRoundTrip(t *testing.T) {
	for _, d := range []record.DatePrecision{record.PrecisionDay, record.PrecisionMonth, record.PrecisionYear} {
		if got, ok := record.ParseDatePrecision(d.String()); !ok || got != d {
			t.Errorf("ParseDatePrecision(%q) = %v, %v", d.String(), got, ok)
		}
	}
	if _, ok := record.ParseDatePrecision("week"); ok {
		t.Error(`ParseDatePrecision("week") accepted`)
	}
}

// Stores compare content hashes: a patient or condition without the fields
// added in store schema version 2 must hash as it did in version 1, or every
// re-import of old data would be a conflict. The hashes below were written
// by version 1 and must not change; the new fields must change them.
func TestContentHashStableAcrossSchemaVersions(t *testing.T) {
	p := record.Patient{ID: "p1", BirthDate: date("1980-05-17"), Sex: record.Female,
		Provenance: record.Provenance{ResourceType: "Patient", ResourceID: "p1"}}
	c := record.Condition{ID: "Condition/c", PatientID: "p1", Kind: record.SLE, Onset: date("2010-01-01"), Status: "active"}
	ph, ch := p.ContentHash(), c.ContentHash()
	if got, want := hex.EncodeToString(ph[:8]), "e77f9bb65d167680"; got != want {
		t.Errorf("patient hash %s, want the version 1 hash %s", got, want)
	}
	if got, want := hex.EncodeToString(ch[:8]), "dde3f6934030ee73"; got != want {
		t.Errorf("condition hash %s, want the version 1 hash %s", got, want)
	}
	for name, q := range map[string]record.Patient{
		"birth precision": {ID: p.ID, BirthDate: p.BirthDate, Sex: p.Sex, Provenance: p.Provenance, BirthPrecision: record.PrecisionYear},
		"deceased":        {ID: p.ID, BirthDate: p.BirthDate, Sex: p.Sex, Provenance: p.Provenance, Deceased: true},
		"deceased date":   {ID: p.ID, BirthDate: p.BirthDate, Sex: p.Sex, Provenance: p.Provenance, Deceased: true, DeceasedDate: date("2020-01-01")},
	} {
		if q.ContentHash() == ph {
			t.Errorf("patient hash ignores %s", name)
		}
	}
	c.Verification = "provisional"
	if c.ContentHash() == ch {
		t.Error("condition hash ignores verification")
	}
}
