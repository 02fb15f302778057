package assess_test

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/internal/golden"
	"renalwatch/kfre"
	"renalwatch/lupus"
	"renalwatch/units"
)

func codes(a assess.Assessment) []string {
	var out []string
	for _, al := range a.Alerts {
		out = append(out, al.Code)
	}
	slices.Sort(out)
	return out
}

func hasMissing(a assess.Assessment, path string) bool {
	for _, m := range a.Missing {
		if m.Path == path {
			return true
		}
	}
	return false
}

func age(birth, at string) float64 { return day(at).Sub(day(birth)).Hours() / 24 / 365.25 }

// olsSlope is an independent least-squares slope in units per year.
func olsSlope(ts []time.Time, ys []float64) float64 {
	var sx, sy float64
	n := float64(len(ts))
	xs := make([]float64, len(ts))
	for i, t := range ts {
		xs[i] = t.Sub(ts[0]).Hours() / 24 / 365.25
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var num, den float64
	for i := range xs {
		num += (xs[i] - mx) * (ys[i] - my)
		den += (xs[i] - mx) * (xs[i] - mx)
	}
	return num / den
}

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %v, want %v (tolerance %v)", name, got, want, tol)
	}
}

func TestClassIVReachesG4(t *testing.T) {
	b := classIVToG4(t)
	a := assess.Assess(b.timeline(), day("2024-01-01"), assess.DefaultConfig())
	// eGFR: CKD-EPI 2021, creatinine 2.45 mg/dL, woman, age at sample.
	wantEGFR := egfr.CKDEPI2021(2.45, age("1990-03-01", "2023-12-01"), egfr.Female)
	if a.Kidney.EGFR == nil || a.Kidney.EGFR.Equation != "ckd-epi-2021" {
		t.Fatalf("egfr = %+v", a.Kidney.EGFR)
	}
	near(t, "egfr", a.Kidney.EGFR.Value, wantEGFR, 0.005)
	st := a.Kidney.Stage
	if st.G == nil || *st.G != ckd.G4 || st.A == nil || *st.A != ckd.A3 || st.ASource != "pcr" || st.Risk == nil || *st.Risk != ckd.RiskVeryHigh || !st.Persistent {
		t.Errorf("stage = %+v", st)
	}
	// Slope over the 3 years before as_of, against an independent fit.
	var ts []time.Time
	var ys []float64
	for _, p := range a.Kidney.Series.All() {
		if !p.Date.Before(day("2021-01-01")) {
			ts = append(ts, p.Date)
			ys = append(ys, egfr.CKDEPI2021(p.Creatinine.Value, age("1990-03-01", p.Date.Format("2006-01-02")), egfr.Female))
		}
	}
	want := olsSlope(ts, ys)
	if a.Kidney.Slope == nil || a.Kidney.Slope.Points != len(ts) {
		t.Fatalf("slope = %+v, want %d points", a.Kidney.Slope, len(ts))
	}
	near(t, "slope per year", a.Kidney.Slope.PerYear, want, 0.0005)
	if want >= -5 {
		t.Errorf("fixture should decline faster than 5/year, slope %v", want)
	}
	// KFRE from the UPCR through Sumida 2020, against kfre.Predict.
	est, err := ckd.EstimateACR(ckd.PCRInput{PCR: units.Q(1800, units.MgPerG), Sex: ckd.Female})
	if err != nil {
		t.Fatal(err)
	}
	r, err := kfre.Predict(kfre.Input{Age: age("1990-03-01", "2023-12-01"), Sex: ckd.Female, EGFR: wantEGFR, ACR: est.ACR, Region: kfre.NorthAmerica})
	if err != nil {
		t.Fatal(err)
	}
	k := a.Kidney.KFRE
	if k == nil || k.ACRSource != "estimated" || k.Variables != 4 {
		t.Fatalf("kfre = %+v", k)
	}
	near(t, "risk_2y", k.Risk2y, r.Risk2y, 0.00005)
	near(t, "risk_5y", k.Risk5y, r.Risk5y, 0.00005)
	// Lupus.
	if a.Lupus.Biopsy == nil || a.Lupus.Biopsy.Class != "IV" || *a.Lupus.Biopsy.ActivityIndex != 8 || *a.Lupus.Biopsy.ChronicityIndex != 3 {
		t.Errorf("biopsy = %+v", a.Lupus.Biopsy)
	}
	if a.Lupus.SLEDAI == nil || a.Lupus.SLEDAI.Score != 12 || *a.Lupus.SLEDAI.RenalScore != 8 {
		t.Errorf("sledai = %+v (hematuria 4 + proteinuria 4 + low complement 2 + DNA binding 2 = 12)", a.Lupus.SLEDAI)
	}
	var flares []string
	for _, f := range a.Lupus.Flares {
		flares = append(flares, f.Date.Format("2006-01-02")+" "+*f.Severity)
	}
	// The complete response of 2019-10-05 (UPCR 3.8 -> 0.4 g/g) is followed
	// by the flare of 2020-06-01 (0.3 -> 2.4 g/g); judged against that flare
	// (2.4 g/g, creatinine 1.30 mg/dL), 1.0 g/g on 2020-12-01 is a partial
	// response again (KDIGO 2024: >= 50% lower and < 3 g/g, eGFR stable), so
	// the rise of 2022-09-05 is a second relapse.
	if diff := cmp.Diff([]string{"2020-06-01 moderate", "2022-09-05 moderate"}, flares); diff != "" {
		t.Errorf("flares (-want +got):\n%s", diff)
	}
	resp := a.Lupus.Response
	if resp == nil || resp.Response == nil || *resp.Response != lupus.ResponseNone || !resp.Since.Equal(day("2022-09-15")) {
		t.Errorf("response = %+v", resp)
	}
	wantCodes := []string{"active-sediment", "albuminuria-referral", "anemia", "bp-above-target", "ckd-g4", "kfre-2y-multidisciplinary", "kfre-5y-referral", "no-response-6m", "rapid-progression"}
	if diff := cmp.Diff(wantCodes, codes(a)); diff != "" {
		t.Errorf("alert codes (-want +got):\n%s", diff)
	}
	// The first regimen was followed by a complete response at 12 months.
	// Courses of one day are listed by name (trial #10): hydroxychloroquine,
	// then mycophenolate mofetil, both of 2019-01-20.
	if th := a.Therapies[2]; th.Class != "mycophenolate" || th.Effect.Response == nil || *th.Effect.Response.Response != lupus.ResponseComplete {
		t.Errorf("mycophenolate effect = %+v", th.Effect.Response)
	}
	if c := a.Therapies[2].Effect.UPCRChange12m; c == nil || math.Abs(c.Ratio-(0.3-3.8)/3.8) > 0.00005 {
		t.Errorf("mycophenolate UPCR change at 12 months = %+v, want %v", c, (0.3-3.8)/3.8)
	}
	assertGolden(t, "class-iv-g4.json", a)
}

