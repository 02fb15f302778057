package main

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"renalwatch/ckd"
)

// TestEGFRUnder2NoCategory is trial 8 F2: the calculator gave a child of
// 1.5 years "KDIGO category G3a" where the report, for the same child,
// prints no G category (KDIGO 2024 CKD guideline: the GFR categories apply
// from 2 years of age; ckd.GCategoryMinAge). The calculator now agrees,
// with the report's reason (ckd.GCategoryUnder2); from 2 years the
// category is given.
func TestEGFRUnder2NoCategory(t *testing.T) {
	args := line("egfr --creatinine 0.6mg/dL --height 80cm --age 1.5 --sex male")
	code, out, errs := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "G3a") || !strings.Contains(out, "no KDIGO G category, age 1.5 years: "+ckd.GCategoryUnder2) {
		t.Errorf("text: want no G category with the report's reason:\n%s", out)
	}
	code, out, errs = runCmd(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("--json exit %d: %s", code, errs)
	}
	var j map[string]any
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if c, ok := j["category"]; !ok || c != nil {
		t.Errorf(`"category" = %v (present %v), want null`, c, ok)
	}
	if why, _ := j["category_not_applicable"].(string); why != "age 1.5 years: "+ckd.GCategoryUnder2 {
		t.Errorf("category_not_applicable = %q", why)
	}
	// 2 years: the categories apply (KDIGO 2024), CKiD U25 0.6 mg/dL 90 cm.
	code, out, _ = runCmd(t, line("egfr --creatinine 0.6mg/dL --height 90cm --age 2 --sex male --json")...)
	if code != 0 || !strings.Contains(out, `"category": "G3a"`) || strings.Contains(out, "category_not_applicable") {
		t.Errorf("age 2: exit %d, want category G3a and no category_not_applicable:\n%s", code, out)
	}
}

// TestEGFRTableUnder2NoCategory: "egfr --in" leaves egfr_category empty
// under 2 years and says why in warnings (trial 8 F2).
func TestEGFRTableUnder2NoCategory(t *testing.T) {
	code, recs, errs := runTable(t, "id,creatinine_mg_dl,height_cm,age,sex\np1,0.6,80,1.5,male\np2,0.6,90,2,male\n", "egfr", "--equation", "ckid-u25")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if r := recs[1]; r[col["egfr_category"]] != "" || !strings.Contains(r[col["warnings"]], "no KDIGO G category, age 1.5 years: "+ckd.GCategoryUnder2) {
		t.Errorf("1.5 years: category %q, warnings %q", r[col["egfr_category"]], r[col["warnings"]])
	}
	if r := recs[2]; r[col["egfr_category"]] != "G3a" || r[col["warnings"]] != "" {
		t.Errorf("2 years: category %q, warnings %q; want G3a", r[col["egfr_category"]], r[col["warnings"]])
	}
}

// TestStageAge: stage takes an optional --age. Under 2 years there is no G
// category and no risk (g_not_applicable, the report's field and words;
// a note in the risk's place says why),
// and the A category carries the report's a_note; without --age an eGFR is
// staged as of a person 2 years or older and a note says so; an age out of
// range is refused naming the flag.
func TestStageAge(t *testing.T) {
	code, out, errs := runCmd(t, line("stage --egfr 48 --acr 35mg/mmol --age 1.5 --json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res["a"] != "A3" || res["g_not_applicable"] != "age 1.5 years: "+ckd.GCategoryUnder2 || res["a_note"] != "age 1.5 years: "+ckd.ACategoryUnder2 {
		t.Errorf("under 2: %v", res)
	}
	if strings.Contains(out, `"g"`) || strings.Contains(out, `"risk"`) || strings.Contains(out, noteNoRisk) {
		t.Errorf("under 2: a g field or the 'risk needs an eGFR' note:\n%s", out)
	}
	// Trial 9 F-d: no risk and no word why; the risk's place now says it
	// (the heat map needs a G category), in JSON and text.
	if !strings.Contains(out, noteNoRiskUnder2) {
		t.Errorf("under 2: no note why there is no risk:\n%s", out)
	}
	if _, text, _ := runCmd(t, line("stage --egfr 42 --acr 35mg/mmol --age 1")...); !strings.Contains(text, "Note: "+noteNoRiskUnder2+"\n") {
		t.Errorf("under 2, text: no note why there is no risk:\n%s", text)
	}
	code, out, _ = runCmd(t, line("stage --egfr 48 --acr 35mg/mmol")...)
	if code != 0 || !strings.Contains(out, "G3a") || !strings.Contains(out, noteNoAge) {
		t.Errorf("no age: exit %d, want G3a and the no-age note:\n%s", code, out)
	}
	code, out, _ = runCmd(t, line("stage --egfr 48 --acr 35mg/mmol --age 2")...)
	if code != 0 || !strings.Contains(out, "G3a") || strings.Contains(out, noteNoAge) || strings.Contains(out, "caveat") {
		t.Errorf("age 2: exit %d, want G3a, no notes on age:\n%s", code, out)
	}
	if code, _, errs := runCmd(t, line("stage --egfr 48 --age 121")...); code != 2 || !strings.Contains(errs, "--age 121 is out of range") {
		t.Errorf("age 121: exit %d, %q", code, errs)
	}
}

// TestStageTableAge: "stage --in" reads an optional age column (as "egfr
// --in" writes it through), with the single calculator's rule.
func TestStageTableAge(t *testing.T) {
	code, recs, errs := runTable(t, "id,egfr,acr_mg_mmol,age\np1,48,35,1.5\np2,48,35,2\np3,48,35,\n", "stage")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// columns: id,egfr,acr_mg_mmol,age,g_category,a_category,a_source,kdigo_risk,notes,error
	if r := recs[1]; r[4] != "" || r[5] != "A3" || r[7] != "" || !strings.Contains(r[8], "no KDIGO G category, age 1.5 years: "+ckd.GCategoryUnder2) || !strings.Contains(r[8], ckd.ACategoryUnder2) || strings.Contains(r[8], noteNoRisk) || !strings.Contains(r[8], noteNoRiskUnder2) {
		t.Errorf("1.5 years: %q", r)
	}
	if r := recs[2]; r[4] != "G3a" || r[7] != "very high" || strings.Contains(r[8], "2 years") {
		t.Errorf("2 years: %q", r)
	}
	if r := recs[3]; r[4] != "G3a" || !strings.Contains(r[8], noteNoAge) {
		t.Errorf("no age: %q", r)
	}
}

// TestServeCalcUnder2: POST /api/calc/egfr and /api/calc/stage run the CLI's
// code, so they agree with the report under 2 years too (trial 8 F2).
func TestServeCalcUnder2(t *testing.T) {
	h := newServeTest(t)
	for calc, body := range map[string]string{
		"egfr":  `{"creatinine":"0.6mg/dL","height":"80cm","age":1.5,"sex":"male"}`,
		"stage": `{"egfr":48,"acr":"35mg/mmol","age":1.5}`,
	} {
		r := httptest.NewRequest("POST", "/api/calc/"+calc, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 || strings.Contains(w.Body.String(), "G3a") || !strings.Contains(w.Body.String(), "apply from 2 years of age") {
			t.Errorf("%s: status %d, want 200 without a G category:\n%s", calc, w.Code, w.Body)
		}
	}
}
