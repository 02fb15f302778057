package cohort

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/lupus"
	"renalwatch/record"
)

// responseRowRE reads a response row as printed.
var responseRowRE = regexp.MustCompile(`^  (\S.*?) +judged (\S+): complete (\d+|withheld)(?: \([^)]*\))?, any response (\d+|withheld)`)

// shownResponse parses the response rows of a summary: per class, the
// judged count as printed and the complete and any counts (-1 when
// withheld).
func shownResponse(t *testing.T, out string) map[string][3]int64 {
	t.Helper()
	rows := map[string][3]int64{}
	for _, l := range strings.Split(out, "\n") {
		m := responseRowRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var v [3]int64
		for i, s := range m[2:] {
			v[i] = -1
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				v[i] = n
			}
		}
		rows[m[1]] = v
	}
	return rows
}

// TestSummaryResponseSuppression (trial 12 F5): with --min-cell 5 the
// 100-patient synthetic cohort printed "all judged 31: complete 9, any 17",
// "mycophenolate judged 23: complete 9, any 15" and "cyclophosphamide
// judged 8: complete withheld, any response withheld"; 31 − 23 = 8 gave
// the withheld cells back (0 complete, 2 any). Every assignment of the
// two classes' cells that agrees with what is printed is enumerated: each
// cell below 5, 0 included, must be able to take at least two values (not
// derivable; trial 13 F1: a 0 is a small cell too).
func TestSummaryResponseSuppression(t *testing.T) {
	s := newSummary()
	s.Patients, s.LupusPatients = 100, 39
	s.Stage["G1"], s.Risk["low"] = 100, 100
	s.Flares = FlareCount{Patients: 31, PatientYears: 150, Confirmed: 12}
	mmf := [3]int64{9, 6, 8} // complete, partial, none
	cyc := [3]int64{0, 2, 6}
	row := func(c [3]int64) *ResponseCount {
		return &ResponseCount{Judged: c[0] + c[1] + c[2], Complete: c[0], Any: c[0] + c[1]}
	}
	s.Response["all"] = row([3]int64{mmf[0] + cyc[0], mmf[1] + cyc[1], mmf[2] + cyc[2]})
	s.Response["glucocorticoid"] = row([3]int64{mmf[0] + cyc[0], mmf[1] + cyc[1], mmf[2] + cyc[2]})
	s.Response["mycophenolate"], s.Response["cyclophosphamide"] = row(mmf), row(cyc)
	var b strings.Builder
	if err := s.Write(&b, 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	shown := shownResponse(t, out)
	// glucocorticoid, given to every patient judged, is named under the
	// all row, not printed as a copy of it (trial 13 F10d).
	if !strings.Contains(out, "Received by every patient judged, so as the all row: glucocorticoid.") {
		t.Errorf("glucocorticoid not named as the all row:\n%s", out)
	}
	shown["glucocorticoid"] = shown["all"]
	if len(shown) != 4 {
		t.Fatalf("response rows %v in:\n%s", shown, out)
	}
	// v[0] is the judged count printed: every row here has 5 or more.
	agrees := func(name string, c [3]int64) bool {
		v := shown[name]
		return v[0] == c[0]+c[1]+c[2] && (v[1] < 0 || v[1] == c[0]) && (v[2] < 0 || v[2] == c[0]+c[1])
	}
	// values[i][j]: the values cell j of class i (0 mycophenolate, 1
	// cyclophosphamide) takes over the assignments that agree.
	var values [2][3]map[int64]bool
	for i := range values {
		for j := range values[i] {
			values[i][j] = map[int64]bool{}
		}
	}
	total := mmf[0] + mmf[1] + mmf[2] + cyc[0] + cyc[1] + cyc[2]
	for c1 := int64(0); c1 <= total; c1++ {
		for p1 := int64(0); c1+p1 <= total; p1++ {
			for n1 := int64(0); c1+p1+n1 <= total; n1++ {
				for c2 := int64(0); c1+p1+n1+c2 <= total; c2++ {
					for p2 := int64(0); c1+p1+n1+c2+p2 <= total; p2++ {
						n2 := total - c1 - p1 - n1 - c2 - p2
						m, c := [3]int64{c1, p1, n1}, [3]int64{c2, p2, n2}
						sum := [3]int64{c1 + c2, p1 + p2, n1 + n2}
						if !agrees("all", sum) || !agrees("glucocorticoid", sum) || !agrees("mycophenolate", m) || !agrees("cyclophosphamide", c) {
							continue
						}
						for j := range 3 {
							values[0][j][m[j]], values[1][j][c[j]] = true, true
						}
					}
				}
			}
		}
	}
	for i, cells := range [2][3]int64{mmf, cyc} {
		for j, v := range cells {
			if v < 5 && len(values[i][j]) < 2 {
				t.Errorf("class %d cell %d (%d) is derivable from the printed rows:\n%s", i, j, v, out)
			}
			if !values[i][j][v] {
				t.Errorf("the true cells are not among the assignments that agree (parse error?)\n%s", out)
			}
		}
	}
	if !strings.Contains(out, "complementary suppression") {
		t.Errorf("no note on complementary suppression:\n%s", out)
	}
	// Without --min-cell every value is printed.
	b.Reset()
	if err := s.Write(&b, 0); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "withheld") || !strings.Contains(b.String(), "cyclophosphamide               judged 8: complete 0 (0.0%, 0.0-32.4%), any response 2 (25.0%, 7.1-59.1%)") {
		t.Errorf("without --min-cell:\n%s", b.String())
	}
}