func TestCompleteResponse(t *testing.T) {
	a := assess.Assess(completeResponse(t).timeline(), day("2023-03-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || *r.Response != lupus.ResponseComplete {
		t.Fatalf("response = %+v", r)
	}
	// UPCR kept in the unit of report (mg/mmol), so the KDIGO 50 mg/mmol
	// threshold is applied to 12 mg/mmol as reported.
	if r.UPCR.Unit != units.MgPerMmol || r.UPCR.Value != 12 || r.BaselineUPCR.Value != 226 {
		t.Errorf("UPCR = %v, baseline %v; want 12 and 226 mg/mmol", r.UPCR, r.BaselineUPCR)
	}
	if len(a.Alerts) != 0 {
		t.Errorf("alerts = %v, want none", codes(a))
	}
	st := a.Kidney.Stage
	if *st.G != ckd.G1 || *st.A != ckd.A1 || *st.Risk != ckd.RiskLow || st.Persistent {
		t.Errorf("stage = %+v", st)
	}
	// Creatinine given in umol/L: eGFR from 86 umol/L = 86/88.4 mg/dL.
	near(t, "egfr", a.Kidney.EGFR.Value, egfr.CKDEPI2021(86/88.4, age("1985-07-20", "2023-02-01"), egfr.Male), 0.005)
	if a.Lupus.Biopsy.IndexBasis != "reported totals" || *a.Lupus.Biopsy.ActivityIndex != 6 {
		t.Errorf("biopsy = %+v", a.Lupus.Biopsy)
	}
	assertGolden(t, "complete-response.json", a)
}

func TestChildCKiDU25(t *testing.T) {
	a := assess.Assess(child(t).timeline(), day("2025-06-01"), assess.DefaultConfig())
	if a.Kidney.EGFR.Equation != "ckid-u25" {
		t.Fatalf("equation = %s", a.Kidney.EGFR.Equation)
	}
	near(t, "egfr", a.Kidney.EGFR.Value, egfr.CKiDU25Cr(0.60, 141.5, age("2014-06-01", "2025-05-01"), egfr.Female), 0.005)
	first := a.Kidney.Series.At(0)
	if first.Value != nil || first.Reason == "" {
		t.Errorf("first creatinine has no height in the 180 days before it and must have no eGFR: %+v", first)
	}
	if *a.Kidney.Stage.G != ckd.G2 || a.Kidney.KFRE != nil || !hasMissing(a, "kidney.kfre") {
		t.Errorf("stage %v, kfre %+v", *a.Kidney.Stage.G, a.Kidney.KFRE)
	}
	// Hb 11.4 g/dL at 10 years: below the 11.5 threshold for 5-12 years.
	if diff := cmp.Diff([]string{"anemia"}, codes(a)); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
	if !hasMissing(a, "alerts.bp-above-target") || !hasMissing(a, "lupus.response") {
		t.Errorf("missing = %+v", a.Missing)
	}
	assertGolden(t, "child.json", a)
}

func TestDialysis(t *testing.T) {
	a := assess.Assess(dialysis(t).timeline(), day("2024-01-01"), assess.DefaultConfig())
	if a.Kidney.EGFR != nil || !hasMissing(a, "kidney.egfr") {
		t.Errorf("egfr on dialysis = %+v, want null with a reason", a.Kidney.EGFR)
	}
	st := a.Kidney.Stage
	if *st.G != ckd.G5 || st.Suffix != "D" || a.Kidney.KFRE != nil || a.Kidney.Slope != nil {
		t.Errorf("stage %+v kfre %+v slope %+v", st, a.Kidney.KFRE, a.Kidney.Slope)
	}
	for _, p := range a.Kidney.Series.All() {
		if onHD := !p.Date.Before(day("2023-06-01")); onHD != (p.Value == nil) {
			t.Errorf("%s: value %v, on dialysis %v", p.Date.Format("2006-01-02"), p.Value, onHD)
		}
	}
	if a.Lupus.Applicable {
		t.Error("lupus rules applied to a patient without lupus")
	}
	if diff := cmp.Diff([]string{"anemia", "hyperkalemia", "kidney-replacement"}, codes(a)); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
	if a.Alerts[0].Code != "hyperkalemia" || a.Alerts[0].Severity != assess.Critical {
		t.Errorf("first alert = %+v, want critical hyperkalemia (6.1 >= 6.0)", a.Alerts[0])
	}
	assertGolden(t, "dialysis.json", a)
}

func TestStemCell(t *testing.T) {
	a := assess.Assess(stemCell(t).timeline(), day("2023-04-01"), assess.DefaultConfig())
	var msc *assess.Therapy
	for i := range a.Therapies {
		if a.Therapies[i].Class == "msc_infusion" {
			msc = &a.Therapies[i]
		}
		if a.Therapies[i].Effect.Caveat != assess.LNUncontrolledCaveat { // lupus nephritis: the LN trial figures
			t.Errorf("therapy %s has no caveat", a.Therapies[i].Name)
		}
	}
	if msc == nil || msc.Evidence != assess.Unproven {
		t.Fatalf("msc = %+v", msc)
	}
	if diff := cmp.Diff([]string{"albuminuria-referral", "investigational-therapy"}, codes(a)); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
	// UPCR 2.8 g/g at the infusion, 1.6 at 6 months: -42.86%.
	if c := msc.Effect.UPCRChange6m; c == nil || math.Abs(c.Ratio-(1.6-2.8)/2.8) > 0.00005 {
		t.Errorf("UPCR change at 6 months = %+v", c)
	}
	// The latest "induction" is the infusion; partial response by KDIGO
	// 2024 (1.4 g/g is a 50% fall and < 3 g/g), which says nothing of cause.
	if r := a.Lupus.Response; r == nil || *r.Response != lupus.ResponsePartial {
		t.Errorf("response = %+v", r)
	}
	if msc.Effect.EGFRSlopeBefore == nil || msc.Effect.EGFRSlopeAfter == nil {
		t.Errorf("slopes = %+v / %+v", msc.Effect.EGFRSlopeBefore, msc.Effect.EGFRSlopeAfter)
	}
	assertGolden(t, "stem-cell.json", a)
}

func assertGolden(t *testing.T, name string, a assess.Assessment) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, name, buf.Bytes())
}

