package assess_test

// Regression tests for issue 7 items 7-11 (kidney). Patients are
// hand-written; expected values come from the equations' and guidelines'
// own definitions, cited at each test.

import (
	"math"
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// coded sets the source code of the last observation added.
func (b *builder) coded(system, code, display string) *builder {
	o := &b.b.Observations[len(b.b.Observations)-1]
	pv := o.Provenance()
	pv.Code = record.Coding{System: system, Code: code, Display: display}
	o.SetProvenance(pv)
	return b
}

func (b *builder) condCoded(k record.ConditionKind, onset, system, code, display string) *builder {
	b.b.Conditions = append(b.b.Conditions, record.Condition{ID: b.id("Condition"), PatientID: b.p.ID, Kind: k, Onset: day(onset),
		Provenance: record.Provenance{Code: record.Coding{System: system, Code: code, Display: display}}})
	return b
}

func allMissing(a assess.Assessment, path string) string {
	var out []string
	for _, m := range a.Missing {
		if m.Path == path {
			out = append(out, m.Reason)
		}
	}
	return strings.Join(out, " | ")
}

func alertOf(a assess.Assessment, code string) *assess.Alert {
	for i := range a.Alerts {
		if a.Alerts[i].Code == code {
			return &a.Alerts[i]
		}
	}
	return nil
}

// TestOneEGFRPerAssessment (item 7): creatinine 1.2 mg/dL alone gives
// CKD-EPI 2021 eGFRcr 71.9 (G2) for a 54-year-old man; with cystatin C
// 1.6 mg/L the same day eGFRcr-cys is 54.5 (G3a; Inker LA et al. NEJM
// 2021;385:1737-49). The report shows 54.5, so the stage is G3a and the
// KFRE is computed from 54.5, not refused as "eGFR 72 is not below 60".
func TestOneEGFRPerAssessment(t *testing.T) {
	b := newPatient(t, "cys-kfre", "1970-01-01", record.Male)
	b.obs(units.Creatinine, "2024-01-01", 1.2, units.MgPerDL).obs(units.CystatinC, "2024-01-01", 1.6, units.MgPerL)
	b.obs(units.ACR, "2024-01-01", 120, units.MgPerG)
	a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	k := a.Kidney
	if k.EGFR == nil || k.EGFR.Equation != "ckd-epi-2021-cys" || math.Abs(k.EGFR.Value-54.5) > 0.1 {
		t.Fatalf("egfr = %+v, want ckd-epi-2021-cys 54.5", k.EGFR)
	}
	if k.Series.At(0).Value == nil || *k.Series.At(0).Value != k.EGFR.Value {
		t.Errorf("series value %v differs from the reported eGFR %v", k.Series.At(0).Value, k.EGFR.Value)
	}
	if k.Stage.G == nil || *k.Stage.G != ckd.G3a || k.Stage.EGFREquation != "ckd-epi-2021-cys" {
		t.Errorf("stage G %v (%s), want G3a from ckd-epi-2021-cys", k.Stage.G, k.Stage.EGFREquation)
	}
	if k.KFRE == nil {
		t.Fatalf("KFRE refused: %s", allMissing(a, "kidney.kfre"))
	}
	if k.KFRE.Inputs.EGFR != k.EGFR.Value || k.KFRE.EGFREquation != "ckd-epi-2021-cys" || !k.KFRE.EGFRDate.Equal(day("2024-01-01")) {
		t.Errorf("KFRE entered eGFR %v by %q of %v, want %v by ckd-epi-2021-cys", k.KFRE.Inputs.EGFR, k.KFRE.EGFREquation, k.KFRE.EGFRDate, k.EGFR.Value)
	}
	// The creatinine-only value stays the slope's: the series point says so.
	if k.Series.At(0).Equation != "ckd-epi-2021-cys" {
		t.Errorf("series equation %q", k.Series.At(0).Equation)
	}
	// Without the cystatin C the same record is G2 and the KFRE is not
	// applicable, naming the equation.
	b2 := newPatient(t, "cr-only", "1970-01-01", record.Male)
	b2.obs(units.Creatinine, "2024-01-01", 1.2, units.MgPerDL).obs(units.ACR, "2024-01-01", 120, units.MgPerG)
	a2 := assess.Assess(b2.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if a2.Kidney.KFRE != nil || !strings.Contains(allMissing(a2, "kidney.kfre"), "(ckd-epi-2021, 2024-01-01) is not below 60") {
		t.Errorf("creatinine-only: kfre %+v, missing %q", a2.Kidney.KFRE, allMissing(a2, "kidney.kfre"))
	}
}

// TestLabReportedEGFR (item 8): a record with only a laboratory eGFR
// (LOINC 33914-3, "... by Creatinine-based formula (MDRD)") gets that
// eGFR, labelled reported, and its stage (41 -> G3b, KDIGO 2012 Table 5).
func TestLabReportedEGFR(t *testing.T) {
	b := newPatient(t, "lab-only", "1960-05-05", record.Female)
	b.obs(units.EGFR, "2023-06-01", 52, units.MLPerMinBSA).coded("http://loinc.org", "33914-3", "eGFR MDRD")
	b.obs(units.EGFR, "2024-01-10", 41, units.MLPerMinBSA).coded("http://loinc.org", "33914-3", "eGFR MDRD")
	a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	e := a.Kidney.EGFR
	if e == nil || e.Equation != "reported" || e.Value != 41 || !e.Date.Equal(day("2024-01-10")) {
		t.Fatalf("egfr = %+v, want reported 41 of 2024-01-10", e)
	}
	if e.Reported == nil || e.Reported.Code != "33914-3" || e.Reported.LabEquation != "MDRD creatinine" || e.Reported.RaceSpecific {
		t.Errorf("reported = %+v", e.Reported)
	}
	if g := a.Kidney.Stage.G; g == nil || *g != ckd.G3b || a.Kidney.Stage.EGFREquation != "reported" {
		t.Errorf("stage %v (%s), want G3b from the reported eGFR", g, a.Kidney.Stage.EGFREquation)
	}
	if a.Kidney.Series.Len() != 0 {
		t.Errorf("series has %d points; it holds creatinine only", a.Kidney.Series.Len())
	}
	// The KFRE (age 63, G3b) is computed from the reported value and says so.
	b.obs(units.ACR, "2024-01-10", 200, units.MgPerG)
	a = assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if k := a.Kidney.KFRE; k == nil || k.Inputs.EGFR != 41 || k.EGFREquation != "reported" {
		t.Errorf("kfre = %+v (missing %q)", k, allMissing(a, "kidney.kfre"))
	}
}

// TestComputedEGFRPreferred (item 8): a creatinine and a laboratory eGFR
// of the same day: the computed eGFR is used. A later laboratory eGFR
// with no creatinine that day is not mixed in (computed preferred when
// both exist in the record); missing names it.
func TestComputedEGFRPreferred(t *testing.T) {
	b := newPatient(t, "both", "1960-05-05", record.Female)
	b.obs(units.Creatinine, "2024-01-10", 1.3, units.MgPerDL)
	b.obs(units.EGFR, "2024-01-10", 44, units.MLPerMinBSA).coded("http://loinc.org", "62238-1", "")
	a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if e := a.Kidney.EGFR; e == nil || e.Equation != "ckd-epi-2021" || e.Reported != nil {
		t.Errorf("same day: egfr = %+v, want the computed ckd-epi-2021", e)
	}
	b.obs(units.EGFR, "2024-01-20", 139, units.MLPerMinBSA).coded("http://loinc.org", "33914-3", "")
	a = assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if e := a.Kidney.EGFR; e == nil || e.Equation != "ckd-epi-2021" || !e.Date.Equal(day("2024-01-10")) {
		t.Errorf("later lab-only day: egfr = %+v, want the computed one of 2024-01-10", e)
	}
	if m := allMissing(a, "kidney.egfr"); !strings.Contains(m, "laboratory eGFR (139 mL/min/1.73 m², LOINC 33914-3) of 2024-01-20 is newer") {
		t.Errorf("missing kidney.egfr = %q", m)
	}
}

// TestLabEGFRRaceSpecificAndBound (item 8): a race-specific legacy code
// (48643-1, MDRD "among blacks") is used with a warning; a bound (">60")
// is not a value.
func TestLabEGFRRaceSpecificAndBound(t *testing.T) {
	b := newPatient(t, "race", "1960-05-05", record.Male)
	b.obs(units.EGFR, "2024-01-10", 48, units.MLPerMinBSA).coded("http://loinc.org", "48643-1", "")
	a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	e := a.Kidney.EGFR
	if e == nil || e.Reported == nil || !e.Reported.RaceSpecific || len(e.Warnings) == 0 || !strings.Contains(e.Warnings[len(e.Warnings)-1], "race-specific") {
		t.Errorf("race-specific: egfr = %+v", e)
	}
	b2 := newPatient(t, "bound", "1960-05-05", record.Male)
	b2.obsCmp(units.EGFR, "2024-01-10", 60, units.MLPerMinBSA, record.Greater).coded("http://loinc.org", "98979-8", "")
	a2 := assess.Assess(b2.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if a2.Kidney.EGFR != nil || !strings.Contains(allMissing(a2, "kidney.egfr"), "reported as a bound (>60") {
		t.Errorf("bound: egfr %+v, missing %q", a2.Kidney.EGFR, allMissing(a2, "kidney.egfr"))
	}
}

// TestAlbuminuriaReferralBoundaries (item 9): KDIGO 2012 rec 5.1.1 refers
// at ACR >= 300 mg/g (>= 30 mg/mmol) or PCR >= 500 mg/g (>= 50 mg/mmol),
// compared in the unit reported. A single value is info; two in a row
// are a consistent finding (warning).
func TestAlbuminuriaReferralBoundaries(t *testing.T) {
	for _, tt := range []struct {
		an   units.Analyte
		v    float64
		u    units.Unit
		want bool
	}{
		{units.ACR, 300, units.MgPerG, true}, {units.ACR, 299.9, units.MgPerG, false},
		{units.ACR, 30, units.MgPerMmol, true}, {units.ACR, 29.9, units.MgPerMmol, false},
		{units.ACR, 0.3, units.GPerG, true}, {units.ACR, 0.299, units.GPerG, false},
		{units.PCR, 500, units.MgPerG, true}, {units.PCR, 499, units.MgPerG, false},
		{units.PCR, 50, units.MgPerMmol, true}, {units.PCR, 49.9, units.MgPerMmol, false},
		{units.PCR, 0.5, units.GPerG, true}, {units.PCR, 0.49, units.GPerG, false},
	} {
		b := newPatient(t, "alb", "1970-01-01", record.Female)
		b.obs(tt.an, "2024-01-10", tt.v, tt.u)
		a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
		al := alertOf(a, assess.AlertAlbuminuriaReferral)
		if (al != nil) != tt.want {
			t.Errorf("%s %v %s: alert %+v, want %v", tt.an, tt.v, tt.u, al, tt.want)
			continue
		}
		if al != nil && (al.Severity != assess.Info || !strings.Contains(al.Source, "rec 5.1.1")) {
			t.Errorf("%s %v %s: single value %+v, want info citing rec 5.1.1", tt.an, tt.v, tt.u, al)
		}
	}
	b := newPatient(t, "alb2", "1970-01-01", record.Female)
	b.series(units.ACR, units.MgPerMmol, "2023-10-01", 35.0, "2024-01-10", 31.0)
	a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if al := alertOf(a, assess.AlertAlbuminuriaReferral); al == nil || al.Severity != assess.Warning {
		t.Errorf("two values >= 30 mg/mmol: %+v, want a warning", al)
	}
	// With lupus nephritis the patient is under specialist care: info.
	b.cond(record.LupusNephritis, "2020-01-01", "IV")
	a = assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if al := alertOf(a, assess.AlertAlbuminuriaReferral); al == nil || al.Severity != assess.Info {
		t.Errorf("lupus nephritis: %+v, want info", al)
	}
}

// TestSumidaUsesRecordedConditions (item 10): with type 2 diabetes
// (SNOMED 44054006) and hypertension (38341003) recorded, the Sumida
// estimate takes both terms (exp(0.0797 + 0.1265) = 1.229 times the
// estimate without them; Sumida K et al. Ann Intern Med 2020;173:426-435)
// and the note names the diagnoses found.
func TestSumidaUsesRecordedConditions(t *testing.T) {
	mk := func(withConditions bool) assess.Assessment {
		b := newPatient(t, "sumida", "1965-01-01", record.Male)
		b.obs(units.Creatinine, "2024-01-10", 2.0, units.MgPerDL).obs(units.PCR, "2024-01-10", 150, units.MgPerG)
		if withConditions {
			b.condCoded(record.Diabetes, "2010-01-01", "http://snomed.info/sct", "44054006", "Diabetes mellitus type 2")
			b.condCoded(record.Hypertension, "2012-01-01", "http://snomed.info/sct", "38341003", "Hypertension")
		}
		return assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	}
	without, with := mk(false), mk(true)
	if without.Kidney.KFRE == nil || with.Kidney.KFRE == nil {
		t.Fatalf("kfre not computed: %q", allMissing(with, "kidney.kfre"))
	}
	ratio := with.Kidney.KFRE.Inputs.ACR.Value / without.Kidney.KFRE.Inputs.ACR.Value
	if math.Abs(ratio-math.Exp(0.0797+0.1265)) > 0.01 {
		t.Errorf("ACR with/without diabetes and hypertension = %.4f, want %.4f", ratio, math.Exp(0.0797+0.1265))
	}
	// PCR 150 mg/g, man, neither condition: about 29 mg/g (kidney.md sanity value of Sumida).
	if v := without.Kidney.KFRE.ACR.Value; math.Abs(v-29) > 1 {
		t.Errorf("ACR from PCR 150 = %v, want about 29", v)
	}
	note := with.Kidney.KFRE.ACRNote
	if !strings.Contains(note, "diabetes recorded: Diabetes mellitus type 2 (http://snomed.info/sct|44054006") || !strings.Contains(note, "hypertension recorded: Hypertension") {
		t.Errorf("note %q does not name the diagnoses found", note)
	}
	if got := with.Patient.Comorbidities; len(got) != 2 || got[0].Kind != "diabetes" || got[1].Kind != "hypertension" {
		t.Errorf("comorbidities = %+v", got)
	}
	if !strings.Contains(without.Kidney.KFRE.ACRNote, "hypertension not recorded as a diagnosis, taken as absent") {
		t.Errorf("note %q", without.Kidney.KFRE.ACRNote)
	}
}

// TestDeceasedAssessedAtDeath (item 11): a patient who died on 2006-03-04
// is assessed as the record stood then: age at death, nothing after it.
func TestDeceasedAssessedAtDeath(t *testing.T) {
	b := newPatient(t, "died", "1920-06-15", record.Female)
	b.p.Deceased, b.p.DeceasedDate = true, day("2006-03-04")
	b.b.Patients[0] = b.p
	b.obs(units.Creatinine, "2005-12-01", 1.4, units.MgPerDL).obs(units.ACR, "2005-12-01", 400, units.MgPerG)
	b.obs(units.Creatinine, "2006-05-01", 3.0, units.MgPerDL) // recorded after death: not judged
	a := assess.Assess(b.timeline(), day("2026-12-07"), assess.DefaultConfig())
	if !a.EffectiveDate.Equal(day("2006-03-04")) || !a.AsOf.Equal(day("2026-12-07")) {
		t.Errorf("effective %v as of %v", a.EffectiveDate, a.AsOf)
	}
	if a.Patient.AgeYears == nil || *a.Patient.AgeYears != 85 || a.Patient.AgeAtDeath == nil || *a.Patient.AgeAtDeath != 85 {
		t.Errorf("age %v, at death %v; want 85 (not 106 today)", a.Patient.AgeYears, a.Patient.AgeAtDeath)
	}
	if e := a.Kidney.EGFR; e == nil || !e.Date.Equal(day("2005-12-01")) {
		t.Errorf("egfr = %+v, want the one of 2005-12-01", e)
	}
	if a.Kidney.Series.Len() != 1 || len(a.Alerts) != 0 {
		t.Errorf("series %d points, alerts %v", a.Kidney.Series.Len(), a.Alerts)
	}
	if !strings.Contains(allMissing(a, "alerts"), "as it stood at death (2006-03-04)") {
		t.Errorf("missing alerts: %q", allMissing(a, "alerts"))
	}
}
