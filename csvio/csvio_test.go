package csvio_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/csvio"
	"renalwatch/record"
	"renalwatch/units"
)

var now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func read(t *testing.T, text string) *csvio.Result {
	t.Helper()
	r := csvio.Reader{Now: now}
	res, err := r.Read("test.csv", strings.NewReader(text))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return res
}

func TestObservations(t *testing.T) {
	res := read(t, `patient_id,time,analyte,value,unit,id,source
p1,2024-03-01,creatinine,106.08,umol/L,lab-1,hospital-a
p1,2024-03-01T08:30:00Z,acr,<3,mg/mmol,,
p1,2024-04-01,egfr,55,mL/min/1.73m2,,
`)
	if len(res.Rejected) != 0 || res.Read != 3 || res.Kind != "observations" {
		t.Fatalf("read %d, kind %s, rejected %v; want 3 observations, none rejected", res.Read, res.Kind, res.Rejected)
	}
	got := res.Batch.Observations
	want := []record.Observation{
		{ID: "lab-1", PatientID: "p1", Analyte: units.Creatinine, Value: units.Q(1.2, units.MgPerDL), Time: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
			Source: &record.Source{System: "hospital-a", ResourceType: "csv", Unit: "umol/L", File: "test.csv"}, ResourceID: "lab-1", SourceValue: "106.08", Line: 2},
		{ID: got[1].ID, PatientID: "p1", Analyte: units.ACR, Value: units.Q(26.52, units.MgPerG), Comparator: record.Less, Time: time.Date(2024, 3, 1, 8, 30, 0, 0, time.UTC), TimePrecision: record.PrecisionInstant,
			Source: &record.Source{System: "csv", ResourceType: "csv", Unit: "mg/mmol", File: "test.csv"}, SourceValue: "<3", Line: 3},
		{ID: got[2].ID, PatientID: "p1", Analyte: units.EGFR, Value: units.Q(55, units.MLPerMinBSA), Time: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
			Source: &record.Source{System: "csv", ResourceType: "csv", Unit: "mL/min/1.73m2", File: "test.csv"}, SourceValue: "55", Line: 4},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("observations (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(got[1].ID, "Observation/") {
		t.Errorf("derived id = %q, want Observation/…", got[1].ID)
	}
	// The same row in another file derives the same id.
	again := read(t, "patient_id,time,analyte,value,unit\np1,2024-03-01T08:30:00Z,acr,<3,mg/mmol\n")
	if again.Batch.Observations[0].ID != got[1].ID {
		t.Errorf("same row, other file: id %q, first file %q", again.Batch.Observations[0].ID, got[1].ID)
	}
}

func TestRejectedRows(t *testing.T) {
	tests := []struct {
		name, row string
		want      error
		contains  string
	}{
		{"missing unit", "p1,2024-01-01,creatinine,1.2,", csvio.ErrMissingUnit, "accepted units: mg/dL"},
		{"unknown unit", "p1,2024-01-01,creatinine,1.2,mg/furlong", csvio.ErrBadValue, "mg/furlong"},
		{"unit that does not fit", "p1,2024-01-01,creatinine,1.2,mg/g", csvio.ErrBadValue, "does not fit"},
		{"implausible", "p1,2024-01-01,creatinine,106,mg/dL", csvio.ErrImplausible, "did you mean 106 umol/L"},
		{"negative", "p1,2024-01-01,creatinine,-1,mg/dL", csvio.ErrImplausible, "implausible"},
		{"not a number", "p1,2024-01-01,creatinine,high,mg/dL", csvio.ErrBadValue, `"high"`},
		{"NaN", "p1,2024-01-01,creatinine,NaN,mg/dL", csvio.ErrBadValue, "finite"},
		{"unknown analyte", "p1,2024-01-01,glucose,5,mmol/L", csvio.ErrBadValue, "accepted: creatinine"},
		{"bad date", "p1,01/02/2024,creatinine,1.2,mg/dL", csvio.ErrBadDate, "01/02/2024"},
		{"future date", "p1,2027-01-01,creatinine,1.2,mg/dL", csvio.ErrFuture, "2027-01-01"},
		{"no patient", ",2024-01-01,creatinine,1.2,mg/dL", csvio.ErrMissing, "patient_id"},
		{"too few fields", "p1,2024-01-01,creatinine", csvio.ErrSyntax, "3 fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := read(t, "patient_id,time,analyte,value,unit\np0,2024-01-01,creatinine,1,mg/dL\n"+tt.row+"\n")
			if len(res.Rejected) != 1 || len(res.Batch.Observations) != 1 {
				t.Fatalf("rejected %v, kept %d; want one rejection and the good row kept", res.Rejected, len(res.Batch.Observations))
			}
			r := res.Rejected[0]
			if !errors.Is(r, tt.want) || r.Line != 3 || !strings.Contains(r.Error(), tt.contains) || !strings.HasPrefix(r.Error(), "test.csv:3: ") {
				t.Errorf("rejection %q (line %d); want %v at test.csv:3 mentioning %q", r.Error(), r.Line, tt.want, tt.contains)
			}
		})
	}
}