// TestAsOfIgnoresLaterData: nothing after as_of changes the assessment.
func TestAsOfIgnoresLaterData(t *testing.T) {
	b := completeResponse(t)
	before := assess.Assess(b.timeline(), day("2022-11-15"), assess.DefaultConfig())
	b.obs(units.Creatinine, "2022-11-16", 3.0, units.MgPerDL).obs(units.PCR, "2022-11-16", 400, units.MgPerMmol)
	after := assess.Assess(b.timeline(), day("2022-11-15"), assess.DefaultConfig())
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("data after as_of changed the assessment:\n%s", diff)
	}
	if r := before.Lupus.Response; r == nil || r.Response == nil || *r.Response != lupus.ResponseComplete {
		t.Errorf("response at 9 months (UPCR 22 mg/mmol) = %+v, want complete", r)
	}
	early := assess.Assess(b.timeline(), day("2022-07-15"), assess.DefaultConfig())
	if r := early.Lupus.Response; r == nil || *r.Response != "too early" {
		t.Errorf("response at 5.5 months = %+v, want too early", r)
	}
}

func TestJSONPaths(t *testing.T) {
	a := assess.Assess(classIVToG4(t).timeline(), day("2024-01-01"), assess.DefaultConfig())
	raw, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, path := range [][]string{
		{"patient"}, {"as_of"}, {"missing"},
		{"kidney", "egfr", "value"}, {"kidney", "egfr", "equation"}, {"kidney", "egfr", "date"},
		{"kidney", "stage", "g"}, {"kidney", "stage", "a"}, {"kidney", "stage", "risk"}, {"kidney", "stage", "persistent"},
		{"kidney", "slope", "per_year"}, {"kidney", "slope", "ci95"}, {"kidney", "slope", "points"},
		{"kidney", "kfre", "variables"}, {"kidney", "kfre", "risk_2y"}, {"kidney", "kfre", "risk_5y"}, {"kidney", "kfre", "acr_source"},
		{"lupus", "sledai", "score"}, {"lupus", "sledai", "date"},
		{"lupus", "biopsy", "class"}, {"lupus", "biopsy", "activity_index"}, {"lupus", "biopsy", "chronicity_index"}, {"lupus", "biopsy", "date"},
		{"lupus", "response", "rule"}, {"lupus", "response", "response"}, {"lupus", "response", "since"}, {"lupus", "response", "months"},
	} {
		var cur any = m
		for _, p := range path {
			obj, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %s", path, p)
			}
			if cur, ok = obj[p]; !ok {
				t.Errorf("path %v missing", path)
				break
			}
		}
	}
	arr := func(name string, fields ...string) {
		list, _ := m[name].([]any)
		if name == "flares" {
			list, _ = m["lupus"].(map[string]any)["flares"].([]any)
		}
		if len(list) == 0 {
			t.Fatalf("%s is empty", name)
		}
		for _, f := range fields {
			if _, ok := list[0].(map[string]any)[f]; !ok {
				t.Errorf("%s[].%s missing", name, f)
			}
		}
	}
	arr("flares", "date", "rule", "severity", "type")
	arr("alerts", "code", "severity", "message", "source")
	arr("therapies", "name", "class", "evidence", "start", "end", "effect")
	eff := m["therapies"].([]any)[0].(map[string]any)["effect"].(map[string]any)
	for _, f := range []string{"egfr_slope_before", "egfr_slope_after", "upcr_change_6m", "upcr_change_12m", "response", "caveat"} {
		if _, ok := eff[f]; !ok {
			t.Errorf("therapies[].effect.%s missing", f)
		}
	}
}
