package assess

import (
	"strings"
	"testing"
	"time"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// TestBoundCategory: a ratio reported only as a bound classifies when every
// value it allows lies in one KDIGO category. Thresholds: KDIGO 2012 Table 6
// (ACR A1 < 3 mg/mmol, < 30 mg/g; A3 > 30 mg/mmol, KDIGO 2024 >= 30) and
// Table 7 (PCR A1 < 15 mg/mmol, < 150 mg/g; A3 >= 50 mg/mmol, >= 500 mg/g).
func TestBoundCategory(t *testing.T) {
	for _, tt := range []struct {
		cat  func(units.Quantity) (ckd.A, error)
		cmp  record.Comparator
		q    units.Quantity
		want string // "" when the bound spans categories
	}{
		{ckd.ACategory, record.Less, units.Q(3, units.MgPerMmol), "A1"}, // trial-cli #3
		{ckd.ACategory, record.Less, units.Q(30, units.MgPerG), "A1"},
		{ckd.ACategory, record.LessOrEqual, units.Q(3, units.MgPerMmol), ""}, // 3 is A2
		{ckd.ACategory, record.LessOrEqual, units.Q(2.9, units.MgPerMmol), "A1"},
		{ckd.ACategory, record.Less, units.Q(3.1, units.MgPerMmol), ""},
		{ckd.ACategory, record.Less, units.Q(30, units.MgPerMmol), ""}, // A1 or A2
		{ckd.ACategory, record.Greater, units.Q(30, units.MgPerMmol), "A3"},
		{ckd.ACategory, record.GreaterOrEqual, units.Q(300, units.MgPerG), "A3"},
		{ckd.ACategory, record.Greater, units.Q(29.9, units.MgPerMmol), ""},
		{ckd.ACategory, record.Greater, units.Q(3, units.MgPerMmol), ""},
		{ckd.ACategoryFromPCR, record.Less, units.Q(15, units.MgPerMmol), "A1"},
		{ckd.ACategoryFromPCR, record.Less, units.Q(150, units.MgPerG), "A1"},
		{ckd.ACategoryFromPCR, record.Less, units.Q(0.15, units.GPerG), "A1"},
		{ckd.ACategoryFromPCR, record.Less, units.Q(50, units.MgPerMmol), ""},
		{ckd.ACategoryFromPCR, record.GreaterOrEqual, units.Q(500, units.MgPerG), "A3"},
		{ckd.ACategoryFromPCR, record.Exact, units.Q(500, units.MgPerG), ""},
	} {
		c, ok := boundCategory(tt.cat, tt.cmp, tt.q)
		got := ""
		if ok {
			got = c.String()
		}
		if got != tt.want {
			t.Errorf("%s%v: %q, want %q", tt.cmp, tt.q, got, tt.want)
		}
	}
}

// TestLegacyEGFRInMLPerMin: a store imported before the fix of trial-cli #1
// holds an eGFR written in mL/min (LOINC 33914-3, 25 mL/min) relabelled as
// mL/min/1.73 m². It is not used as an eGFR: no G4, no ckd-g4 alert.
func TestLegacyEGFRInMLPerMin(t *testing.T) {
	day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	p := record.Patient{ID: "eu2", BirthDate: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), Sex: record.Male}
	o := record.Observation{ID: "Observation/f1", PatientID: "eu2", Analyte: units.EGFR, Value: units.Q(25, units.MLPerMinBSA), Time: day,
		Notes: []string{"unit mL/min contradicts the LOINC code (per 1.73 m2): value kept as reported, as mL/min/{1.73_m2}"}}
	o.SetProvenance(record.Provenance{System: "x", ResourceType: "Observation", ResourceID: "f1", Code: record.Coding{System: "http://loinc.org", Code: "33914-3"}, Unit: "mL/min", Value: "25"})
	out := Assess(record.NewTimeline(p, record.Batch{Patients: []record.Patient{p}, Observations: []record.Observation{o}}), day.AddDate(0, 1, 0), DefaultConfig())
	if out.Kidney.EGFR != nil || out.Kidney.Stage.G != nil {
		t.Errorf("eGFR %+v, G %v: the mL/min value was used as an eGFR", out.Kidney.EGFR, out.Kidney.Stage.G)
	}
	found := false
	for _, m := range out.Missing {
		if m.Path == "kidney.egfr" && strings.Contains(m.Reason, "reported in mL/min, not mL/min/1.73 m²") {
			found = true
		}
	}
	if !found {
		t.Errorf("missing %+v does not say why the laboratory eGFR was not used", out.Missing)
	}
}

// TestSteadyState: the stage and KFRE are marked "creatinine not in steady
// state" when the latest eGFR is 35% or more below the highest eGFR of the 3
// calendar months before it (KDIGO 2012 AKI guideline Table 11, AKD), not for
// a slower fall or a rise (trial-cli #4).
func TestSteadyState(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	p := record.Patient{ID: "k1", BirthDate: d("1960-01-01"), Sex: record.Male}
	run := func(asOf string, crs ...any) Assessment {
		var obs []record.Observation
		for i := 0; i < len(crs); i += 2 {
			obs = append(obs, record.Observation{ID: "c" + crs[i].(string), PatientID: "k1", Analyte: units.Creatinine, Value: units.Q(crs[i+1].(float64), units.MgPerDL), Time: d(crs[i].(string))})
		}
		return Assess(record.NewTimeline(p, record.Batch{Patients: []record.Patient{p}, Observations: obs}), d(asOf), DefaultConfig())
	}
	for _, tt := range []struct {
		name, asOf string
		crs        []any
		want       bool
	}{
		// The trial's k1: 1.6, 2.0, 4.5 mg/dL; eGFR 36 on 08-01 to 14 on
		// 11-01, exactly 3 calendar months: -62%.
		{"trial k1", "2026-11-05", []any{"2026-05-01", 1.6, "2026-08-01", 2.0, "2026-11-01", 4.5}, true},
		// The same fall one day more than 3 calendar months apart.
		{"fall over 3 months and a day", "2026-11-05", []any{"2026-07-31", 2.0, "2026-11-01", 4.5}, false},
		// A slower fall: about -21% over 8 months is progression.
		{"slow fall", "2024-06-01", []any{"2023-09-10", 2.3, "2024-05-10", 2.75}, false},
		// A fast rise of eGFR (creatinine 4.5 to 2.0) is recovery.
		{"rise", "2026-11-05", []any{"2026-08-01", 4.5, "2026-11-01", 2.0}, false},
	} {
		a := run(tt.asOf, tt.crs...)
		got := len(a.Kidney.Stage.Warnings) > 0
		if got != tt.want {
			t.Errorf("%s: stage warnings %q, want flagged %v", tt.name, a.Kidney.Stage.Warnings, tt.want)
		}
		if k := a.Kidney.KFRE; k != nil && tt.want {
			found := false
			for _, w := range k.Warnings {
				found = found || strings.HasPrefix(w, "creatinine not in steady state")
			}
			if !found {
				t.Errorf("%s: KFRE warnings %q lack the steady-state caveat", tt.name, k.Warnings)
			}
		}
		for _, al := range a.Alerts {
			if al.Code == AlertKFRE2yKRTPlanning && (al.Severity == Critical) == tt.want {
				t.Errorf("%s: %s severity %s", tt.name, al.Code, al.Severity)
			}
		}
	}
}
