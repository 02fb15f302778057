package fhir_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/fhir"
	"renalwatch/record"
	"renalwatch/units"
)

func at(s string) time.Time {
	for _, l := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	panic(s)
}

var ignoreProv = cmp.Options{cmpopts.IgnoreFields(record.Provenance{}, "System", "ResourceType", "ResourceID", "Code", "Unit", "Value", "File", "Line"),
	cmpopts.IgnoreFields(record.Observation{}, "Source", "ResourceID", "SourceValue", "Line")}

func TestTransactionBundle(t *testing.T) {
	res := readFile(t, filepath.Join("testdata", "transaction-bundle.json"))
	if len(res.Rejected) != 0 {
		t.Fatalf("rejected: %v", res.Rejected)
	}
	if res.Read != 22 {
		t.Errorf("Read = %d, want 22 entries", res.Read)
	}
	b := res.Batch
	if diff := cmp.Diff([]record.Patient{{ID: "ln-iv", Sex: record.Female, BirthDate: at("1994-03-12")}}, b.Patients, ignoreProv); diff != "" {
		t.Errorf("patients (-want +got):\n%s", diff)
	}
	pid := "ln-iv"
	wantObs := []record.Observation{
		{ID: "Observation/cr-1", PatientID: pid, Analyte: units.Creatinine, Value: units.Q(1.1, units.MgPerDL), Time: at("2021-01-10T08:00:00Z"), TimePrecision: record.PrecisionInstant},
		{ID: "Observation/upcr-1", PatientID: pid, Analyte: units.PCR, Value: units.Q(3200, units.MgPerG), Time: at("2021-01-10")},
		{ID: "Observation/acr-lt", PatientID: pid, Analyte: units.ACR, Value: units.Q(26.52, units.MgPerG), Comparator: record.Less, Time: at("2021-01-10")},
		{ID: "Observation/bp-1#8480-6", PatientID: pid, Analyte: units.SystolicBP, Value: units.Q(142, units.MmHg), Time: at("2021-01-10")},
		{ID: "Observation/bp-1#8462-4", PatientID: pid, Analyte: units.DiastolicBP, Value: units.Q(91, units.MmHg), Time: at("2021-01-10")},
		// Observation/egfr-mlmin (62 mL/min under LOINC 33914-3) is not
		// imported: an unindexed value is not an eGFR (trial-cli #1).
	}
	if diff := cmp.Diff(wantObs, b.Observations, ignoreProv, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("observations (-want +got):\n%s", diff)
	}
	// cr-2 has status amended: a correction of whatever is stored under
	// its id (imported as it is when nothing is).
	if len(b.Retractions) != 2 || !b.Retractions[0].IsCorrection() || b.Retractions[0].Target != "Observation/cr-2" ||
		b.Retractions[0].Status != "status amended" || b.Retractions[0].Kind != record.RetractCorrection {
		t.Errorf("retractions %+v; want the correction of Observation/cr-2 (status amended)", b.Retractions)
	} else if diff := cmp.Diff(record.Observation{ID: "Observation/cr-2", PatientID: pid, Analyte: units.Creatinine, Value: units.Q(177.0/88.4, units.MgPerDL),
		Time: at("2021-07-01")}, *b.Retractions[0].Replacement, ignoreProv, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("cr-2's replacement (-want +got):\n%s", diff)
	}
	if p := b.Observations[0].Provenance(); p.ResourceID != "cr-1" || p.Code.Code != "2160-0" || p.Unit != "mg/dL" || p.Value != "1.1" || p.Line != 0 {
		t.Errorf("provenance of cr-1 = %+v", p)
	}
	wantCond := []record.Condition{
		{ID: "Condition/ln", PatientID: pid, Kind: record.LupusNephritis, LNClass: "IV+V", Onset: at("2020-12-20"), Status: "active"},
		{ID: "Condition/ckd4", PatientID: pid, Kind: record.CKD, Stage: "4", Onset: at("2024-02-01")},
	}
	if diff := cmp.Diff(wantCond, b.Conditions, ignoreProv); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]record.Biopsy{{ID: "Procedure/bx-1", PatientID: pid, Time: at("2020-12-28"), Classes: []string{"IV"}}}, b.Biopsies, ignoreProv); diff != "" {
		t.Errorf("biopsies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]record.Replacement{{ID: "Procedure/hd-1", PatientID: pid, Kind: record.Hemodialysis, Start: at("2025-03-01T08:00:00Z"), End: at("2025-03-01T12:00:00Z")}},
		b.Replacements, ignoreProv); diff != "" {
		t.Errorf("replacements (-want +got):\n%s", diff)
	}
	wantTh := []record.Therapy{
		{ID: "Procedure/msc-1", PatientID: pid, Class: record.MSCInfusion, Name: "mesenchymal stem cells", Start: at("2023-05-05"), Status: "completed"},
		{ID: "MedicationRequest/mmf", PatientID: pid, Class: record.Mycophenolate, Name: "mycophenolate", Start: at("2021-01-15"), End: at("2022-01-15"),
			Dose: "1.5 g twice daily", Status: "completed"},
		{ID: "MedicationStatement/rtx", PatientID: pid, Class: record.Rituximab, Name: "rituximab", Start: at("2022-03-01"), End: at("2022-03-15"), Status: "completed"},
		{ID: "MedicationAdministration/mp", PatientID: pid, Class: record.Glucocorticoid, Name: "methylprednisolone", Start: at("2021-01-12T10:00:00Z"),
			End: at("2021-01-12T10:00:00Z"), Dose: "500 mg", Status: "completed"},
	}
	if diff := cmp.Diff(wantTh, b.Therapies, ignoreProv); diff != "" {
		t.Errorf("therapies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]record.Finding{{ID: "Observation/sledai-1", PatientID: pid, Code: record.FindingHematuria, Present: true, Time: at("2021-01-10")}},
		b.Findings, ignoreProv); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	codes := func(l []fhir.CodeCount) []string {
		var out []string
		for _, c := range l {
			out = append(out, c.ResourceType+" "+c.Code+" "+c.Display)
		}
		return out
	}
	wantUnmapped := []string{"Encounter  ", "MedicationRequest  budesonide 0.25 MG/ML Inhalation Suspension", "Observation 2345-7 Glucose"}
	if diff := cmp.Diff(wantUnmapped, codes(res.Unmapped)); diff != "" {
		t.Errorf("unmapped (-want +got):\n%s", diff)
	}
	var skipped []string
	for _, c := range res.Skipped {
		skipped = append(skipped, c.ResourceType+" "+c.Code+": "+c.Reason)
	}
	wantSkipped := []string{
		"Observation 2160-0: status preliminary",
		"Observation 33914-3: " + fhir.EGFRSkipReason,
		"Observation 98979-8: no value: dataAbsentReason error",
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	for _, c := range res.Skipped {
		if c.Code == "33914-3" && c.Example != "Observation/egfr-mlmin: 62 mL/min" {
			t.Errorf("eGFR in mL/min: example %q, want the item and its value as written", c.Example)
		}
	}
}

func TestSearchsetBundle(t *testing.T) {
	res := readFile(t, filepath.Join("testdata", "searchset-bundle.json"))
	if len(res.Rejected) != 0 || res.Read != 3 {
		t.Fatalf("read %d, rejected %v; want 3 read, none rejected", res.Read, res.Rejected)
	}
	obs := res.Batch.Observations
	if len(obs) != 1 || obs[0].PatientID != "kid" || obs[0].Provenance().System != "https://fhir.example.org" {
		t.Errorf("observations = %+v; want one for patient kid from meta.source", obs)
	}
	if len(res.Unmapped) != 1 || res.Unmapped[0].ResourceType != "OperationOutcome" {
		t.Errorf("unmapped = %+v; want the OperationOutcome", res.Unmapped)
	}
}

func TestRejections(t *testing.T) {
	res := readFile(t, filepath.Join("testdata", "rejections.ndjson"))
	type rej struct {
		Line int
		ID   string
		Err  error
	}
	want := []rej{
		{2, "bad-json", fhir.ErrBadJSON},
		{3, "no-unit", fhir.ErrMissingUnit},
		{4, "implausible", fhir.ErrImplausible},
		{5, "future", fhir.ErrFuture},
		{6, "wrong-unit", fhir.ErrWrongUnit},
		{7, "odd-unit", fhir.ErrUnknownUnit},
		{8, "no-subject", fhir.ErrMissing},
		{9, "conditional-ref", fhir.ErrBadReference},
		{10, "no-time", fhir.ErrMissing},
		{11, "bad-date", fhir.ErrBadDate},
		{12, "comparator", fhir.ErrBadComparator},
		{13, "unborn", fhir.ErrFuture},
	}
	var got []rej
	for _, r := range res.Rejected {
		got = append(got, rej{r.Line, r.ID, r.Err})
		if !strings.HasPrefix(r.Error(), r.File+":") {
			t.Errorf("rejection %q does not start with the file", r.Error())
		}
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) || errors.Is(b, a) })); diff != "" {
		t.Errorf("rejections (-want +got):\n%s", diff)
	}
	if res.Read != 14 || len(res.Batch.Patients) != 1 || len(res.Batch.Observations) != 1 || res.Batch.Observations[0].PatientID != "r1" {
		t.Errorf("read %d, kept %d patients and %+v; want 14 read, patient r1 and the good observation",
			res.Read, len(res.Batch.Patients), res.Batch.Observations)
	}
	// The implausible value says what it could have been.
	for _, r := range res.Rejected {
		if r.ID == "implausible" && !strings.Contains(r.Error(), "did you mean 106 umol/L") {
			t.Errorf("implausible rejection %q does not suggest umol/L", r.Error())
		}
	}
}

