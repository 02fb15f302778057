package assess_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// Issue 7 item 4: a hand-worked patient (invented) whose expected answer
// follows from the KDIGO 2024 LN definitions (Kidney Int 2024;105(1S):
// complete = UPCR < 0.5 g/g with eGFR within 10-15% of baseline; partial =
// >= 50% fall to < 3 g/g; no response = failure to reach either within 6-12
// months of starting therapy) and the KDIGO 2012 GN Table 29 flare rule
// (moderate proteinuric flare: UPCR from < 500 mg/g to >= 1000 mg/g).
//
// Class IV lupus nephritis, mycophenolate from 2020-01-15, creatinine 0.8
// mg/dL throughout (eGFR unchanged). UPCR g/g:
//
//	2020-01-10  2.0  baseline
//	2020-04-15  1.4  3 months: too early to judge
//	2020-07-15  0.9  6 months: 55% fall, < 3      -> partial
//	2020-10-15  0.3  9 months: < 0.5, eGFR stable -> complete (first reached)
//	2021-01-15  0.4  12 months                     -> complete
//	2021-04-15  1.2  15 months: 40% below baseline -> "none" at this UPCR alone;
//	                 0.4 -> 1.2 g/g is a moderate proteinuric flare
//
// Expected on 2021-05-01: response complete, first reached 2020-10-15 (9.0
// months), last shown 2021-01-15 (assessed_at, upcr and criteria); current
// state flare from 2021-04-15; a renal-flare alert and no
// no-response-6m alert (the patient did respond).
func TestResponseReachedSurvivesFlare(t *testing.T) {
	b := lnPatient(t, "best-then-flare")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
	b.series(units.PCR, units.GPerG, "2020-01-10", 2.0, "2020-04-15", 1.4, "2020-07-15", 0.9, "2020-10-15", 0.3, "2021-01-15", 0.4, "2021-04-15", 1.2)
	a := assess.Assess(b.timeline(), day("2021-05-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || r.Best == nil || r.Current == nil {
		t.Fatalf("response = %+v; missing %+v", r, a.Missing)
	}
	got := []any{*r.Response, r.Best.Response, r.Best.Rule, date(r.Best.Date), r.Best.Months, r.Best.UPCR.Value, date(*r.AssessedAt), r.UPCR.Value}
	// Best.Months: 274 days in months of 30.4375 days, unrounded.
	want := []any{lupus.ResponseComplete, lupus.ResponseComplete, lupus.KDIGO2024, "2020-10-15", 274.0 / 30.4375, 0.3, "2021-01-15", 0.4}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("best response (-want +got):\n%s", diff)
	}
	cur := r.Current
	if cur.FlareDate == nil {
		t.Fatalf("current = %+v, want a flare date; flares %+v", cur, a.Lupus.Flares)
	}
	got = []any{cur.State, date(cur.Date), date(*cur.FlareDate), cur.UPCR.Value, date(cur.UPCRDate)}
	want = []any{assess.StateFlare, "2021-04-15", "2021-04-15", 1.2, "2021-04-15"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("current state (-want +got):\n%s", diff)
	}
	if hasAlert(a, assess.AlertNoResponse6m) {
		t.Errorf("no-response-6m raised for a patient in complete response before a flare: %+v", a.Alerts)
	}
	if !hasAlert(a, assess.AlertRenalFlare) {
		t.Errorf("no renal-flare alert: %+v", a.Alerts)
	}
	// The course's before/after response (judged at 12 months) is the same
	// complete response.
	if e := a.Therapies[0].Effect.Response; e == nil || e.Best == nil || date(e.Best.Date) != "2020-10-15" || e.Current == nil || e.Current.State != lupus.ResponseComplete {
		t.Errorf("therapies[0].effect.response = %+v", e)
	}
	// Before the flare the state is the complete response itself.
	a = assess.Assess(b.timeline(), day("2021-02-01"), assess.DefaultConfig())
	if r := a.Lupus.Response; r == nil || r.Current == nil || r.Current.State != lupus.ResponseComplete || r.Current.FlareDate != nil || date(r.Current.Date) != "2021-01-15" {
		t.Errorf("before the flare: response %+v", r)
	}
}

