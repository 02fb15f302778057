package fhir

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/internal/golden"
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
	tl := reportTimeline()
	a := assess.Assess(tl, asOf, assess.DefaultConfig())
	b := ReportBundle(a, tl)

	if b.ResourceType != "Bundle" || b.Type != "collection" || b.Timestamp != "2024-06-01T00:00:00Z" {
		t.Errorf("bundle header = %q %q %q", b.ResourceType, b.Type, b.Timestamp)
	}
	ids := map[string]bool{}
	var egfrs, risks, issues []Resource
	for _, e := range b.Entry {
		r := e.Resource
		if ids[r.ID] || e.FullURL != "urn:uuid:"+r.ID || !uuidRE.MatchString(r.ID) {
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
		p := a.Kidney.Series.At(i)
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
	// Its basis: the eGFR Observation of this bundle for the latest
	// creatinine (cr3), that creatinine, and the measured ACR.
	var basis []string
	for _, r := range risks[0].Basis {
		basis = append(basis, r.Reference)
	}
	wantBasis := []string{b.Entry[2].FullURL, "Observation/cr3", "Observation/acr1"}
	if diff := cmp.Diff(wantBasis, basis); diff != "" {
		t.Errorf("RiskAssessment.basis (-want +got):\n%s", diff)
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
	j2, _ := json.Marshal(ReportBundle(a, tl))
	if !bytes.Equal(j1, j2) {
		t.Error("ReportBundle is not deterministic")
	}
	out, _ := json.MarshalIndent(b, "", "  ")
	golden.Assert(t, "report-w1.fhir.json", append(out, '\n'))
}

// TestReportBundleReadsBack feeds the written bundle to the reader: the eGFR
// Observations come back with the same values, as eGFRs computed by
// RenalWatch (their source code is the RenalWatch equation, not the LOINC
// code), never as laboratory-reported eGFRs: an assessment of what was
// read back lists them under not_used and has no eGFR of its own.
func TestReportBundleReadsBack(t *testing.T) {
	asOf := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	a := assess.Assess(reportTimeline(), asOf, assess.DefaultConfig())
	data, err := json.Marshal(ReportBundle(a, nil))
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
		if math.Abs(v-*a.Kidney.Series.At(i).Value) > 1e-9 {
			t.Errorf("eGFR %d read back as %v, want %v", i, v, *a.Kidney.Series.At(i).Value)
		}
	}
	for _, o := range res.Batch.Observations {
		if c := o.SourceCode(); o.Analyte == units.EGFR && (c.System != SystemEquation || c.Code != "ckd-epi-2021") {
			t.Errorf("eGFR %s read back with source code %+v, want %s|ckd-epi-2021", o.ID, c, SystemEquation)
		}
	}
	// A receiver that keeps only the LOINC coding of code: method still
	// names the RenalWatch equation.
	b := ReportBundle(a, nil)
	for i := range b.Entry {
		if c := b.Entry[i].Resource.Code; b.Entry[i].Resource.ResourceType == "Observation" {
			c.Coding = c.Coding[:1]
		}
	}
	data, _ = json.Marshal(b)
	loincOnly, err := rd.Read("report.json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range loincOnly.Batch.Observations {
		if c := o.SourceCode(); o.Analyte == units.EGFR && c.System == SystemEquation && c.Code == "ckd-epi-2021" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("with LOINC only in code, %d of 3 eGFRs read back as RenalWatch's (by method): %+v", n, loincOnly.Batch.Observations)
	}
	// Only the patient and the bundle's eGFRs: none is used, each is named.
	back := assess.Assess(record.NewTimeline(reportTimeline().Patient, res.Batch), asOf, assess.DefaultConfig())
	if back.Kidney.EGFR != nil {
		t.Errorf("assessed from the bundle alone, kidney.egfr = %+v; want none (RenalWatch's own eGFRs are not laboratory results)", back.Kidney.EGFR)
	}
	if len(back.NotUsed) != 3 {
		t.Fatalf("not_used %+v: want the 3 eGFRs", back.NotUsed)
	}
	for _, n := range back.NotUsed {
		if n.What != "egfr" || n.Origin != assess.OriginRenalWatchReport || n.Equation != "ckd-epi-2021" ||
			!strings.HasPrefix(n.Reason, "computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, not a laboratory result") {
			t.Errorf("not_used %+v", n)
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
		Kidney: assess.Kidney{Series: assess.NewEGFRSeries([]assess.EGFRPoint{
			{Date: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Value: &v, Equation: "ckid-u25", ObservationID: "Observation/cr9", Creatinine: units.Q(0.6, units.MgPerDL)},
			{Date: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Value: nil, Equation: "ckid-u25", Reason: "no height"},
		})},
		Alerts: []assess.Alert{{Code: "ckd-g4", Severity: assess.Critical, Message: "m", Source: "s"}},
	}
	b := ReportBundle(a, nil)
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
	// Read back, it is an eGFR computed by RenalWatch (ckid-u25), as one
	// with a LOINC code is.
	data, _ := json.Marshal(b)
	res, err := (&Reader{Now: a.AsOf}).Read("report.json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if obs := res.Batch.Observations; len(obs) != 1 || obs[0].Analyte != units.EGFR || obs[0].Value.Value != v ||
		obs[0].SourceCode().System != SystemEquation || obs[0].SourceCode().Code != "ckid-u25" {
		t.Errorf("read back %+v, want the eGFR %v coded %s|ckid-u25", obs, v, SystemEquation)
	}
}

// uuidRE matches an RFC 4122 UUID of version 5 in lower case.
var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// fhirIDRE is the FHIR id datatype (R4 §2.24.0.1, id).
var fhirIDRE = regexp.MustCompile(`^[A-Za-z0-9\-\.]{1,64}$`)

// TestNameUUID checks the version 5 UUID against the well-known vector
// uuid5(NAMESPACE_DNS, "python.org") (Python's uuid module documentation)
// and RFC 4122's name space constants.
func TestNameUUID(t *testing.T) {
	dns := namespaceURL
	dns[3] = 0x10 // NAMESPACE_DNS is 6ba7b810-..., NAMESPACE_URL 6ba7b811-...
	if got, want := formatUUID(nameUUID(dns, "python.org")), "886313e1-3b8a-5372-9b90-0c9aee199e5d"; got != want {
		t.Errorf("uuid5(DNS, python.org) = %s, want %s", got, want)
	}
	if got, want := formatUUID(namespaceURL), "6ba7b811-9dad-11d1-80b4-00c04fd430c8"; got != want {
		t.Errorf("NAMESPACE_URL = %s, want %s", got, want)
	}
	if u := formatUUID(reportNamespace()); !uuidRE.MatchString(u) {
		t.Errorf("report name space %s is not a version 5 UUID", u)
	}
}

// Two alerts with the same code (and even the same message and date) get
// distinct ids and fullUrls (bdl-7), and each DetectedIssue carries its
// alert's date, or the as-of time when the alert has none.
func TestReportBundleDuplicateAlertCodes(t *testing.T) {
	d1 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	d2 := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	asOf := time.Date(2025, 6, 1, 23, 59, 59, 0, time.UTC)
	a := assess.Assessment{
		Patient: assess.PatientInfo{ID: "p"},
		AsOf:    asOf,
		Alerts: []assess.Alert{
			{Code: "kidney-replacement", Severity: assess.Info, Message: "hemodialysis", Source: "s", Date: &d1},
			{Code: "kidney-replacement", Severity: assess.Info, Message: "transplant", Source: "s", Date: &d2},
			{Code: "investigational-therapy", Severity: assess.Info, Message: "same", Source: "s"},
			{Code: "investigational-therapy", Severity: assess.Info, Message: "same", Source: "s"},
		},
	}
	b := ReportBundle(a, nil)
	checkBundleIDs(t, "hand-made", b)
	want := []string{"2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", "2025-06-01T23:59:59Z", "2025-06-01T23:59:59Z"}
	for i, e := range b.Entry {
		if got := e.Resource.IdentifiedDateTime; got != want[i] {
			t.Errorf("alert %d identifiedDateTime %s, want %s", i, got, want[i])
		}
	}
	// Deterministic across calls.
	if b2 := ReportBundle(a, nil); b2.Entry[3].FullURL != b.Entry[3].FullURL {
		t.Errorf("ids differ between calls: %s, %s", b.Entry[3].FullURL, b2.Entry[3].FullURL)
	}
}

// checkBundleIDs asserts bdl-7 (fullUrl unique), that each fullUrl is
// urn:uuid:<RFC 4122 UUID> of the entry's id, and that ids are FHIR ids.
func checkBundleIDs(t *testing.T, name string, b Bundle) {
	t.Helper()
	seen := map[string]bool{}
	for i, e := range b.Entry {
		id := e.Resource.ID
		if !fhirIDRE.MatchString(id) {
			t.Errorf("%s entry %d: id %q is not a FHIR id", name, i, id)
		}
		if !uuidRE.MatchString(id) || e.FullURL != "urn:uuid:"+id {
			t.Errorf("%s entry %d: fullUrl %q, id %q; want urn:uuid:<uuid v5> of the id", name, i, e.FullURL, id)
		}
		if seen[e.FullURL] {
			t.Errorf("%s entry %d: fullUrl %s repeated (bdl-7)", name, i, e.FullURL)
		}
		seen[e.FullURL] = true
	}
}

// A cystatin-only value (the CKiD U25 cystatin fallback) is derived from the
// cystatin C, not from the creatinine of the same sample; a combined value
// from both.
func TestReportBundleDerivedFromMarkers(t *testing.T) {
	v := 70.0
	cys := units.Q(1.1, units.MgPerL)
	a := assess.Assessment{
		Patient: assess.PatientInfo{ID: "c2"},
		AsOf:    time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		Kidney: assess.Kidney{Series: assess.NewEGFRSeries([]assess.EGFRPoint{
			{Date: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Value: &v, Equation: "ckid-u25-cys", Markers: []string{"cystatin_c"},
				ObservationID: "Observation/cr", Creatinine: units.Q(0.6, units.MgPerDL), CystatinC: &cys, CystatinObservationID: "Observation/cys"},
			{Date: time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC), Value: &v, Equation: "ckd-epi-2021-cys", Markers: []string{"creatinine", "cystatin_c"},
				ObservationID: "Observation/cr2", Creatinine: units.Q(0.9, units.MgPerDL), CystatinC: &cys, CystatinObservationID: "Observation/cys2"},
		})},
	}
	b := ReportBundle(a, nil)
	refs := func(i int) (out []string) {
		for _, d := range b.Entry[i].Resource.DerivedFrom {
			out = append(out, d.Reference)
		}
		return out
	}
	if got := refs(0); len(got) != 1 || got[0] != "Observation/cys" {
		t.Errorf("cystatin-only value derivedFrom %v, want only Observation/cys", got)
	}
	if got := refs(1); len(got) != 2 || got[0] != "Observation/cr2" || got[1] != "Observation/cys2" {
		t.Errorf("combined value derivedFrom %v, want the creatinine and the cystatin C", got)
	}
}
