package assess_test

// Issue 7 items 1, 2, 11 (courses end at death) and 16: therapy
// vocabulary in the response, courses, concurrent therapy. The patients are
// invented; the thresholds are those of the cited sources.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// KDIGO 2024 LN rec 10.2.3.1.1 lists MPAA with a CNI (voclosporin or
// tacrolimus) as an initial regimen: a multitarget course lists both
// agents in lupus.response.therapies (the CNI used to be dropped as
// "other"). UPCR 4.0 -> 0.3 g/g at 9 months with stable eGFR: complete.
func TestMultitargetRegimenListsEveryAgent(t *testing.T) {
	b := lnPatient(t, "multitarget").
		therapy(record.Glucocorticoid, "prednisone", "2020-01-08", "2020-07-01").
		therapy(record.Mycophenolate, "mycophenolate", "2020-01-10", "").
		therapy(record.CalcineurinInhibitor, "tacrolimus", "2020-01-10", "").
		series(units.PCR, units.GPerG, "2020-01-05", 4.0, "2020-10-10", 0.3)
	a := assess.Assess(b.timeline(), day("2020-11-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil {
		t.Fatalf("response = %+v, missing %v", r, a.Missing)
	}
	want := []string{"glucocorticoid", "mycophenolate", "calcineurin_inhibitor"}
	if diff := cmp.Diff(want, r.Therapies); diff != "" || *r.Response != lupus.ResponseComplete {
		t.Errorf("response %s, therapies (-want +got):\n%s", *r.Response, diff)
	}
	for _, th := range a.Therapies {
		if th.Class == "calcineurin_inhibitor" && th.Evidence != assess.GuidelineRecommended {
			t.Errorf("tacrolimus evidence %s, want guideline-recommended (KDIGO 2024 LN rec 10.2.3.1.1)", th.Evidence)
		}
	}
}

// Item 2: monthly refills with no end recorded are one course, with the
// number of records it joins; a pause longer than the course gap (93 days
// after the last record) starts a new one. The earlier course is closed
// (open false), the latest open.
func TestRefillsFormCourses(t *testing.T) {
	b := newPatient(t, "refills-ckd", "1960-01-01", record.Male)
	for m := range 12 {
		b.therapy(record.RAASBlockade, "lisinopril", day("2020-01-15").AddDate(0, m, 0).Format(time.DateOnly), "")
	}
	// 2020-12-15 is the last refill; 2021-03-18 is 93 days later (same
	// course), 2021-09-01 is 167 days after that (new course).
	b.therapy(record.RAASBlockade, "lisinopril", "2021-03-18", "").
		therapy(record.RAASBlockade, "lisinopril", "2021-09-01", "").
		therapy(record.RAASBlockade, "lisinopril", "2021-10-01", "")
	a := assess.Assess(b.timeline(), day("2022-01-01"), assess.DefaultConfig())
	type c struct {
		Start, Last string
		Records     int
		Open        bool
	}
	var got []c
	for _, th := range a.Therapies {
		got = append(got, c{date(th.Start), date(th.LastRecord), th.Records, th.Open})
	}
	want := []c{{"2020-01-15", "2021-03-18", 13, false}, {"2021-09-01", "2021-10-01", 2, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("courses (-want +got):\n%s", diff)
	}
}

// Item 11 (therapy half): a deceased patient's open courses end at the
// date of death; a course that ended before keeps its recorded end.
func TestCoursesEndAtDeath(t *testing.T) {
	b := newPatient(t, "died", "1940-01-01", record.Female).
		therapy(record.RAASBlockade, "ramipril", "2010-01-01", "2012-01-01").
		therapy(record.SGLT2Inhibitor, "dapagliflozin", "2015-01-01", "")
	b.p.Deceased, b.p.DeceasedDate = true, day("2016-06-30")
	a := assess.Assess(b.timeline(), day("2020-01-01"), assess.DefaultConfig())
	if len(a.Therapies) != 2 {
		t.Fatalf("therapies = %+v", a.Therapies)
	}
	r, s := a.Therapies[0], a.Therapies[1]
	if r.End == nil || date(*r.End) != "2012-01-01" || r.EndBasis != "recorded" {
		t.Errorf("ramipril end %v (%s), want 2012-01-01 recorded", r.End, r.EndBasis)
	}
	if s.End == nil || date(*s.End) != "2016-06-30" || s.EndBasis != "death" || s.Open {
		t.Errorf("dapagliflozin end %v (%s, open %v), want 2016-06-30 at death", s.End, s.EndBasis, s.Open)
	}
}

// Item 16: the stem-cell case. An MSC infusion (unproven: Deng, Ann Rheum
// Dis 2017;76:1436) given while azathioprine (KDIGO 2024 LN maintenance),
// hydroxychloroquine and valsartan ran throughout is never the sole anchor
// of the response: the response carries the concurrent courses and a
// warning; the effect of every therapy lists its concurrent courses.
func TestConcurrentTherapyInResponse(t *testing.T) {
	build := func(background bool) assess.Assessment {
		b := lnPatient(t, "msc-bg")
		if background {
			b.therapy(record.Azathioprine, "azathioprine", "2019-06-01", "").
				therapy(record.Hydroxychloroquine, "hydroxychloroquine", "2019-01-10", "").
				therapy(record.RAASBlockade, "valsartan", "2019-03-01", "")
		}
		b.therapy(record.MSCInfusion, "mesenchymal stem cells", "2020-01-10", "2020-01-10").
			series(units.PCR, units.GPerG, "2020-01-05", 3.0, "2020-10-10", 1.2)
		return assess.Assess(b.timeline(), day("2020-11-01"), assess.DefaultConfig())
	}
	a := build(true)
	r := a.Lupus.Response
	if r == nil || r.Response == nil || *r.Response != lupus.ResponsePartial {
		t.Fatalf("response = %+v, missing %v", r, a.Missing)
	}
	var names []string
	for _, c := range r.Concurrent {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	if diff := cmp.Diff([]string{"azathioprine", "hydroxychloroquine", "valsartan"}, names); diff != "" {
		t.Errorf("response.concurrent (-want +got):\n%s", diff)
	}
	if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, "cannot be attributed to msc_infusion") }) {
		t.Errorf("no attribution warning in %q", r.Warnings)
	}
	for _, th := range a.Therapies {
		if th.Class == "msc_infusion" && len(th.Effect.Concurrent) != 3 {
			t.Errorf("msc effect.concurrent = %+v, want the three background courses", th.Effect.Concurrent)
		}
	}
	// Without background therapy the infusion is the only therapy: no
	// attribution warning (the alert and caveat still say it is unproven).
	a = build(false)
	if r := a.Lupus.Response; r == nil || len(r.Concurrent) != 0 ||
		slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, "cannot be attributed") }) {
		t.Errorf("no background: response = %+v", r)
	}
}