func TestEmptyAndPrettyPrinted(t *testing.T) {
	r := fhir.Reader{Now: readNow}
	res, err := r.Read("empty", strings.NewReader("  \n"))
	if err != nil || res.Read != 0 {
		t.Errorf("empty file: %v, %+v", err, res)
	}
	pretty := "{\n \"resourceType\": \"Patient\",\n \"id\": \"x\"\n}\n"
	res, err = r.Read("pretty.json", strings.NewReader(pretty))
	if err != nil || len(res.Batch.Patients) != 1 || res.Read != 1 {
		t.Errorf("pretty-printed resource: %v, %+v", err, res)
	}
	// A long NDJSON line (over the 64 KB of a default bufio.Scanner).
	long := `{"resourceType":"Patient","id":"long","gender":"female","text":{"div":"` + strings.Repeat("x", 200_000) + `"}}` + "\n"
	res, err = r.Read("long.ndjson", strings.NewReader(long+long))
	if err != nil || len(res.Batch.Patients) != 2 {
		t.Errorf("long lines: %v, %d patients", err, len(res.Batch.Patients))
	}
}

// kidneyWord marks a display as kidney-relevant for the review of unmapped
// codes (word starts, so that epinephrine and adrenal do not count).
var kidneyWord = regexp.MustCompile(`(?i)\b(kidney|renal|nephr|dialysis|glomerul|creatinine|proteinuria|microalbumin|albuminuria|lupus|egfr|cystatin|` +
	`lisinopril|captopril|\w*pril\b|\w*sartan\b|\w*gliflozin\b|tacrolimus|epoetin|transplant|mycophenol|cyclophosphamide|rituximab|prednis)`)

