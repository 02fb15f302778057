package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestErrorMessagesTrial29: error messages name what was given, say where
// --equation all works, and escape a binary file's first bytes.
func TestErrorMessagesTrial29(t *testing.T) {
	code, _, errs := runCmd(t, "convert", "1.2mg/dL", "--to", "umol/L", "--analyte", "acr")
	if code != 2 || strings.Contains(errs, "QUANTITY") || !strings.Contains(errs, "convert: unit mg/dL does not fit acr") {
		t.Errorf("convert wrong unit: exit %d, %q", code, errs)
	}
	code, _, errs = runCmd(t, "egfr", "--creatinine", "106umol/L", "--age", "54", "--sex", "female", "--equation", "all")
	if code != 2 || strings.Contains(errs, "not known") || !strings.Contains(errs, "only with a table (--in FILE)") {
		t.Errorf("egfr --equation all without --in: exit %d, %q", code, errs)
	}
	bin := filepath.Join(t.TempDir(), "garbage.bin")
	raw := []byte{'?', 0xc2, 'q', '=', '^', 0xaa, '9', 0xd1, 0x8f, 0x01, 0x02, 0xff, 0xfe, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'}
	if err := os.WriteFile(bin, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCmd(t, "import", "--db", filepath.Join(t.TempDir(), "rw.db"), bin)
	if code != 2 || !utf8.ValidString(errs) || strings.ContainsRune(errs, 'я') || strings.ContainsRune(errs, 0x01) || !strings.Contains(errs, `\xaa`) {
		t.Errorf("import of a binary file: exit %d, %q; want its bytes escaped", code, errs)
	}
	if strings.Contains(errs, "klm") {
		t.Errorf("import of a binary file quotes more than a few bytes: %q", errs)
	}
}

// TestErrorMessagesTrialCLI22: the trial's inputs and the messages they
// should get (trial-cli #22): the user's path, not a temporary file's;
// "--db"; what a number flag wants; the flag's own example; a percentage
// setting as a percentage; plain words for JSON type errors; the unit as
// typed; the biopsy item named; no UCUM braces; "out of range" for a
// finite number; "criteria"; "age 1 year".
func TestErrorMessagesTrialCLI22(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	pat := filepath.Join(dir, "patients.csv")
	writeFile(t, pat, "patient_id,birth_date,sex\nsx2,1980-01-01,female\nab1,1980-01-01,female\n")
	oo := filepath.Join(dir, "oo.csv")
	writeFile(t, oo, "patient_id,time,analyte,value,unit\nsx2,2024-03-02,upcr,0.5,g/day\n")
	bi := filepath.Join(dir, "bi.csv")
	writeFile(t, bi, "patient_id,date,class,activity,chronicity\nab1,2024-03-03,IV,\"endocapillary_hypercellularity=5\",\n")
	arr := filepath.Join(dir, "arr.ndjson")
	writeFile(t, arr, "{\"resourceType\":\"Patient\",\"id\":\"p7\",\"gender\":\"female\",\"birthDate\":\"1980-01-01\"}\n[1,2]\n")
	in := filepath.Join(dir, "in.csv")
	writeFile(t, in, "creatinine,age,sex\n1.2mg/dL,54,female\n")
	unwritable := filepath.Join(dir, "file", "x.csv") // a path under a file
	writeFile(t, filepath.Join(dir, "file"), "")
	for _, c := range []struct {
		args      []string
		code      int
		want, not string
	}{
		{[]string{"egfr", "--in", in, "--out", unwritable}, 2, "cannot write " + unwritable, ".renalwatch-"},
		{[]string{"import", "--db"}, 2, "flag needs an argument: --db", ": -db"},
		{[]string{"synth", "--seed", "abc"}, 2, `invalid value "abc" for flag --seed: want an integer`, "parse error"},
		{[]string{"config", "--potassium-high", "5.5"}, 2, "for example 5.5mmol/L", "1.2mg/dL"},
		{[]string{"config", "--kfre-5y-referral", "150%"}, 2, "kfre_5y_referral 150% is not a risk: give a percentage above 0% and below 100%", "1.5 is not a probability"},
		{[]string{"import", pat, oo, bi, arr, "--db", db}, 2, "unit g/day does not fit pcr", "g/d "},
		{[]string{"import", pat, bi, "--db", db}, 2, `activity endocapillary_hypercellularity: "5" is not a score 0..3`, `activity: "5"`},
		{[]string{"import", arr, "--db", db}, 2, "arr.ndjson:2: bad JSON: a FHIR resource is a JSON object, this is a JSON array", "fhir.resource"},
		{[]string{"stage", "--egfr", "-1"}, 2, "expected 0 to 300 mL/min/1.73m2", "{1.73_m2}"},
		{[]string{"stage", "--egfr", "1e308"}, 2, `number out of range: "1e308"`, "finite"},
		{[]string{"classify", "--none", "fever"}, 2, "EULAR/ACR 2019 criteria present", "criterions"},
		{[]string{"egfr", "--creatinine", "0.3mg/dL", "--age", "1", "--sex", "male", "--height", "70cm"}, 0, "age 1 year,", "age 1 years"},
	} {
		code, out, errs := runCmd(t, c.args...)
		all := out + errs
		if code != c.code || !strings.Contains(all, c.want) || strings.Contains(all, c.not) {
			t.Errorf("%s: exit %d, want %d, %q and not %q:\n%s", strings.Join(c.args, " "), code, c.code, c.want, c.not, all)
		}
	}
}
