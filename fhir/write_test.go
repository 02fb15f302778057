package fhir

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// reportTimeline is a hand-written record: a woman born 1960 with a falling
// eGFR, albuminuria and low haemoglobin, so that the assessment has an eGFR
// series, a KFRE and alerts.
func reportTimeline() *record.Timeline {
	p := record.Patient{ID: "w1", BirthDate: time.Date(1960, 3, 1, 0, 0, 0, 0, time.UTC), Sex: record.Female}
	var b record.Batch
	b.Patients = []record.Patient{p}
	obs := func(id string, a units.Analyte, q units.Quantity, day string) {
		t, _ := time.Parse(time.DateOnly, day)
		b.Observations = append(b.Observations, record.Observation{ID: "Observation/" + id, PatientID: p.ID, Analyte: a, Value: q, Time: t})
	}
	obs("cr1", units.Creatinine, units.Q(1.6, units.MgPerDL), "2023-01-10")
	obs("cr2", units.Creatinine, units.Q(1.9, units.MgPerDL), "2023-09-10")
	obs("cr3", units.Creatinine, units.Q(2.3, units.MgPerDL), "2024-05-10")
	obs("acr1", units.ACR, units.Q(450, units.MgPerG), "2024-05-10")
	obs("hb1", units.Hemoglobin, units.Q(10.9, units.GPerDL), "2024-05-10")
	return record.NewTimeline(p, b)
}

func TestReportBundle(t *testing.T) {
	asOf := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	a := assess.Assess(reportTimeline(), asOf, assess.DefaultConfig())
	b := ReportBundle(a)

	if b.ResourceType != "Bundle" || b.Type != "collection" || b.Timestamp != "2024-06-01T00:00:00Z" {
		t.Errorf("bundle header = %q %q %q", b.ResourceType, b.Type, b.Timestamp)
	}
	ids := map[string]bool{}
	var egfrs, risks, issues []Resource
	for _, e := range b.Entry {
		r := e.Resource
		if ids[r.ID] || e.FullURL != "urn:uuid:"+r.ID {
			t.Errorf("entry %q: repeated id or fullUrl %q", r.ID, e.FullURL)
		}
		ids[r.ID] = true
		switch r.ResourceType {
		case "Observation":
			egfrs = append(egfrs, r)
		case "RiskAssessment":
			risks = append(risks, r)
		case "DetectedIssue":
			issues = append(issues, r)
		default:
			t.Errorf("unexpected resource type %q", r.ResourceType)
		}
	}

	// One Observation per computed eGFR, LOINC 98979-8 (CKD-EPI 2021),
	// derived from its creatinine.
	if len(egfrs) != 3 {
		t.Fatalf("%d eGFR observations, want 3", len(egfrs))
	}
	for i, r := range egfrs {
		p := a.Kidney.Series[i]
		if r.Code.Coding[0].System != systemLOINC || r.Code.Coding[0].Code != LOINCEGFRCKDEPI2021 {
			t.Errorf("eGFR %d coded %+v, want LOINC 98979-8", i, r.Code.Coding)
		}
		if r.ValueQuantity.Value != *p.Value || r.ValueQuantity.Code != "mL/min/{1.73_m2}" {
			t.Errorf("eGFR %d value %+v, want %v mL/min/{1.73_m2}", i, r.ValueQuantity, *p.Value)
		}
		if len(r.DerivedFrom) != 1 || r.DerivedFrom[0].Reference != p.ObservationID || r.Subject.Reference != "Patient/w1" {
			t.Errorf("eGFR %d derivedFrom %+v subject %+v", i, r.DerivedFrom, r.Subject)
		}
	}

	// The KFRE as a RiskAssessment with both horizons.
	if a.Kidney.KFRE == nil || len(risks) != 1 {
		t.Fatalf("KFRE %v, %d RiskAssessments; want one", a.Kidney.KFRE, len(risks))
	}
	pr := risks[0].Prediction
	if len(pr) != 2 || pr[0].ProbabilityDecimal != a.Kidney.KFRE.Risk2y || pr[1].ProbabilityDecimal != a.Kidney.KFRE.Risk5y ||
		pr[0].WhenRange.High.Value != 2 || pr[1].WhenRange.High.Value != 5 {
		t.Errorf("predictions %+v, want 2y %v and 5y %v", pr, a.Kidney.KFRE.Risk2y, a.Kidney.KFRE.Risk5y)
	}

	// One DetectedIssue per alert, with its code and mapped severity.
	if len(issues) != len(a.Alerts) || len(issues) == 0 {
		t.Fatalf("%d DetectedIssues for %d alerts", len(issues), len(a.Alerts))
	}
	codes := map[string]string{}
	for _, r := range issues {
		codes[r.Code.Coding[0].Code] = r.Severity
		if !strings.Contains(r.Detail, "Source: ") {
			t.Errorf("alert %s detail %q does not name its source", r.Code.Text, r.Detail)
		}
	}
	if _, ok := codes["anemia"]; !ok {
		t.Errorf("alerts %v: want anemia (Hb 10.9 g/dL, adult woman)", codes)
	}

	// Deterministic: the same assessment gives the same bytes.
	j1, _ := json.Marshal(b)
	j2, _ := json.Marshal(ReportBundle(a))
	if !bytes.Equal(j1, j2) {
		t.Error("ReportBundle is not deterministic")
	}
}

