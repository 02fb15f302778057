package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A report --fhir Bundle holds no Patient: imported into a store without
// the patient, its eGFRs are all rejected (unknown patient), and the
// summary must not also say they were "kept, listed under Not used"
// (trial 11 F2: "Nothing was imported" beside "Notes on imported items: 5
// … kept"), with or without --strict, in text or --json.
func TestReportBundleUnknownPatientNoKeptNote(t *testing.T) {
	demoNow(t)
	const id = "ln-class-iv-g4"
	_, bundle := demoReportBundle(t, t.TempDir(), id)
	dir := t.TempDir()
	for i, extra := range [][]string{nil, {"--strict"}} {
		db := filepath.Join(dir, "fresh"+string(rune('a'+i))+".db")
		args := append([]string{"import", bundle, "--db", db}, extra...)
		code, sum, _ := runCmd(t, args...)
		if code != 2 || !strings.Contains(sum, "Nothing was imported") || !strings.Contains(sum, "unknown patient: "+id) ||
			strings.Contains(sum, "Notes on imported items") || strings.Contains(sum, "eGFR computed by RenalWatch in an earlier report") {
			t.Errorf("%v: exit %d, summary:\n%s", args, code, sum)
		}
		code, js, _ := runCmd(t, append(args, "--json")...)
		var s struct {
			Notes []json.RawMessage `json:"notes"`
		}
		if err := json.Unmarshal([]byte(js), &s); code != 2 || err != nil || len(s.Notes) != 0 {
			t.Errorf("%v --json: exit %d, %v, notes %s", args, code, err, s.Notes)
		}
	}
}

// bpDoc is a patient (when withPatient) and, for each date, a blood
// pressure panel whose components have no unit (Synthea writes them so;
// stored in mm[Hg] from their LOINC definition, with a note).
func bpDoc(withPatient bool, dates ...string) string {
	var b strings.Builder
	if withPatient {
		b.WriteString(`{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1970-01-01"}` + "\n")
	}
	for i, d := range dates {
		fmt.Fprintf(&b, `{"resourceType":"Observation","id":"bp%d","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55284-4"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"%s","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":74.8,"system":"http://unitsofmeasure.org"}},{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":126.8,"system":"http://unitsofmeasure.org"}}]}`+"\n", i+1, d)
	}
	return b.String()
}

// TestImportNothingStoredNoBPNotes: blood pressure values without a unit
// that were not stored (their patient unknown; a --strict file refused or
// rolled back) are not counted as "stored as mm[Hg]" nor listed under
// "Notes on imported items" beside "Nothing was imported", in text or
// --json: a Synthea Observation file imported without its Patient file
// said both. A value the store rejects in a file whose other values are
// stored is not counted either.
func TestImportNothingStoredNoBPNotes(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	noPatient := filepath.Join(dir, "nopatient.ndjson")
	writeFile(t, noPatient, bpDoc(false, "2019-06-23", "2019-07-23"))
	badCreatinine := `{"resourceType":"Observation","id":"cr","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2019-07-01","valueQuantity":{"value":1.2,"unit":"furlongs"}}` + "\n"
	withBad := filepath.Join(dir, "withbad.ndjson")
	writeFile(t, withBad, bpDoc(true, "2019-06-23")+badCreatinine)
	cases := [][]string{{noPatient}, {noPatient, "--strict"}, {withBad, "--strict"}}
	// The shared Synthea data when it is beside the repository
	// (sharedDataFiles): 686 such values, of patients the store does not
	// hold.
	if f := filepath.Join("..", "..", "..", "shared", "data", "synthea-r4-kidney", "Observation.ndjson"); fileExists(f) {
		cases = append(cases, []string{f})
	}
	for i, args := range cases {
		db := filepath.Join(dir, fmt.Sprint(i, ".db"))
		code, out, _ := runCmd(t, append([]string{"import", "--db", db}, args...)...)
		if code != 2 || !strings.Contains(out, "\nNothing was imported.\n") ||
			strings.Contains(out, "Blood pressure values without a unit") || strings.Contains(out, "Notes on imported items") {
			t.Errorf("%v: exit %d, summary:\n%s", args, code, out)
		}
		code, s := importJSON(t, filepath.Join(dir, fmt.Sprint(i, "j.db")), args...)
		if code != 2 || s.Totals.UnitFromLOINC != 0 || len(s.Notes) != 0 || s.Files[0].UnitFromLOINC != 0 {
			t.Errorf("%v --json: exit %d, unit_from_loinc %d, notes %+v", args, code, s.Totals.UnitFromLOINC, s.Notes)
		}
	}
	// One panel stored, one dated before the patient's birth (rejected
	// by the store): one systolic and one diastolic value are counted.
	partial := filepath.Join(dir, "partial.ndjson")
	writeFile(t, partial, bpDoc(true, "2019-06-23", "1960-01-01"))
	code, out, _ := runCmd(t, "import", partial, "--db", filepath.Join(dir, "partial.db"))
	if code != 2 || !strings.Contains(out, "\nBlood pressure values without a unit in the source: 2, stored as mm[Hg]") ||
		!strings.Contains(out, "\n       1  Observation LOINC|8480-6: unit from LOINC definition") {
		t.Errorf("partial: exit %d, summary:\n%s", code, out)
	}
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