func TestPatientsAndTherapies(t *testing.T) {
	p := read(t, "patient_id,birth_date,sex\np1,1980-05-17,female\np2,,unknown\np3,1990-01-01,yes\n")
	if p.Kind != "patients" || len(p.Batch.Patients) != 2 || len(p.Rejected) != 1 || !errors.Is(p.Rejected[0], csvio.ErrBadValue) || p.Rejected[0].Line != 4 {
		t.Fatalf("patients: kind %s, %d kept, rejected %v", p.Kind, len(p.Batch.Patients), p.Rejected)
	}
	if got := p.Batch.Patients[0]; got.Sex != record.Female || !got.BirthDate.Equal(time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("patient p1 = %+v", got)
	}
	th := read(t, "patient_id,therapy,start,end,dose\np1,mycophenolate,2020-01-01,2021-01-01,1 g bid\np1,rituximab,2021-02-01,,\np1,magic,2021-01-01,,\np1,glucocorticoid,2021-01-01,2020-01-01,\n")
	if th.Kind != "therapies" || len(th.Batch.Therapies) != 2 || len(th.Rejected) != 2 {
		t.Fatalf("therapies: kind %s, %d kept, rejected %v; want 2 kept, 2 rejected", th.Kind, len(th.Batch.Therapies), th.Rejected)
	}
	if got := th.Batch.Therapies[0]; got.Class != record.Mycophenolate || got.Dose != "1 g bid" || got.End.IsZero() {
		t.Errorf("therapy = %+v", got)
	}
	if got := th.Batch.Therapies[1]; !got.End.IsZero() {
		t.Errorf("open-ended therapy has end %v", got.End)
	}
	// Issue 7 item 1: the new therapy classes are accepted by name.
	nc := read(t, "patient_id,therapy,start,end,dose\np1,azathioprine,2020-01-01,,\np1,calcineurin_inhibitor,2020-01-01,,\np1,calcineurin-inhibitor,2020-02-01,,\n"+
		"p1,anifrolumab,2020-01-01,,\np1,leflunomide,2020-01-01,,\np1,mizoribine,2020-01-01,,\n")
	var classes []record.TherapyClass
	for _, t := range nc.Batch.Therapies {
		classes = append(classes, t.Class)
	}
	want := []record.TherapyClass{record.Azathioprine, record.CalcineurinInhibitor, record.CalcineurinInhibitor, record.Anifrolumab, record.Leflunomide, record.Mizoribine}
	if len(nc.Rejected) != 0 || !slices.Equal(classes, want) {
		t.Errorf("new classes: %v, rejected %v; want %v", classes, nc.Rejected, want)
	}
}

func TestBadHeader(t *testing.T) {
	r := csvio.Reader{Now: now}
	for _, text := range []string{"", "a,b,c\n1,2,3\n", "patient_id,time,analyte,value\n"} {
		if _, err := r.Read("x.csv", strings.NewReader(text)); !errors.Is(err, csvio.ErrHeader) {
			t.Errorf("Read(%q) error = %v, want ErrHeader", text, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add("patient_id,time,analyte,value,unit\np1,2024-01-01,creatinine,1.2,mg/dL\n")
	f.Add("patient_id,birth_date,sex\np1,1980-01-01,female\n")
	f.Add("patient_id,therapy,start,end,dose\np1,rituximab,2020-01-01,,1 g\n")
	f.Add("patient_id,time,analyte,value,unit,id,source\np1,2024-01-01T00:00:00Z,acr,<3,mg/mmol,x,y\n\"unterminated")
	f.Fuzz(func(t *testing.T, text string) {
		r := csvio.Reader{Now: now}
		res, err := r.Read("fuzz.csv", strings.NewReader(text))
		if err != nil {
			return
		}
		for _, o := range res.Batch.Observations {
			if o.Value.Unit != o.Analyte.Canonical() {
				t.Errorf("kept %s in %s, not the canonical unit", o.Analyte, o.Value.Unit)
			}
			if o.ID == "" || o.PatientID == "" || o.Time.After(now) {
				t.Errorf("kept an observation without id or patient, or in the future: %+v", o)
			}
		}
		if got := len(res.Batch.Observations) + len(res.Batch.Patients) + len(res.Batch.Therapies) + len(res.Rejected); got != res.Read {
			t.Errorf("kept + rejected = %d, read %d: rows lost", got, res.Read)
		}
	})
}
