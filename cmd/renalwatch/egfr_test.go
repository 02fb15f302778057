package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestEGFRGolden runs "renalwatch egfr" in-process and compares exit code,
// stdout and stderr with testdata/egfr/NAME.golden (refresh with -update).
func TestEGFRGolden(t *testing.T) {
	runCommandGolden(t, "egfr", []goldenCase{
		// Results.
		{"default_text", line("--creatinine 1.2mg/dL --age 54 --sex female"), 0},
		{"default_json", line("--creatinine 1.2mg/dL --age 54 --sex female --json"), 0},
		{"umol_text", line("--creatinine 106umol/L --age 54 --sex female"), 0},
		{"rounding_boundary_text", line("--creatinine 1.1mg/dL --age 54 --sex female"), 0},
		{"crcys_json", line("--creatinine 106umol/L --cystatin 1.1mg/L --age 54 --sex female --equation ckd-epi-2021-cys --json"), 0},
		{"cys2012_text", line("--cystatin 1.4mg/L --age 60 --sex male --equation ckd-epi-2012-cys"), 0},
		{"ckdepi2009_black_text", line("--creatinine 1mg/dL --age 70 --sex male --equation ckd-epi-2009 --black"), 0},
		{"mdrd_json", line("--creatinine 1mg/dL --age 50 --sex male --equation mdrd --json"), 0},
		{"mdrd186_text", line("--creatinine 2mg/dL --age 70 --sex female --equation mdrd-186"), 0},
		{"ekfc_child_text", line("--creatinine 0.5mg/dL --age 10 --sex female --equation ekfc"), 0},
		{"ekfccys_sex_json", line("--cystatin 0.8mg/L --age 60 --sex male --equation ekfc-cys --json"), 0},
		{"ckid_avg_json", line("--creatinine 1.9mg/dL --cystatin 1.6mg/L --height 1.6m --age 15 --sex male --equation ckid-u25-avg --json"), 0},
		{"ckid_text", line("--creatinine 1.9mg/dL --height 160cm --age 15 --sex male --equation ckid-u25"), 0},
		// Issue 7 item 15: an impossible estimate from an impossible height warns.
		{"impossible_height_text", line("--creatinine 0.1mg/dL --age 1 --height 260cm --equation ckid-u25 --sex male"), 0},
		{"ckidcys_text", line("--cystatin 1.8mg/L --age 20 --sex female --equation ckid-u25-cys"), 0},
		{"schwartz_sex_text", line("--creatinine 0.6mg/dL --height 140cm --age 10 --sex male --equation schwartz"), 0},
		// An explicitly named adult equation for a child is computed, with
		// the caveat on the headline itself.
		{"adult_child_warning_text", line("--creatinine 1mg/dL --age 15 --sex male --equation ckd-epi-2021"), 0},
		{"adult_infant_warning_text", line("--creatinine 1.2mg/dL --age 2 --sex f --equation ckd-epi-2021"), 0},
		// Without --equation a child gets the report's child equation
		// (ckid-u25, or ckid-u25-cys without a height) or is refused.
		{"child_default_ckid_text", line("--creatinine 0.6mg/dL --height 140cm --age 10 --sex male"), 0},
		{"child_default_ckid_cys_json", line("--cystatin 1mg/L --age 10 --sex male --json"), 0},
		{"err_child_default", line("--creatinine 1.2mg/dL --age 2 --sex f"), 2},
		// Both creatinine and cystatin C without --equation: the report's
		// adult choice, CKD-EPI 2021 creatinine-cystatin C (KDIGO 2024
		// Recommendations 1.1.2.1 and 1.2.2.1), said on the Chosen line;
		// before, refused as "--cystatin is not used by ckd-epi-2021".
		{"crcys_default_text", line("--creatinine 1.0mg/dL --cystatin 1.2mg/L --age 54 --sex female"), 0},
		{"crcys_default_json", line("--creatinine 106umol/L --cystatin 1.1mg/L --age 54 --sex female --json"), 0},
		// Below 18 the report has no combined equation: still refused, naming ckid-u25-avg.
		{"err_child_crcys_default", line("--creatinine 0.6mg/dL --cystatin 1mg/L --height 140cm --age 10 --sex male"), 2},
		// Trial 9 F-c: without the height no equation fits; the error listed
		// "ekfc needs --creatinine, --sex", both given.
		{"err_child_crcys_noheight", line("--creatinine 0.6mg/dL --cystatin 1mg/L --age 10 --sex male"), 2},
		// Trial-cli #13: the inputs given fit EKFC; the error said they fit
		// no paediatric equation and listed EKFC with exactly them.
		{"err_child_default_fits_ekfc", line("--creatinine 1.2mg/dL --age 10 --sex male"), 2},
		{"err_child_default_fits_none", line("--creatinine 1.2mg/dL --age 1.5 --sex male"), 2},
		{"err_child_default_17_9", line("--creatinine 0.6mg/dL --age 17.9 --sex male"), 2},
		{"err_infant_default", line("--creatinine 1.2mg/dL --age 0.5 --sex f"), 2},
		{"cockcroft_text", line("--creatinine 1mg/dL --weight 70kg --age 70 --sex female --equation cockcroft-gault"), 0},
		{"cockcroft_json", line("--creatinine 1mg/dL --weight 70kg --age 70 --sex female --equation cockcroft-gault --json"), 0},
		{"help", line("--help"), 0},
		// Rejected input: exit code 2 and a message naming the flag, the value
		// and what is accepted.
		{"err_missing_age", line("--creatinine 1.2mg/dL --sex female"), 2},
		{"err_missing_creatinine", line("--age 54 --sex female"), 2},
		{"err_missing_sex", line("--creatinine 1.2mg/dL --age 54"), 2},
		{"err_missing_height", line("--creatinine 0.6mg/dL --age 10 --sex male --equation ckid-u25"), 2},
		{"err_missing_weight", line("--creatinine 1mg/dL --age 70 --sex male --equation cockcroft-gault"), 2},
		{"err_missing_cystatin", line("--creatinine 1mg/dL --age 70 --sex male --equation ckd-epi-2021-cys"), 2},
		{"err_extra_cystatin", line("--creatinine 1.2mg/dL --cystatin 1mg/L --age 54 --sex female --equation ckd-epi-2021"), 2},
		{"err_extra_height", line("--creatinine 1.2mg/dL --height 170cm --age 54 --sex female"), 2},
		{"err_extra_creatinine", line("--creatinine 1.2mg/dL --cystatin 1mg/L --age 54 --equation ekfc-cys"), 2},
		{"err_black_2021", line("--creatinine 1.2mg/dL --age 54 --sex female --black"), 2},
		{"err_sex_other", line("--creatinine 1.2mg/dL --age 54 --sex other"), 2},
		{"err_unknown_equation", line("--creatinine 1.2mg/dL --age 54 --sex female --equation ckd-epi"), 2},
		{"err_unit_mg_per_g", line("--creatinine 1.2mg/g --age 54 --sex female"), 2},
		{"err_implausible_106", line("--creatinine 106mg/dL --age 54 --sex female"), 2},
		{"err_no_unit", line("--creatinine 1.2 --age 54 --sex female"), 2},
		{"err_negative_creatinine", line("--creatinine -1mg/dL --age 54 --sex female"), 2},
		{"err_age_121", line("--creatinine 1.2mg/dL --age 121 --sex female"), 2},
		{"err_age_nan", line("--creatinine 1.2mg/dL --age NaN --sex female"), 2},
		{"err_age_negative", line("--creatinine 1.2mg/dL --age -3 --sex female"), 2},
		{"err_age_zero", line("--creatinine 1.2mg/dL --age 0 --sex female"), 2},
		{"err_positional", line("1.2mg/dL --age 54 --sex female"), 2},
		{"err_unknown_flag", line("--creatinine 1.2mg/dL --age 54 --sex female --race black"), 2},
	})
}

