package cohort

import (
	"math"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// TestSummaryComplementarySuppression (trial #10): with --min-cell 5, a
// line with one count below 5 and a printed total ("none <5" of 100) would
// give it away by subtraction; the next-smallest count is withheld too
// (of the two 5s, deceased by name). A line whose small counts (0
// included: trial 13 F1) can take several values is left as it is
// (TestSummaryLineSuppression enumerates them).
func TestSummaryComplementarySuppression(t *testing.T) {
	s := newSummary()
	s.Patients = 100
	s.Risk = map[string]int64{"high": 16, "low": 21, "moderate": 40, "none": 4, "very high": 9, "no_data": 5, "deceased": 5}
	s.Stage = map[string]int64{"G1": 90, "G2": 6, "G3a": 2, "G4": 2}
	var b strings.Builder
	if err := s.Write(&b, 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	joined := strings.ReplaceAll(out, "\n", " ")
	riskLine := joined[strings.Index(joined, "By KDIGO risk:"):strings.Index(joined, "Every category")]
	for _, want := range []string{"not assessable (no current eGFR or ACR/UPCR) <5", "deceased withheld", "no data by the as-of date 5", "very high 9", "high 16", "low 21", "moderate 40"} {
		if !strings.Contains(riskLine, want) {
			t.Errorf("risk line %q lacks %q", riskLine, want)
		}
	}
	if strings.HasSuffix(strings.TrimSpace(riskLine), ";") || strings.Contains(joined, "; By KDIGO risk") {
		t.Errorf("stray ; at the end of a line:\n%s", out)
	}
	if strings.Contains(riskLine, " 4;") || strings.Contains(riskLine, " 4 ") {
		t.Errorf("risk line %q shows a count that gives the small cell away", riskLine)
	}
	if g := lineWith(out, "By KDIGO GFR category:"); strings.Contains(g, "withheld") || !strings.Contains(g, "G2 6") {
		t.Errorf("GFR line with two small cells: %q, want no complementary cell", g)
	}
	if !strings.Contains(joined, "complementary suppression") {
		t.Errorf("summary does not say a cell was withheld for complementary suppression:\n%s", out)
	}
	// Without --min-cell nothing is withheld and no note is printed.
	b.Reset()
	if err := s.Write(&b, 0); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "withheld") || !strings.Contains(b.String(), "not assessable (no current eGFR or ACR/UPCR) 4") {
		t.Errorf("without --min-cell:\n%s", b.String())
	}
}

func lineWith(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// TestSummaryFlareRateWithheld (trial-cli #6): with --min-cell 20 the
// synthetic cohort printed "<20 in 596 patient-years ...: 0.018 per
// patient-year", and 0.018 × 596 gives the 11 flares back. The rate of a
// suppressed count is withheld; without --min-cell it is printed, per 100
// lupus nephritis patient-years (trial 13 F10e) with its Poisson interval
// (PoissonCI: 11 flares give 5.48-19.68, over 596.4 years), all at the
// decimals of 4 significant digits of the largest (labtext.SameDecimals),
// and called a lower bound (trial 13 F7).
func TestSummaryFlareRateWithheld(t *testing.T) {
	s := newSummary()
	s.Patients, s.LupusPatients = 100, 100
	s.Flares = FlareCount{Patients: 60, PatientYears: 596.4, Confirmed: 11, Unconfirmed: 7, Provisional: 2}
	s.Stage["G1"], s.Risk["low"] = 100, 100
	var b strings.Builder
	if err := s.Write(&b, 20); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(b.String(), "\n", " ")
	for _, want := range []string{"Renal flares: <20 confirmed in 596 patient-years of lupus nephritis (from the first record of nephritis): rate withheld (count < 20). ",
		"Not in the rate: <20 flares seen at one visit only", "confirmed or not: <20.", "of whom 60 with lupus nephritis"} {
		if !strings.Contains(out, want) {
			t.Errorf("with --min-cell 20, no %q in:\n%s", want, out)
		}
	}
	b.Reset()
	if err := s.Write(&b, 0); err != nil {
		t.Fatal(err)
	}
	out = strings.ReplaceAll(b.String(), "\n", " ")
	for _, want := range []string{"Renal flares: 11 confirmed in 596 patient-years of lupus nephritis (from the first record of nephritis): 1.844 per 100 patient-years (95% CI 0.919-3.300, Poisson). ",
		"The confirmed rate tends to understate the true flare rate",
		"Not in the rate: 7 flares seen at one visit only", "confirmed or not: 2."} {
		if !strings.Contains(out, want) {
			t.Errorf("without --min-cell, no %q in:\n%s", want, out)
		}
	}
}

// TestPoissonCI: Byar's approximation against the exact (Garwood 1936)
// 95% limits of a Poisson count (x = 1: 0.0253-5.572; x = 10:
// 4.795-18.39; x = 100: 81.36-121.6), within 1.5% (0.03 at x = 1), the
// accuracy Breslow and Day give for it.
func TestPoissonCI(t *testing.T) {
	for _, c := range []struct {
		x      int64
		lo, hi float64
	}{{1, 0.0253, 5.572}, {10, 4.795, 18.39}, {100, 81.36, 121.6}} {
		lo, hi := PoissonCI(c.x)
		if math.Abs(lo-c.lo) > max(0.015*c.lo, 0.03) || math.Abs(hi-c.hi) > 0.015*c.hi {
			t.Errorf("PoissonCI(%d) = %.4f-%.4f, want %.4f-%.4f", c.x, lo, hi, c.lo, c.hi)
		}
	}
	if lo, _ := PoissonCI(0); lo != 0 {
		t.Errorf("PoissonCI(0) lower %v, want 0", lo)
	}
}

// TestSummaryNoLupus (trial-cli #20): a cohort without lupus patients
// (the bulk export of 10 patients) printed two headers ending in ":" with
// nothing under them, and "1 patients".
func TestSummaryNoLupus(t *testing.T) {
	s := newSummary()
	s.Patients = 1
	s.Stage["none"], s.Risk["none"] = 1, 1
	var b strings.Builder
	if err := s.Write(&b, 0); err != nil {
		t.Fatal(err)
	}
	want := "Cohort: 1 patient\n" +
		"By KDIGO GFR category: no current eGFR 1\n" +
		"By KDIGO risk: not assessable (no current eGFR or ACR/UPCR) 1\n" +
		"No lupus patients: renal response, landmark and flares not computed.\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestPrevalentStage (trial-cli #7): the GFR and risk lines of the
// Synthea export as of 2020-12-31 counted 95 deceased patients (their
// stage at death, some in 1978) and 12 eGFRs older than a year as the
// cohort's G1–G5. Only a current eGFR of a living patient counts; the
// others are "none" (no current eGFR) or "deceased".
func TestPrevalentStage(t *testing.T) {
	g2, g5, a1 := ckd.G2, ckd.G5, ckd.A1
	low := ckd.RiskLow
	death := time.Date(1978, 3, 1, 0, 0, 0, 0, time.UTC)
	later := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	cfg := assess.DefaultConfig()
	rep := func(eGFRDate string, deceased bool, died *time.Time, suffix string) *assess.Report {
		r := &assess.Report{AsOf: "2020-12-31", EffectiveDate: "2020-12-31", Config: cfg}
		r.Patient.Deceased, r.Patient.DeceasedDate = deceased, died
		r.Kidney.Stage = assess.Stage{G: &g2, A: &a1, Risk: &low, Suffix: suffix}
		if eGFRDate != "" {
			d, _ := time.Parse(time.DateOnly, eGFRDate)
			r.Kidney.EGFR = &assess.EGFR{Value: 75, Date: d}
		}
		return r
	}
	dialysis := rep("", false, nil, "D")
	dialysis.Kidney.Stage.G = &g5
	for _, c := range []struct {
		name    string
		r       *assess.Report
		g, risk string
	}{
		{"current eGFR", rep("2020-06-01", false, nil, ""), "G2", "low"},
		// As kidney.egfr's missing entry ("the stage describes that
		// date, not now"): older than 365 days before the end of as_of.
		{"eGFR of 2020-01-02", rep("2020-01-02", false, nil, ""), "G2", "low"},
		{"eGFR of 2020-01-01", rep("2020-01-01", false, nil, ""), "none", "none"},
		{"eGFR of 2012 (bad-export row)", rep("2012-05-01", false, nil, ""), "none", "none"},
		{"died 1978", rep("1977-12-01", true, &death, ""), "deceased", "deceased"},
		{"deceased, no date", rep("2020-06-01", true, nil, ""), "deceased", "deceased"},
		{"dies after as_of", rep("2020-06-01", true, &later, ""), "G2", "low"},
		{"no eGFR", rep("", false, nil, ""), "none", "none"},
		{"on dialysis", dialysis, "G5D", "low"},
	} {
		g, risk := prevalentStage(c.r, record.NewTimelineOwned(record.Patient{ID: "p"}, record.Batch{}))
		if g != c.g || risk != c.risk {
			t.Errorf("%s: got %s, %s; want %s, %s", c.name, g, risk, c.g, c.risk)
		}
	}
	// Trial 12 F14: an as-of before the patient's first observation is
	// "no data by the as-of date", not a prevalent "no current eGFR".
	obs := func(day time.Time) *record.Timeline {
		return record.NewTimelineOwned(record.Patient{ID: "p"}, record.Batch{Observations: []record.Observation{
			{ID: "o", PatientID: "p", Analyte: units.Creatinine, Value: units.Q(0.9, units.MgPerDL), Time: day}}})
	}
	for _, c := range []struct {
		name    string
		tl      *record.Timeline
		g, risk string
	}{
		{"first data after as_of", obs(later), "no_data", "no_data"},
		{"first data on as_of", obs(time.Date(2020, 12, 31, 23, 0, 0, 0, time.UTC)), "none", "none"},
	} {
		g, risk := prevalentStage(rep("", false, nil, ""), c.tl)
		if g != c.g || risk != c.risk {
			t.Errorf("%s: got %s, %s; want %s, %s", c.name, g, risk, c.g, c.risk)
		}
	}
}

// TestWriteNoPatients (trial 12 F14): a summary of no patient is one line,
// not headers with nothing after them.
func TestWriteNoPatients(t *testing.T) {
	var b strings.Builder
	if err := newSummary().Write(&b, 0); err != nil {
		t.Fatal(err)
	}
	if want := "Cohort: 0 patients assessed: no summary.\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