// Leflunomide (no LN guideline lists it; also given for lupus arthritis)
// starts no induction episode: an SLE patient on it gets no "renal
// response" and no no-response-6m alert, while the drug is still shown
// as investigational with its before/after effect.
func TestLeflunomideStartsNoEpisode(t *testing.T) {
	b := newPatient(t, "sle-arthritis", "1985-01-01", record.Female).
		cond(record.SLE, "2019-01-01", "").
		therapy(record.Leflunomide, "leflunomide", "2020-01-10", "").
		series(units.PCR, units.GPerG, "2020-01-05", 0.6, "2020-10-10", 0.7).
		series(units.Creatinine, units.MgPerDL, "2020-01-05", 0.8, "2020-10-10", 0.8)
	a := assess.Assess(b.timeline(), day("2020-11-01"), assess.DefaultConfig())
	if a.Lupus.Response != nil || hasAlert(a, "no-response-6m") {
		t.Errorf("leflunomide: response %+v, alerts %v; want none", a.Lupus.Response, a.Alerts)
	}
	if len(a.Therapies) != 1 || a.Therapies[0].Evidence != assess.Investigational || !hasAlert(a, "investigational-therapy") {
		t.Errorf("leflunomide therapy = %+v, alerts %v", a.Therapies, a.Alerts)
	}
}