// TestEGFRJSONContract checks the JSON fields and their types, and that the
// number is not rounded and the category is assigned on the unrounded value.
func TestEGFRJSONContract(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), strings.Fields("egfr --creatinine 1.1mg/dL --age 54 --sex female --json"), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"equation", "egfr", "unit", "category", "inputs", "warnings"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, stdout.String())
		}
	}
	if len(got) != 6 {
		t.Errorf("JSON has %d fields, want 6: %s", len(got), stdout.String())
	}
	// 142 x (1.1/0.7)^-1.2 x 0.9938^54 x 1.012, computed independently.
	want := 142 * math.Pow(1.1/0.7, -1.2) * math.Pow(0.9938, 54) * 1.012
	if v, _ := got["egfr"].(float64); math.Abs(v-want) > 1e-9 || math.Round(v) != 60 {
		t.Errorf("egfr = %v, want unrounded %v (which a report rounds to 60)", got["egfr"], want)
	}
	if got["category"] != "G3a" || got["unit"] != "mL/min/1.73m2" || got["equation"] != "ckd-epi-2021" {
		t.Errorf("category %v unit %v equation %v; want G3a (unrounded 59.7), mL/min/1.73m2, ckd-epi-2021", got["category"], got["unit"], got["equation"])
	}
	if w, ok := got["warnings"].([]any); !ok || len(w) != 0 {
		t.Errorf("warnings = %#v, want []", got["warnings"])
	}

	stdout.Reset()
	code = run(context.Background(), strings.Fields("egfr --creatinine 1mg/dL --weight 70kg --age 70 --sex female --equation cockcroft-gault --json"), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got = nil
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if c, ok := got["category"]; !ok || c != nil || got["unit"] != "mL/min" {
		t.Errorf("cockcroft-gault category %#v (present %v), unit %v; want null and mL/min", c, ok, got["unit"])
	}
}

// Trial 9 F-c: a child's creatinine, cystatin C, height and sex without
// --equation were refused as "ckid-u25, which needs --creatinine,
// --height, --sex (none not given)", all three given; without the height,
// "ekfc (from 2 years) needs --creatinine, --sex", both given. The rule
// (the equation chosen uses exactly the inputs given) was never said. The
// refusal now says it, and what keeps each equation from the inputs.
func TestEGFRChildRefusalSaysWhy(t *testing.T) {
	for _, c := range []struct {
		args      string
		want, not []string
	}{
		{"--creatinine 0.6mg/dL --cystatin 1.0mg/L --age 10 --sex male --height 140cm",
			[]string{"must use exactly the inputs given", "ckid-u25 does not use the --cystatin given", "use --equation ckid-u25-avg"},
			[]string{"not given"}},
		{"--creatinine 0.6mg/dL --cystatin 1.0mg/L --age 10 --sex male",
			[]string{"must use exactly the inputs given", "ekfc does not use the --cystatin given", "ckid-u25-avg needs --height (not given);",
				"ekfc-cys does not use the --creatinine, --sex given"},
			[]string{"needs --creatinine, --sex"}},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), append([]string{"egfr"}, strings.Fields(c.args)...), &stdout, &stderr); code != 2 {
			t.Errorf("%s: exit %d, want 2", c.args, code)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%s: error lacks %q:\n%s", c.args, w, stderr.String())
			}
		}
		for _, w := range c.not {
			if strings.Contains(stderr.String(), w) {
				t.Errorf("%s: error says %q:\n%s", c.args, w, stderr.String())
			}
		}
	}
}
