package assess_test

// Induction courses, the transplant/dialysis guard on therapy effects, and
// the flare gap (review 2, items 1, 4 and 9). The patients are invented.

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

func missingFor(a assess.Assessment, path string) []string {
	var out []string
	for _, m := range a.Missing {
		if m.Path == path {
			out = append(out, m.Reason)
		}
	}
	return out
}

func missingContains(t *testing.T, a assess.Assessment, path, want string) {
	t.Helper()
	for _, r := range missingFor(a, path) {
		if strings.Contains(r, want) {
			return
		}
	}
	t.Errorf("missing[%s] = %q, want an entry containing %q", path, missingFor(a, path), want)
}

func hasAlert(a assess.Assessment, code string) bool {
	for _, al := range a.Alerts {
		if al.Code == code {
			return true
		}
	}
	return false
}

// lnPatient is a woman with class IV lupus nephritis and a stable
// creatinine of 0.8 mg/dL every month of 2019-2021 (eGFR stable, so the
// response depends on the UPCR only).
func lnPatient(t *testing.T, id string) *builder {
	b := newPatient(t, id, "1990-01-01", record.Female).cond(record.LupusNephritis, "2019-12-01", "IV")
	for m := 0; m < 36; m++ {
		b.obs(units.Creatinine, time.Date(2019, time.Month(1+m), 2, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), 0.8, units.MgPerDL)
	}
	return b
}

// Review 2 item 1, first case: ten monthly mycophenolate records (each
// refill is its own record) are one course. UPCR 4.0 before the first, 0.3
// g/g at 9 months: KDIGO 2024 complete response (< 0.5 g/g, eGFR stable),
// judged 9.5 months after the start of the course, not "too early" from the
// latest refill.
func TestInductionCourseMonthlyRefills(t *testing.T) {
	for _, withEnd := range []bool{false, true} {
		b := lnPatient(t, "refills")
		start := day("2020-01-10")
		for m := range 10 {
			s := start.AddDate(0, m, 0)
			end := ""
			if withEnd {
				end = s.AddDate(0, 1, -1).Format(time.DateOnly)
			}
			b.therapy(record.Mycophenolate, "mycophenolate", s.Format(time.DateOnly), end)
		}
		b.series(units.PCR, units.GPerG, "2020-01-05", 4.0, "2020-04-10", 2.0, "2020-07-10", 0.9, "2020-10-10", 0.3)
		asOf := start.Add(time.Duration(9.5 * 30.4375 * 24 * float64(time.Hour)))
		a := assess.Assess(b.timeline(), asOf, assess.DefaultConfig())
		r := a.Lupus.Response
		if r == nil || r.Response == nil || r.BaselineUPCR == nil {
			t.Fatalf("withEnd=%v: response = %+v, missing %+v", withEnd, r, a.Missing)
		}
		got := []any{*r.Response, date(r.Since), r.Months, r.Therapies, r.BaselineUPCR.Value}
		want := []any{lupus.ResponseComplete, "2020-01-10", 9.5, []string{"mycophenolate"}, 4.0}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("withEnd=%v: response (-want +got):\n%s", withEnd, diff)
		}
		// The refills are one course (issue 7 item 2), judged once.
		if len(a.Therapies) != 1 || a.Therapies[0].Records != 10 || len(a.Therapies[0].RecordIDs) != 10 {
			t.Fatalf("withEnd=%v: %d therapies (want one course of 10 records): %+v", withEnd, len(a.Therapies), a.Therapies)
		}
		if a.Therapies[0].Effect.Response == nil {
			t.Errorf("withEnd=%v: the course has no response", withEnd)
		}
		if want := start.AddDate(0, 9, 0); !a.Therapies[0].LastRecord.Equal(want) {
			t.Errorf("withEnd=%v: last_record %s, want %s", withEnd, date(a.Therapies[0].LastRecord), date(want))
		}
	}
}