// TestSummaryLandmarkSuppression: a landmark row is a 2×2 table (started
// or not, kidney failure or not) whose margins, the patients compared and
// their failures, are the same in every row. With --min-cell 5, a row
// with 3 started patients is not printed (a printed row said "at least 1
// started": trial 13 F1); a row with no small cell shows everything.
func TestSummaryLandmarkSuppression(t *testing.T) {
	s := newSummary()
	s.Patients, s.LupusPatients = 500, 300
	s.Stage["G1"], s.Risk["low"] = 500, 500
	s.Flares = FlareCount{Patients: 200, PatientYears: 1000, Confirmed: 20}
	s.Landmark["rituximab"] = &LandmarkCount{Treated: 3, TreatedFailure: 1, Untreated: 97, UntreatedFailure: 9}
	s.Landmark["msc_infusion"] = &LandmarkCount{Treated: 30, TreatedFailure: 5, Untreated: 70, UntreatedFailure: 5}
	s.Landmark["belimumab"] = &LandmarkCount{Treated: 100, TreatedFailure: 10, Untreated: 0}
	var b strings.Builder
	if err := s.Write(&b, 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if got, want := lineWith(out, "  rituximab"), ""; got != want {
		t.Errorf("rituximab row\n got %q\nwant %q", got, want)
	}
	if got, want := lineWith(out, "  mesenchymal"), "  mesenchymal stem cell infusion started: 5 (16.7%, 7.3-33.6%) of 30; not started: 5 (7.1%, 3.1-15.7%) of 70"; got != want {
		t.Errorf("msc row\n got %q\nwant %q", got, want)
	}
	// Every patient compared started belimumab: a not-started group of 0
	// is below K too (trial 13 F1), and the pair gives the other back.
	if got, want := lineWith(out, "  belimumab"), "  belimumab                      started: withheld of withheld; not started: withheld of <5"; got != want {
		t.Errorf("belimumab row\n got %q\nwant %q", got, want)
	}
}

// lnReport is a lupus nephritis patient's report as assess writes it: a
// biopsy-proven class IV nephritis, mycophenolate from 2019-01-10, and, as
// the caller sets, the response of the first course at 12 months, the
// latest response, and a dialysis.
func lnReport(bestAt12 *assess.ResponseReached, dialysis *time.Time) *assess.Report {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	r := &assess.Report{AsOf: "2026-01-01", EffectiveDate: "2026-01-01", Config: assess.DefaultConfig()}
	r.Lupus.Applicable = true
	none := lupus.ResponseNone
	r.Therapies = []assess.Therapy{{Class: "mycophenolate", Start: day("2019-01-10")},
		{Class: "msc_infusion", Start: day("2020-06-01")}}
	r.Therapies[0].Effect.Response = &assess.Response{Response: &none, Since: day("2019-01-10"), Best: bestAt12}
	g2 := ckd.G2
	r.Kidney.Stage.G = &g2
	if dialysis != nil {
		g5 := ckd.G5
		r.Kidney.Stage = assess.Stage{G: &g5, Suffix: "D"}
		r.Kidney.Replacement = []assess.Replacement{{Kind: "hemodialysis", Start: *dialysis}}
		r.Missing = append(r.Missing, assess.Missing{Path: "lupus.response", Reason: "not judged: on dialysis; UPCR and eGFR no longer measure a response of the native kidney"})
	} else {
		r.Lupus.Response = &assess.Response{Response: &none, Since: day("2019-01-10")}
	}
	return r
}

// TestSummaryKidneyFailureCounted (trial 12 F1, F3): syn7-97 had no
// response, reached dialysis in 2025, and lupus.response is null ("not
// judged: on dialysis"); the landmark comparison and the response rows
// left her out, so the outcome took her out of the denominator. She is
// now counted by her state at the landmark (no response at 12 months,
// from the first course's effect.response) with kidney failure after it,
// and as a treatment failure (judged, no response) in the response rows.
// A patient on dialysis by the landmark is left out of the landmark
// comparison (the outcome came first), and one who responded by the
// landmark is not compared.
func TestSummaryKidneyFailureCounted(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	s := newSummary()
	late, early := day("2025-10-01"), day("2019-11-01")
	tl := record.NewTimeline(record.Patient{ID: "p"}, record.Batch{})
	s.add(lnReport(nil, &late), tl)
	s.add(lnReport(nil, nil), tl)
	s.add(lnReport(nil, &early), tl)
	s.add(lnReport(&assess.ResponseReached{Response: "partial", Date: day("2019-09-01")}, nil), tl)
	lc := s.Landmark["msc_infusion"]
	if lc == nil || lc.Treated != 2 || lc.TreatedFailure != 1 || lc.Untreated != 0 {
		t.Errorf("landmark msc_infusion %+v, want 2 started (infused 2020-06-01), 1 with kidney failure", lc)
	}
	all := s.Response["all"]
	if all == nil || all.Judged != 4 || all.KidneyFailure != 2 || all.Any != 0 {
		t.Errorf("response all %+v, want 4 judged, 2 of them kidney failure, no response", all)
	}
	if s.Flares.Patients != 4 {
		t.Errorf("%d lupus nephritis patients, want 4", s.Flares.Patients)
	}
}

// TestSummaryJudgedCountSuppression: a class judged in fewer than
// --min-cell patients is not printed (trial 13 F1), but when rows with it add up to the "all" row (all 33 =
// mycophenolate 25 + stem cells 3 + voclosporin 5) the others give it
// back (33 − 25 − 5 = 3): another count of that sum is withheld too, and
// with it that row's rates (a percentage gives its count back).
func TestSummaryJudgedCountSuppression(t *testing.T) {
	s := newSummary()
	s.Patients, s.LupusPatients = 100, 40
	s.Stage["G1"], s.Risk["low"] = 100, 100
	s.Flares = FlareCount{Patients: 33, PatientYears: 150, Confirmed: 12}
	s.Response["all"] = &ResponseCount{Judged: 33, Complete: 10, Any: 20}
	s.Response["mycophenolate"] = &ResponseCount{Judged: 25, Complete: 8, Any: 15}
	s.Response["msc_infusion"] = &ResponseCount{Judged: 3, Complete: 0, Any: 1}
	s.Response["voclosporin"] = &ResponseCount{Judged: 5, Complete: 2, Any: 4}
	var b strings.Builder
	if err := s.Write(&b, 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// A row is printed only for a class some judged patient received, so
	// "judged <2" was 1 (trial 13 F1): such rows are not printed.
	if got, want := lineWith(out, "  mesenchymal"), ""; got != want {
		t.Errorf("msc row\n got %q\nwant %q", got, want)
	}
	if got, want := lineWith(out, "  voclosporin"), "  voclosporin                    judged withheld: complete withheld, any response withheld"; got != want {
		t.Errorf("voclosporin row\n got %q\nwant %q\n%s", got, want, out)
	}
}

// TestNephritisAsAssessed: the summary's lupus nephritis patients are those
// the assessment reads as having known nephritis (lnPatient reads the
// lupus.flares reason assess gives without it: noNephritis). On a small
// generated cohort they are exactly the generator's nephritis patients,
// and the SLE patients without nephritis are left out.
func TestNephritisAsAssessed(t *testing.T) {
	dir, truth := writeCohort(t, 60, 3)
	sum := runCohort(t, dir, Options{})
	var ln int64
	for _, tr := range truth {
		if tr.LupusNephritis {
			ln++
		}
	}
	if ln == 0 || ln == sum.LupusPatients || sum.Flares.Patients != ln {
		t.Errorf("lupus nephritis patients %d of %d lupus patients; truth %d", sum.Flares.Patients, sum.LupusPatients, ln)
	}
}