// A response lost without a flare by the flare rule (0.4 -> 0.8 g/g stays
// below the 1000 mg/g of KDIGO 2012 Table 29) keeps the best response; the
// current state is the rule's category at the latest UPCR: 0.8 g/g is a 60%
// fall from 2.0 and below 3, partial.
func TestResponseReachedThenPartial(t *testing.T) {
	b := lnPatient(t, "best-then-partial")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
	b.series(units.PCR, units.GPerG, "2020-01-10", 2.0, "2020-07-15", 0.9, "2020-10-15", 0.3, "2021-01-15", 0.8)
	a := assess.Assess(b.timeline(), day("2021-02-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || r.Best == nil || r.Current == nil {
		t.Fatalf("response = %+v; missing %+v", r, a.Missing)
	}
	got := []any{*r.Response, date(r.Best.Date), r.Current.State, date(r.Current.Date), len(a.Lupus.Flares)}
	want := []any{lupus.ResponseComplete, "2020-10-15", lupus.ResponsePartial, "2021-01-15", 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// ACR 2024 monitors every 3-6 months only in complete response: the
	// current state, not the best one, sets the interval.
	a = assess.Assess(b.timeline(), day("2021-04-20"), assess.DefaultConfig()) // 95 days after the last UPCR
	if !hasAlert(a, assess.AlertMonitoringOverdue) {
		t.Errorf("UPCR 95 days old in partial response: no monitoring-overdue alert: %+v", a.Alerts)
	}
}

// Never reaching a response within 6-12 months is KDIGO 2024 "no
// response": UPCR 2.0 -> 1.5, 1.3, 1.1 g/g is at most a 45% fall. Best is
// null, response and current state "none", and no-response-6m is raised.
func TestResponseNeverReached(t *testing.T) {
	b := lnPatient(t, "never")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
	b.series(units.PCR, units.GPerG, "2020-01-10", 2.0, "2020-07-15", 1.5, "2020-10-15", 1.3, "2021-01-15", 1.1)
	a := assess.Assess(b.timeline(), day("2021-02-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || r.Current == nil {
		t.Fatalf("response = %+v; missing %+v", r, a.Missing)
	}
	if r.Best != nil || *r.Response != lupus.ResponseNone || r.Current.State != lupus.ResponseNone || date(*r.AssessedAt) != "2021-01-15" {
		t.Errorf("response %q best %+v current %+v assessed %v, want none at 2021-01-15", *r.Response, r.Best, r.Current, r.AssessedAt)
	}
	if !hasAlert(a, assess.AlertNoResponse6m) {
		t.Errorf("no no-response-6m alert: %+v", a.Alerts)
	}
}

// eular-2012 judges a flare only after a complete or partial response
// (Bertsias 2012). After the complete response of 2020-10-15 a second
// flaring visit (1.2 -> 2.6 g/g, a doubling to > 0.5 g/g after a complete
// response) is judged against that response: the UPCR of 1.2 g/g just
// before it is a flare, not the end of the response. Before issue 7 item 4
// the visit was skipped because the previous UPCR alone was "none".
func TestEULARFlareAfterBestResponse(t *testing.T) {
	b := lnPatient(t, "eular-after-best")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
	b.series(units.PCR, units.GPerG, "2020-01-10", 2.0, "2020-07-15", 0.9, "2020-10-15", 0.3, "2021-01-15", 0.4, "2021-04-15", 1.2, "2021-06-15", 2.6)
	cfg := assess.DefaultConfig()
	cfg.FlareRule = lupus.EULAR2012Flare
	a := assess.Assess(b.timeline(), day("2021-07-01"), cfg)
	if len(a.Lupus.Flares) != 1 {
		t.Fatalf("flares = %+v, want one", a.Lupus.Flares)
	}
	f := a.Lupus.Flares[0]
	if got := []any{date(f.Date), date(f.LastDate), f.Visits}; !cmp.Equal(got, []any{"2021-04-15", "2021-06-15", 2}) {
		t.Errorf("flare %v, want 2021-04-15 to 2021-06-15 over 2 visits", got)
	}
	for _, m := range a.Missing {
		if m.Path == "lupus.flares" && strings.Contains(m.Reason, "2021-06-15") {
			t.Errorf("visit skipped: %s", m.Reason)
		}
	}
	if r := a.Lupus.Response; r == nil || r.Current == nil || r.Current.State != assess.StateFlare {
		t.Errorf("current = %+v, want flare", r)
	}
}