// Review 2 item 1, second and third cases: Euro-Lupus cyclophosphamide
// (500 mg every 2 weeks, six infusions, each its own record) then
// mycophenolate maintenance 3 months after the first infusion is one
// course from the first infusion. UPCR 4.0 -> 1.5 -> 0.9 g/g: against the
// baseline of 4.0 a 77.5% fall to < 3 g/g, a KDIGO 2024 partial response,
// not "none" against the 1.5 measured before the maintenance drug.
func TestInductionCourseEuroLupusThenMaintenance(t *testing.T) {
	b := lnPatient(t, "eurolupus")
	first := day("2020-01-08")
	for i := range 6 {
		s := first.AddDate(0, 0, 14*i).Format(time.DateOnly)
		b.therapy(record.Cyclophosphamide, "cyclophosphamide", s, s)
	}
	b.therapy(record.Mycophenolate, "mycophenolate", "2020-04-08", "")
	b.series(units.PCR, units.GPerG, "2020-01-03", 4.0, "2020-04-03", 1.5, "2020-07-20", 0.9)
	a := assess.Assess(b.timeline(), day("2020-08-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || r.BaselineUPCR == nil || r.UPCR == nil {
		t.Fatalf("response = %+v, missing %+v", r, a.Missing)
	}
	got := []any{*r.Response, date(r.Since), r.Therapies, r.BaselineUPCR.Value, r.UPCR.Value}
	want := []any{lupus.ResponsePartial, "2020-01-08", []string{"cyclophosphamide", "mycophenolate"}, 4.0, 0.9}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	if hasAlert(a, "no-response-6m") {
		t.Errorf("no-response-6m raised for a partial response")
	}
	// The first infusion's effect is the course's; the other infusions and
	// the maintenance drug point at it.
	if r := a.Therapies[0].Effect.Response; r == nil || !cmp.Equal(r.Therapies, []string{"cyclophosphamide", "mycophenolate"}) {
		t.Errorf("therapies[0].effect.response = %+v, want the course's drugs", r)
	}
	// The six infusions are one course; the maintenance drug points at it.
	if len(a.Therapies) != 2 || a.Therapies[0].Records != 6 {
		t.Fatalf("therapies = %+v, want a course of 6 infusions and one of mycophenolate", a.Therapies)
	}
	missingContains(t, a, "therapies[1].effect.response", "(therapies[0])")
	// Before the maintenance drug, the infusions alone keep since at the
	// first infusion.
	a = assess.Assess(b.timeline(), day("2020-03-20"), assess.DefaultConfig())
	if r := a.Lupus.Response; r == nil || !r.Since.Equal(first) {
		t.Errorf("since after six infusions = %+v, want %s", r, date(first))
	}
}

// When a record continues a course and when it starts a new one: the gap
// after the course's reach (93 days; 183 for a repeat anti-CD20 dose), and
// a different agent (not mycophenolate) added after the initial 6 months.
func TestInductionCourseBoundaries(t *testing.T) {
	type rec struct {
		class      record.TherapyClass
		start, end string
	}
	for _, tc := range []struct {
		name      string
		recs      []rec
		wantSince string
	}{
		{"restart 93 days after the end continues", []rec{{record.Mycophenolate, "2020-01-10", "2020-03-01"}, {record.Mycophenolate, "2020-06-02", ""}}, "2020-01-10"},
		{"restart 94 days after the end is a new course", []rec{{record.Mycophenolate, "2020-01-10", "2020-03-01"}, {record.Mycophenolate, "2020-06-03", ""}}, "2020-06-03"},
		{"open record: the gap runs from its start", []rec{{record.Mycophenolate, "2020-01-10", ""}, {record.Mycophenolate, "2020-04-13", ""}}, "2020-04-13"},
		{"obinutuzumab week 24 continues", []rec{{record.Obinutuzumab, "2020-01-10", "2020-01-10"}, {record.Obinutuzumab, "2020-01-24", "2020-01-24"}, {record.Obinutuzumab, "2020-06-26", "2020-06-26"}}, "2020-01-10"},
		{"belimumab added in month 3 continues", []rec{{record.Mycophenolate, "2020-01-10", "2021-06-01"}, {record.Belimumab, "2020-04-10", ""}}, "2020-01-10"},
		{"cyclophosphamide added at 6 months continues", []rec{{record.Mycophenolate, "2020-01-10", "2021-06-01"}, {record.Cyclophosphamide, "2020-07-10", "2020-07-10"}}, "2020-01-10"},
		{"cyclophosphamide added after 6 months is re-induction", []rec{{record.Mycophenolate, "2020-01-10", "2021-06-01"}, {record.Cyclophosphamide, "2020-07-11", "2020-07-11"}}, "2020-07-11"},
		{"mycophenolate after 6 months of cyclophosphamide continues", []rec{{record.Cyclophosphamide, "2020-01-10", "2020-07-10"}, {record.Mycophenolate, "2020-08-01", ""}}, "2020-01-10"},
	} {
		b := lnPatient(t, "course")
		for _, r := range tc.recs {
			b.therapy(r.class, r.class.String(), r.start, r.end)
		}
		a := assess.Assess(b.timeline(), day("2020-09-01"), assess.DefaultConfig())
		if r := a.Lupus.Response; r == nil || date(r.Since) != tc.wantSince {
			t.Errorf("%s: response = %+v, want since %s", tc.name, r, tc.wantSince)
		}
	}
}

// Review 2 item 4: therapies[].effect.response is not judged after a
// kidney transplant (the graft) or on dialysis, like lupus.response.
func TestEffectResponseReplacementGuard(t *testing.T) {
	b := newPatient(t, "tx-effect", "1980-01-01", record.Female).
		cond(record.LupusNephritis, "2015-01-01", "IV").
		therapy(record.Mycophenolate, "mycophenolate", "2015-02-01", "2016-02-01").
		therapy(record.Belimumab, "belimumab", "2019-11-01", "").
		replacement(record.KidneyTransplant, "2020-05-01", "").
		therapy(record.Mycophenolate, "mycophenolate", "2020-05-01", "").
		series(units.PCR, units.MgPerG, "2015-01-20", 3000.0, "2016-02-01", 400.0, "2019-10-15", 2000.0, "2020-04-20", 2500.0, "2020-12-01", 2500.0).
		series(units.Creatinine, units.MgPerDL, "2015-01-20", 1.0, "2016-02-01", 1.0, "2019-10-15", 1.0, "2020-12-01", 1.1)
	a := assess.Assess(b.timeline(), day("2021-01-01"), assess.DefaultConfig())
	// 2015: judged on the native kidney, long before the transplant.
	if r := a.Therapies[0].Effect.Response; r == nil || r.Response == nil || *r.Response != lupus.ResponseComplete {
		t.Errorf("2015 mycophenolate response = %+v, want complete", r)
	}
	// Belimumab 2019: its 12-month point falls after the transplant.
	if r := a.Therapies[1].Effect.Response; r != nil {
		t.Errorf("therapies[1] (%s) response = %+v, want null", a.Therapies[1].Name, r)
	}
	missingContains(t, a, "therapies[1].effect.response", "kidney transplant on 2020-05-01")
	// Issue 7 item 3: mycophenolate started on the transplant day is graft
	// immunosuppression (KDIGO 2009 transplant recipients: CNI with an
	// antiproliferative agent): no LN evidence source, no LN before/after.
	g := a.Therapies[2]
	if g.Indication != "graft immunosuppression" || g.Evidence != assess.NotApplicable || g.EvidenceSource != "" ||
		g.Effect.Response != nil || g.Effect.EGFRSlopeAfter != nil || g.Effect.UPCRChange6m != nil {
		t.Errorf("graft mycophenolate = %+v, want graft immunosuppression with no LN evidence or effect", g)
	}
	missingContains(t, a, "therapies[2].effect", "graft immunosuppression (kidney transplant of 2020-05-01)")

	d := newPatient(t, "hd-effect", "1980-01-01", record.Female).
		cond(record.LupusNephritis, "2015-01-01", "IV").
		therapy(record.Mycophenolate, "mycophenolate", "2020-01-10", "").
		replacement(record.Hemodialysis, "2020-06-01", "").
		series(units.PCR, units.MgPerG, "2020-01-05", 3000.0, "2020-09-01", 2500.0).
		series(units.Creatinine, units.MgPerDL, "2020-01-05", 2.0)
	for _, s := range []string{"2020-06-05", "2020-06-12", "2020-06-19", "2020-06-26", "2020-07-03", "2020-07-10"} {
		d.replacement(record.Hemodialysis, s, "")
	}
	a = assess.Assess(d.timeline(), day("2020-07-15"), assess.DefaultConfig())
	if r := a.Therapies[0].Effect.Response; r != nil {
		t.Errorf("response on dialysis = %+v, want null", r)
	}
	missingContains(t, a, "therapies[0].effect.response", "on dialysis")
}

// Review 2 item 9: a flare compares two UPCRs at most 7 calendar months
// apart (ACR 2024 monitors every 3-6 months; one month for scheduling);
// none is judged after a kidney transplant or on dialysis.
func TestFlareGapAndReplacement(t *testing.T) {
	flareDates := func(a assess.Assessment) []string {
		out := []string{}
		for _, f := range a.Lupus.Flares {
			out = append(out, date(f.Date))
		}
		return out
	}
	lnb := func(id string) *builder {
		// A complete response (KDIGO 2024: UPCR 3000 -> 300 mg/g, creatinine
		// stable) in 2017, so that a later rise can be a relapse.
		return newPatient(t, id, "1985-01-01", record.Female).cond(record.LupusNephritis, "2010-01-01", "IV").
			therapy(record.Mycophenolate, "mycophenolate", "2016-01-10", "").
			series(units.Creatinine, units.MgPerDL, "2016-01-05", 0.8, "2017-01-05", 0.8).
			series(units.PCR, units.MgPerG, "2016-01-05", 3000.0, "2017-01-05", 300.0)
	}
	for _, tc := range []struct {
		name, prev, cur string
		want            []string
	}{
		// KDIGO 2012 Table 29: baseline < 500 mg/g rising to >= 1000 mg/g is a moderate flare.
		{"reviewer case: 5 years apart", "2018-01-01", "2023-06-01", []string{}},
		{"exactly 7 calendar months", "2020-01-15", "2020-08-15", []string{"2020-08-15"}},
		{"7 months and a day", "2020-01-15", "2020-08-16", []string{}},
	} {
		b := lnb("gap").series(units.PCR, units.MgPerG, tc.prev, 300.0, tc.cur, 1200.0)
		a := assess.Assess(b.timeline(), day(tc.cur).AddDate(0, 0, 10), assess.DefaultConfig())
		if diff := cmp.Diff(tc.want, flareDates(a)); diff != "" {
			t.Errorf("%s: flares (-want +got):\n%s", tc.name, diff)
		}
		if len(tc.want) == 0 {
			missingContains(t, a, "lupus.flares", tc.cur+" (")
			if hasAlert(a, "renal-flare") {
				t.Errorf("%s: renal-flare alert raised", tc.name)
			}
		}
	}

	tx := lnb("tx-flare").replacement(record.KidneyTransplant, "2020-05-01", "").
		series(units.PCR, units.MgPerG, "2020-06-01", 300.0, "2020-09-01", 1200.0)
	a := assess.Assess(tx.timeline(), day("2020-10-01"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{}, flareDates(a)); diff != "" {
		t.Errorf("after a transplant: flares (-want +got):\n%s", diff)
	}
	missingContains(t, a, "lupus.flares", "after the kidney transplant of 2020-05-01")

	hd := lnb("hd-flare").series(units.PCR, units.MgPerG, "2020-06-01", 300.0, "2020-09-01", 1200.0)
	for s := day("2020-05-01"); !s.After(day("2020-09-25")); s = s.AddDate(0, 0, 7) {
		hd.replacement(record.Hemodialysis, s.Format(time.DateOnly), "")
	}
	a = assess.Assess(hd.timeline(), day("2020-10-01"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{}, flareDates(a)); diff != "" {
		t.Errorf("on dialysis: flares (-want +got):\n%s", diff)
	}
	missingContains(t, a, "lupus.flares", "on dialysis")
}

func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }
