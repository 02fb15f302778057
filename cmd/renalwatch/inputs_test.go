package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"renalwatch/csvio"
)

// Issue 9 section 3, CLI inputs: eGFR with its unit, kfre --pcr through the
// Sumida 2020 conversion, sex spellings, decimal commas, imperial heights
// and weights, unit errors that list the field's units only.
func TestInputsGolden(t *testing.T) {
	runGolden(t, "inputs", []goldenCase{
		{"stage-egfr-unit", line("stage --egfr 42mL/min/1.73m2 --acr 35mg/mmol"), 0},
		{"stage-egfr-ucum-json", line("stage --egfr 42mL/min/{1.73_m2} --json"), 0},
		{"stage-err-egfr-ml-min", line("stage --egfr 42mL/min"), 2},
		{"stage-err-egfr-mg-dl", line("stage --egfr 42mg/dL"), 2},
		{"stage-err-egfr-decimal-comma", line("stage --egfr 42,5"), 2},
		{"stage-err-acr-unknown-unit", line("stage --acr 30mgg"), 2},
		{"response-egfr-unit", line("response --baseline-upcr 3.2g/g --upcr 0.4g/g --baseline-egfr 72mL/min/1.73m2 --egfr 70 --months 12"), 0},
		{"kfre-egfr-unit-sex-letter", line("kfre --age 72 --sex F --egfr 28mL/min/1.73m2 --acr 800mg/g"), 0},
		{"kfre-pcr-text", line("kfre --age 45 --sex female --egfr 38 --pcr 1.2g/g --diabetes=false --hypertension=true"), 0},
		{"kfre-pcr-json", line("kfre --age 60 --sex male --egfr 25 --pcr 100mg/mmol --diabetes --hypertension=false --region other --json"), 0},
		{"kfre-pcr-8var-text", line("kfre --age 45 --sex female --egfr 38 --pcr 1.2g/g --diabetes=false --hypertension --calcium 9.8mg/dL --phosphate 4.6mg/dL --bicarbonate 22mmol/L --albumin 3.4g/dL"), 0},
		{"kfre-err-pcr-no-answers", line("kfre --age 45 --sex female --egfr 38 --pcr 1.2g/g"), 2},
		{"kfre-err-pcr-one-answer", line("kfre --age 45 --sex female --egfr 38 --pcr 1.2g/g --diabetes=false"), 2},
		{"kfre-err-acr-and-pcr", line("kfre --age 45 --sex female --egfr 38 --acr 300mg/g --pcr 1.2g/g --diabetes=false --hypertension=false"), 2},
		{"kfre-err-pcr-zero", line("kfre --age 45 --sex female --egfr 38 --pcr 0g/g --diabetes=false --hypertension=false"), 2},
		{"kfre-err-pcr-albumin-unit", line("kfre --age 45 --sex female --egfr 38 --pcr 1.2g/L --diabetes=false --hypertension=false"), 2},
		{"kfre-err-sex-unknown", line("kfre --age 72 --sex unknown --egfr 28 --acr 800mg/g"), 2},
		{"egfr-height-feet-inches", line("egfr --creatinine 0.6mg/dL --height 4ft7in --age 10 --sex M --equation ckid-u25"), 0},
		{"egfr-weight-pounds-json", line("egfr --creatinine 1mg/dL --weight 154lb --age 70 --sex f --equation cockcroft-gault --json"), 0},
		{"egfr-err-decimal-comma", line("egfr --creatinine 1,4mg/dL --age 62 --sex female"), 2},
		{"egfr-err-thousands-comma", line("egfr --creatinine 106umol/L --cystatin 1,100mg/L --age 62 --sex female --equation ckd-epi-2021-cys"), 2},
		{"egfr-err-age-decimal-comma", line("egfr --creatinine 1.4mg/dL --age 62,5 --sex female"), 2},
		{"egfr-err-creatinine-unknown-unit", line("egfr --creatinine 1.4mgdl --age 62 --sex female"), 2},
		{"egfr-err-height-no-unit", line("egfr --creatinine 0.6mg/dL --height 55 --age 10 --sex male --equation ckid-u25"), 2},
		{"egfr-err-height-inches-12", line("egfr --creatinine 0.6mg/dL --height 4ft12in --age 10 --sex male --equation ckid-u25"), 2},
		{"egfr-err-weight-pounds-implausible", line("egfr --creatinine 1mg/dL --weight 1200lb --age 70 --sex f --equation cockcroft-gault"), 2},
		{"egfr-err-weight-inches", line("egfr --creatinine 1mg/dL --weight 154in --age 70 --sex f --equation cockcroft-gault"), 2},
		{"egfr-err-sex-unknown", line("egfr --creatinine 1.4mg/dL --age 62 --sex unknown"), 2},
		{"egfr-err-sex-word", line("egfr --creatinine 1.4mg/dL --age 62 --sex woman"), 2},
		{"convert-err-analyte-unit", line("convert 1.2mgdl --to umol/L --analyte creatinine"), 2},
		{"convert-height", line("convert 5ft7in --to cm"), 0},
	})
}

// TestKFREPCRValues checks kfre --pcr against the Sumida 2020 and KFRE
// formulas evaluated independently (python3): PCR 1200 mg/g, female, no
// diabetes, hypertension: ACR exp(5.2659 + 1.1109 ln 2.4 - 0.0773 + 0.1265)
// = 537.892 mg/g; 4-variable North American KFRE at age 45, eGFR 38:
// 5.106% and 15.093%. PCR 100 mg/mmol (884 mg/g), male, diabetes, no
// hypertension: ACR 394.905 mg/g; non-North American, age 60, eGFR 25:
// 11.249% and 37.004%.
func TestKFREPCRValues(t *testing.T) {
	tests := []struct {
		args        string
		acr, r2, r5 float64
		dm, htn     bool
	}{
		{"kfre --age 45 --sex female --egfr 38 --pcr 1.2g/g --diabetes=false --hypertension=true --json", 537.8922, 0.051056, 0.150928, false, true},
		{"kfre --age 60 --sex male --egfr 25 --pcr 100mg/mmol --diabetes --hypertension=false --region other --json", 394.9050, 0.112490, 0.370037, true, false},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, strings.Fields(tt.args)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.args, code, stderr)
		}
		var got struct {
			Variables int
			Risk2y    float64 `json:"risk_2y"`
			Risk5y    float64 `json:"risk_5y"`
			Inputs    struct {
				ACR struct{ Value float64 } `json:"acr"`
			} `json:"inputs"`
			Est struct {
				ACR          struct{ Value float64 } `json:"acr"`
				Estimated    bool                    `json:"estimated"`
				Source       string                  `json:"source"`
				PCR          struct{ Value float64 } `json:"pcr"`
				Diabetes     bool                    `json:"diabetes"`
				Hypertension bool                    `json:"hypertension"`
			} `json:"acr_estimate"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		if got.Variables != 4 {
			t.Errorf("%s: %d-variable model; --pcr answers feed the conversion, the model stays 4-variable", tt.args, got.Variables)
		}
		if math.Abs(got.Inputs.ACR.Value-tt.acr) > 5e-5 || got.Est.ACR.Value != got.Inputs.ACR.Value {
			t.Errorf("%s: ACR %v (estimate %v), want %v", tt.args, got.Inputs.ACR.Value, got.Est.ACR.Value, tt.acr)
		}
		if math.Abs(got.Risk2y-tt.r2) > 5e-7 || math.Abs(got.Risk5y-tt.r5) > 5e-7 {
			t.Errorf("%s: risks %v %v, want %v %v", tt.args, got.Risk2y, got.Risk5y, tt.r2, tt.r5)
		}
		if !got.Est.Estimated || !strings.Contains(got.Est.Source, "Sumida") || got.Est.Diabetes != tt.dm || got.Est.Hypertension != tt.htn {
			t.Errorf("%s: acr_estimate %+v", tt.args, got.Est)
		}
	}
}

// TestHelpCommand: "renalwatch help CMD" prints what "renalwatch CMD --help"
// prints, for every command.
func TestHelpCommand(t *testing.T) {
	for _, c := range commands() {
		code1, out1, err1 := runCmd(t, "help", c.name)
		code2, out2, err2 := runCmd(t, c.name, "--help")
		if code1 != 0 || code1 != code2 || out1 != out2 || err1 != err2 || !strings.Contains(out1, "Usage: renalwatch "+c.name) {
			t.Errorf("help %s: exit %d, stdout %q, stderr %q; %s --help: exit %d, stdout %q, stderr %q", c.name, code1, out1, err1, c.name, code2, out2, err2)
		}
	}
	runGolden(t, "main", []goldenCase{
		{"help-list", line("help"), 0},
		{"help-command", line("help stage"), 0},
		{"help-unknown", line("help frobnicate"), 2},
		{"help-two", line("help egfr kfre"), 2},
	})
}

// TestSexSpellings: the command line reads sex as the CSV and FHIR readers
// do (record.ParseSex): female, male, f, m in any letter case.
func TestSexSpellings(t *testing.T) {
	for _, s := range []string{"female", "Female", "FEMALE", "f", "F", " female "} {
		code, stdout, stderr := runCmd(t, "egfr", "--creatinine", "1.2mg/dL", "--age", "54", "--sex", s)
		if code != 0 || !strings.Contains(stdout, "sex female") {
			t.Errorf("--sex %q: exit %d, %s%s", s, code, stdout, stderr)
		}
	}
	for _, s := range []string{"male", "Male", "m", "M"} {
		code, stdout, stderr := runCmd(t, "kfre", "--age", "72", "--sex", s, "--egfr", "28", "--acr", "800mg/g")
		if code != 0 || !strings.Contains(stdout, ", male, ") {
			t.Errorf("--sex %q: exit %d, %s%s", s, code, stdout, stderr)
		}
	}
	for _, s := range []string{"other", "unknown", "OTHER", "x", "w"} {
		code, _, stderr := runCmd(t, "egfr", "--creatinine", "1.2mg/dL", "--age", "54", "--sex", s)
		if code != 2 || !strings.Contains(stderr, "female or male") {
			t.Errorf("--sex %q: exit %d, %s; want exit 2 asking for female or male", s, code, stderr)
		}
	}
}

// TestSexSpellingsMatchCSV: a spelling the CSV reader stores as female or
// male is one --sex accepts, and the other way round (issue 9: sex
// spellings are the same everywhere). "other" and "unknown" are stored from
// a CSV file, as recorded, and refused by the equations' --sex.
func TestSexSpellingsMatchCSV(t *testing.T) {
	for _, s := range []string{"female", "Female", "F", "f", "male", "MALE", "m", "M", "other", "unknown", "woman", "w", "fem", "1"} {
		res, err := (&csvio.Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}).Read("p.csv", strings.NewReader("patient_id,birth_date,sex\np1,1980-05-17,"+s+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		var csvSex string
		if len(res.Batch.Patients) == 1 {
			csvSex = res.Batch.Patients[0].Sex.String()
		}
		code, stdout, _ := runCmd(t, "kfre", "--age", "72", "--sex", s, "--egfr", "28", "--acr", "800mg/g")
		switch csvSex {
		case "female", "male":
			if code != 0 || !strings.Contains(stdout, ", "+csvSex+", ") {
				t.Errorf("sex %q: CSV reads %s, --sex exits %d: %s", s, csvSex, code, stdout)
			}
		default:
			if code != 2 {
				t.Errorf("sex %q: CSV reads %q, --sex exits %d; want 2", s, csvSex, code)
			}
		}
	}
}