// TestReportBundleReadsBack feeds the written bundle to the reader: the eGFR
// Observations come back as laboratory-reported eGFR with the same values.
func TestReportBundleReadsBack(t *testing.T) {
	asOf := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	a := assess.Assess(reportTimeline(), asOf, assess.DefaultConfig())
	data, err := json.Marshal(ReportBundle(a))
	if err != nil {
		t.Fatal(err)
	}
	rd := Reader{Now: asOf}
	res, err := rd.Read("report.json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 0 {
		t.Errorf("reading the report back rejected %+v", res.Rejected)
	}
	var got []float64
	for _, o := range res.Batch.Observations {
		if o.Analyte == units.EGFR {
			got = append(got, o.Value.Value)
		}
	}
	if len(got) != 3 {
		t.Fatalf("read back %d eGFR values, want 3", len(got))
	}
	for i, v := range got {
		if math.Abs(v-*a.Kidney.Series[i].Value) > 1e-9 {
			t.Errorf("eGFR %d read back as %v, want %v", i, v, *a.Kidney.Series[i].Value)
		}
	}
}

// An equation without a LOINC code (CKiD U25) is written with the RenalWatch
// equation code only, never with a LOINC code that names another formula.
func TestReportBundleEquationWithoutLOINC(t *testing.T) {
	v := 84.4
	a := assess.Assessment{
		Patient: assess.PatientInfo{ID: "c1"},
		AsOf:    time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Kidney: assess.Kidney{Series: []assess.EGFRPoint{
			{Date: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Value: &v, Equation: "ckid-u25", ObservationID: "Observation/cr9", Creatinine: units.Q(0.6, units.MgPerDL)},
			{Date: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Value: nil, Equation: "ckid-u25", Reason: "no height"},
		}},
		Alerts: []assess.Alert{{Code: "ckd-g4", Severity: assess.Critical, Message: "m", Source: "s"}},
	}
	b := ReportBundle(a)
	if len(b.Entry) != 2 {
		t.Fatalf("%d entries, want 2 (one eGFR, one alert; the null eGFR is not written)", len(b.Entry))
	}
	c := b.Entry[0].Resource.Code.Coding
	if len(c) != 1 || c[0].System != SystemEquation || c[0].Code != "ckid-u25" {
		t.Errorf("coding %+v, want only %s|ckid-u25", c, SystemEquation)
	}
	if s := b.Entry[1].Resource.Severity; s != "high" {
		t.Errorf("critical alert severity %q, want high", s)
	}
}
