package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"renalwatch/demo"
	"renalwatch/internal/golden"
)

// The demonstration patients are the hand-written FHIR Bundles of
// demo/data (synthetic; see demo/data/README.md). These tests run them end
// to end: FHIR file -> import -> SQLite -> assess -> report.

// demoAsOf is the fixed date the golden reports are assessed at; demoNow is
// the clock of the import (after the last date in the data).
const demoAsOf = "2026-10-15"

func demoNow(t *testing.T) {
	t.Helper()
	old := now
	now = func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = old })
}

// demoReport holds the fields of "report --json" the outcome checks read.
type demoReport struct {
	Kidney struct {
		EGFR *struct {
			Value    float64 `json:"value"`
			Equation string  `json:"equation"`
		} `json:"egfr"`
		Series []struct {
			Value    *float64        `json:"value"`
			Equation string          `json:"equation"`
			Height   json.RawMessage `json:"height"`
			Reason   string          `json:"reason"`
		} `json:"egfr_series"`
		Stage struct {
			G      *string `json:"g"`
			Suffix string  `json:"suffix"`
			A      *string `json:"a"`
		} `json:"stage"`
		KFRE *struct {
			Risk2y    float64 `json:"risk_2y"`
			Risk5y    float64 `json:"risk_5y"`
			ACRSource string  `json:"acr_source"`
		} `json:"kfre"`
		Replacement []struct {
			Kind   string `json:"kind"`
			Events int    `json:"events"`
		} `json:"replacement"`
	} `json:"kidney"`
	Lupus struct {
		Biopsy *struct {
			Class           string `json:"class"`
			ActivityIndex   *int   `json:"activity_index"`
			ChronicityIndex *int   `json:"chronicity_index"`
			IndexBasis      string `json:"index_basis"`
		} `json:"biopsy"`
		Response *struct {
			Response  *string  `json:"response"`
			Months    float64  `json:"months"`
			Therapies []string `json:"therapies"`
		} `json:"response"`
		Flares []struct {
			Severity *string `json:"severity"`
		} `json:"flares"`
	} `json:"lupus"`
	Alerts []struct {
		Code     string `json:"code"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
	} `json:"alerts"`
	Therapies []demoTherapy `json:"therapies"`
}

// demoTherapy is one entry of therapies[].
type demoTherapy struct {
	Class    string `json:"class"`
	Evidence string `json:"evidence"`
	Effect   struct {
		EGFRSlopeBefore *struct {
			PerYear float64 `json:"per_year"`
		} `json:"egfr_slope_before"`
		EGFRSlopeAfter *struct {
			PerYear float64 `json:"per_year"`
		} `json:"egfr_slope_after"`
		UPCRChange6m *struct {
			Ratio float64 `json:"ratio"`
		} `json:"upcr_change_6m"`
		UPCRChange12m *struct {
			Ratio float64 `json:"ratio"`
		} `json:"upcr_change_12m"`
		Caveat string `json:"caveat"`
	} `json:"effect"`
}

func (r *demoReport) alerts(code string) int {
	n := 0
	for _, a := range r.Alerts {
		if a.Code == code {
			n++
		}
	}
	return n
}

func (r *demoReport) hasTherapy(class string) bool {
	return slices.ContainsFunc(r.Therapies, func(th demoTherapy) bool {
		return th.Class == class
	})
}

// demoOutcomes are the clinical outcomes each demonstration patient was
// written to show; the golden files hold the rest.
var demoOutcomes = map[string]func(t *testing.T, r *demoReport){
	"ln-class-iv-g4": func(t *testing.T, r *demoReport) {
		if g := r.Kidney.Stage.G; g == nil || *g != "G4" || r.Kidney.EGFR == nil || r.Kidney.EGFR.Value < 15 || r.Kidney.EGFR.Value >= 30 {
			t.Errorf("stage %v, eGFR %+v; want G4 with eGFR 15-29", g, r.Kidney.EGFR)
		}
		if a := r.Kidney.Stage.A; a == nil || *a != "A3" {
			t.Errorf("albuminuria category %v, want A3 (from the UPCR)", a)
		}
		for _, code := range []string{"ckd-g4", "renal-flare", "kfre-5y-referral", "kfre-2y-multidisciplinary", "rapid-progression", "anemia", "bp-above-target", "active-sediment", "no-response-6m"} {
			if r.alerts(code) != 1 {
				t.Errorf("alert %s raised %d times, want once", code, r.alerts(code))
			}
		}
		if k := r.Kidney.KFRE; k == nil || k.ACRSource != "estimated" || k.Risk2y <= 0.10 || k.Risk5y < 0.05 {
			t.Errorf("KFRE %+v; want ACR estimated from the UPCR, 2-year > 10%%, 5-year >= 5%%", k)
		}
		if len(r.Lupus.Flares) != 2 {
			t.Errorf("%d renal flares, want 2 (2022 and 2026)", len(r.Lupus.Flares))
		}
		// The repeat biopsy of 2026: NIH items 2,1,0,1,1,1 (necrosis and
		// crescents count twice) and 2,1,2,2.
		if b := r.Lupus.Biopsy; b == nil || b.Class != "IV" || b.ActivityIndex == nil || *b.ActivityIndex != 7 ||
			b.ChronicityIndex == nil || *b.ChronicityIndex != 7 || b.IndexBasis != "items" {
			t.Errorf("biopsy %+v, want class IV, activity 7 and chronicity 7 from the items", b)
		}
		for _, c := range []string{"glucocorticoid", "mycophenolate", "hydroxychloroquine", "raas_blockade", "cyclophosphamide"} {
			if !r.hasTherapy(c) {
				t.Errorf("no %s therapy", c)
			}
		}
	},
	"ln-complete-response": func(t *testing.T, r *demoReport) {
		rs := r.Lupus.Response
		if rs == nil || rs.Response == nil || *rs.Response != "complete" || rs.Months < 6 || rs.Months > 12 {
			t.Fatalf("response %+v; want complete at 6-12 months", rs)
		}
		if !slices.Equal(rs.Therapies, []string{"glucocorticoid", "mycophenolate", "belimumab"}) {
			t.Errorf("response episode %v, want glucocorticoid + mycophenolate + belimumab", rs.Therapies)
		}
		if b := r.Lupus.Biopsy; b == nil || b.Class != "III+V" || b.ActivityIndex == nil || *b.ActivityIndex != 6 || b.IndexBasis != "reported totals" {
			t.Errorf("biopsy %+v, want class III+V with the reported activity index 6", b)
		}
		if len(r.Alerts) != 0 {
			t.Errorf("alerts %+v, want none", r.Alerts)
		}
	},
	"child-ln": func(t *testing.T, r *demoReport) {
		if e := r.Kidney.EGFR; e == nil || e.Equation != "ckid-u25" {
			t.Fatalf("eGFR %+v, want ckid-u25", e)
		}
		for i, p := range r.Kidney.Series {
			if p.Value == nil || p.Equation != "ckid-u25" || len(p.Height) == 0 {
				t.Errorf("egfr_series[%d] = %+v; want a ckid-u25 value with its height", i, p)
			}
		}
		if r.Kidney.KFRE != nil {
			t.Error("KFRE computed for a child")
		}
		if rs := r.Lupus.Response; rs == nil || rs.Response == nil || *rs.Response != "complete" {
			t.Errorf("response %+v, want complete", rs)
		}
	},
	"dialysis": func(t *testing.T, r *demoReport) {
		if r.alerts("kidney-replacement") != 2 {
			t.Errorf("%d kidney-replacement alerts, want 2 (haemodialysis period, transplant)", r.alerts("kidney-replacement"))
		}
		if g := r.Kidney.Stage.G; g == nil || r.Kidney.Stage.Suffix != "T" {
			t.Errorf("stage %v%s, want suffix T after the transplant", g, r.Kidney.Stage.Suffix)
		}
		kinds := map[string]int{}
		for _, rp := range r.Kidney.Replacement {
			kinds[rp.Kind] = rp.Events
		}
		if kinds["hemodialysis"] != 24 || kinds["kidney_transplant"] != 1 {
			t.Errorf("replacement %+v, want one haemodialysis period of 24 sessions and a transplant", r.Kidney.Replacement)
		}
		onDialysis := 0
		for _, p := range r.Kidney.Series {
			if p.Value == nil && strings.Contains(p.Reason, "dialysis") {
				onDialysis++
			}
		}
		if onDialysis != 3 {
			t.Errorf("%d creatinines without eGFR because taken on dialysis, want 3", onDialysis)
		}
		if r.Kidney.KFRE != nil {
			t.Error("KFRE computed after a transplant")
		}
	},
	"stem-cell": func(t *testing.T, r *demoReport) {
		i := slices.IndexFunc(r.Therapies, func(th demoTherapy) bool {
			return th.Class == "msc_infusion"
		})
		if i < 0 {
			t.Fatal("no msc_infusion therapy")
		}
		th := r.Therapies[i]
		if th.Evidence != "unproven" || !strings.Contains(th.Effect.Caveat, "cannot show that the therapy caused") {
			t.Errorf("MSC evidence %q, caveat %q; want unproven with the uncontrolled caveat", th.Evidence, th.Effect.Caveat)
		}
		e := th.Effect
		if e.UPCRChange6m == nil || e.UPCRChange12m == nil || e.EGFRSlopeBefore == nil || e.EGFRSlopeAfter == nil {
			t.Fatalf("MSC effect %+v; want UPCR at 6 and 12 months and eGFR slopes before and after", e)
		}
		if e.UPCRChange6m.Ratio != -0.25 || e.UPCRChange12m.Ratio > -0.5 {
			t.Errorf("UPCR change %v at 6 months, %v at 12; want -0.25 (3.2 to 2.4 g/g) and at least a halving", e.UPCRChange6m.Ratio, e.UPCRChange12m.Ratio)
		}
		found := false
		for _, a := range r.Alerts {
			if a.Code == "investigational-therapy" && strings.Contains(a.Message, "mesenchymal") && strings.Contains(a.Message, "unproven") {
				found = true
			}
		}
		if !found {
			t.Errorf("no investigational-therapy alert for the MSC infusion: %+v", r.Alerts)
		}
	},
}

// TestDemoReports imports each demonstration Bundle into its own SQLite
// store with "import", then compares "report --as-of 2026-10-15" (text and
// JSON) with the golden files and checks the outcomes it was written for.
func TestDemoReports(t *testing.T) {
	demoNow(t)
	if got := slices.Sorted(func(yield func(string) bool) {
		for id := range demoOutcomes {
			if !yield(id) {
				return
			}
		}
	}); !slices.Equal(got, slices.Sorted(slices.Values(demo.IDs()))) {
		t.Fatalf("outcome checks for %v, demo patients %v", got, demo.IDs())
	}
	for _, id := range demo.IDs() {
		t.Run(id, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "rw.db")
			if code, _, errs := runCmd(t, "import", "--db", db, "../../demo/data/"+id+".json"); code != 0 {
				t.Fatalf("import exit %d: %s", code, errs)
			}
			code, out, errs := runCmd(t, "report", id, "--db", db, "--as-of", demoAsOf)
			if code != 0 {
				t.Fatalf("report exit %d: %s", code, errs)
			}
			golden.Assert(t, "demo/"+id+".txt", []byte(out))
			// The same report in each unit system: the labs, the alert
			// messages and the KFRE's ACR note quote one system (trial #5).
			for _, sys := range []string{"si", "conventional"} {
				code, out, errs = runCmd(t, "report", id, "--db", db, "--as-of", demoAsOf, "--units", sys)
				if code != 0 {
					t.Fatalf("report --units %s exit %d: %s", sys, code, errs)
				}
				golden.Assert(t, "demo/"+id+"."+sys+".txt", []byte(out))
			}
			code, out, errs = runCmd(t, "report", id, "--db", db, "--as-of", demoAsOf, "--json")
			if code != 0 {
				t.Fatalf("report --json exit %d: %s", code, errs)
			}
			golden.Assert(t, "demo/"+id+".json", []byte(out))
			var r demoReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			demoOutcomes[id](t, &r)
		})
	}
}

// TestDemoCommand runs "demo" twice on a new store: the first run imports
// everything, the second changes nothing; both list the five patients.
func TestDemoCommand(t *testing.T) {
	demoNow(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	clean := func(s string) string { return strings.ReplaceAll(s, db, "DB") }
	code, out, errs := runCmd(t, "demo", "--db", db)
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errs)
	}
	golden.Assert(t, "demo/demo.txt", []byte(clean(out)))
	for _, id := range demo.IDs() {
		if !strings.Contains(out, "renalwatch report "+id+" --db "+db+"\n") {
			t.Errorf("demo output does not suggest 'renalwatch report %s --db %s'", id, db)
		}
	}

	code, out, errs = runCmd(t, "demo", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("demo again exit %d: %s", code, errs)
	}
	golden.Assert(t, "demo/demo-again.json", []byte(clean(out)))
	var s demoSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Imported != 0 || s.Unchanged == 0 || len(s.Patients) != len(demo.IDs()) {
		t.Errorf("second run: imported %d, unchanged %d, %d patients; want 0 imported, all unchanged, %d patients",
			s.Imported, s.Unchanged, len(s.Patients), len(demo.IDs()))
	}
	byID := map[string]patientRow{}
	for _, p := range s.Patients {
		byID[p.ID] = p
	}
	if p := byID["ln-class-iv-g4"]; p.Stage == nil || p.Stage.G != "G4" || p.Alerts.Warning == 0 || !slices.Contains(p.Alerts.Codes, "ckd-g4") {
		t.Errorf("ln-class-iv-g4 row %+v: want G4 with warnings including ckd-g4", p)
	}
	if p := byID["dialysis"]; p.Stage == nil || p.Stage.Suffix != "T" || p.Alerts.Info < 2 {
		t.Errorf("dialysis row %+v: want suffix T and the kidney-replacement alerts", p)
	}

	code, out, errs = runCmd(t, "patients", "--db", db, "--as-of", demoAsOf)
	if code != 0 {
		t.Fatalf("patients exit %d: %s", code, errs)
	}
	golden.Assert(t, "demo/patients.txt", []byte(out))
	code, out, errs = runCmd(t, "patients", "--db", db, "--as-of", demoAsOf, "--json")
	if code != 0 {
		t.Fatalf("patients --json exit %d: %s", code, errs)
	}
	golden.Assert(t, "demo/patients.json", []byte(out))

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--db", db, "extra"}, `demo takes no arguments, got "extra"`},
		{[]string{"patients", "--db", db, "--as-of", "2026-13-01"}, `patients: --as-of "2026-13-01" is not a date`},
	} {
		if code, _, errs := runCmd(t, tc.args...); code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