func TestSharedData(t *testing.T) {
	files := sharedFiles(t)
	var total, rejected, obs, deceased, loincUnit, egfrMLMin int
	for _, f := range files {
		res := readFile(t, f)
		total += res.Read
		for _, p := range res.Batch.Patients {
			if p.Deceased {
				deceased++
			}
			// Review 2 item 7: this patient died in 1985 and was reported
			// as 104 years old with current alerts.
			if p.ID == "3e26303e-a72a-4c60-866f-e5b81a9f1989" && (!p.Deceased || !p.DeceasedDate.Equal(at("1985-01-28T22:39:41Z"))) {
				t.Errorf("patient 3e26303e: deceased %v on %s, want deceased on 1985-01-28T22:39:41Z", p.Deceased, p.DeceasedDate)
			}
		}
		rejected += len(res.Rejected)
		obs += len(res.Batch.Observations)
		for _, n := range res.Skipped {
			if n.Reason == fhir.EGFRSkipReason {
				egfrMLMin += n.Count
			}
		}
		for _, n := range res.Notes {
			if strings.HasPrefix(n.Reason, fhir.UnitFromLOINC) {
				loincUnit += n.Count
			}
		}
		for _, u := range res.Unmapped {
			if kidneyWord.MatchString(u.Display) {
				t.Errorf("%s: kidney-relevant code unmapped: %+v", filepath.Base(f), u)
			}
		}
		for _, r := range res.Rejected {
			t.Errorf("unexpected rejection: %v", r)
		}
	}
	// Figures from the data's README and from counting its lines.
	if total != 21061 {
		t.Errorf("resources read = %d, want 21061 (every line but the export log)", total)
	}
	// Issue 7 item 14: the 686 blood pressure components Synthea wrote
	// without a unit (343 panels) were rejected; LOINC 8480-6 and 8462-4
	// define their unit, so they are stored as mm[Hg] with a note.
	if rejected != 0 || loincUnit != 686 {
		t.Errorf("rejected = %d, unit from LOINC = %d; want 0 and 686 (343 BP panels, both components without a unit)", rejected, loincUnit)
	}
	if deceased != 98 {
		t.Errorf("deceased patients = %d, want 98 (lines with deceasedDateTime: 95 + 3)", deceased)
	}
	// Trial-cli #1: the 823 eGFR values Synthea wrote in mL/min (LOINC
	// 33914-3 is per 1.73 m²) are not imported; they were relabelled
	// mL/min/1.73 m² and staged before.
	if egfrMLMin != 823 {
		t.Errorf("eGFR in mL/min skipped = %d, want 823", egfrMLMin)
	}
	if obs != 13517-823 {
		t.Errorf("observations = %d, want 12694 (8051 single values and 2733 panels × 2, less 823 eGFR in mL/min)", obs)
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"transaction-bundle.json", "searchset-bundle.json", "rejections.ndjson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle"}}]}`))
	f.Add([]byte(`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"subject":{"reference":"Patient/a"},"effectiveDateTime":"2020","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":1e308,"unit":"mm[Hg]"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := fhir.Reader{Now: readNow, System: "fuzz"}
		res, err := r.Read("fuzz", strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("Read returned an error for in-memory input: %v", err)
		}
		for _, o := range res.Batch.Observations {
			if o.Value.Unit != o.Analyte.Canonical() || o.ID == "" || o.PatientID == "" || o.Time.After(readNow) {
				t.Errorf("kept a bad observation: %+v", o)
			}
			if _, err := o.Analyte.Normalize("", o.Value); err != nil {
				t.Errorf("kept an implausible observation: %v", err)
			}
		}
	})
}
