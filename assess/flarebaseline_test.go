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

// Trial 3 item 3: after a renal flare the response is judged against the
// flare, never against the old induction baseline, and the response
// section and the flare gate give one answer. Hand-worked (invented
// patient, creatinine 0.8 mg/dL throughout) from the KDIGO 2024 LN
// definitions (Kidney Int 2024;105(1S):S1-S69: partial = >= 50% fall and
// < 3 g/g, judged 6-12 months after the start of therapy; a flare is
// treated and judged like the initial disease) and KDIGO 2012 GN guideline
// Table 29 (moderate relapse: baseline UPCR > 1000 mg/g, >= 2-fold rise
// with an absolute UPCR < 5000 mg/g). UPCR g/g, mycophenolate from
// 2020-01-15:
//
//	2020-01-10  6.0  baseline
//	2020-07-15  2.0  67% fall, < 3 -> partial (first reached)
//	2020-10-15  2.1  65% fall      -> partial (latest before the flare)
//	2021-01-15  4.4  2.1 -> 4.4 g/g: 2.1-fold, < 5 g/g -> moderate flare
//	2021-04-15  3.5  3 months after the flare: too early to judge
//	2021-09-15  2.8  against the flare's 4.4: 36% fall -> no response: state flare
//	                 (against the old baseline 6.0 it would be a 53% fall, "partial")
//	2022-01-15  1.5  against 4.4: 66% fall, < 3 -> partial, a response to the flare
//	2022-04-15  3.2  1.5 -> 3.2 g/g: 2.1-fold, < 5 g/g -> a second moderate flare,
//	                 reported because the response of 2022-01-15 came before it
func TestResponseAfterFlareJudgedAgainstFlare(t *testing.T) {
	b := lnPatient(t, "flare-baseline")
	for _, d := range []string{"2022-01-02", "2022-02-02", "2022-03-02", "2022-04-02", "2022-05-02"} {
		b.obs(units.Creatinine, d, 0.8, units.MgPerDL)
	}
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2020-01-15", "")
	b.series(units.PCR, units.GPerG, "2020-01-10", 6.0, "2020-07-15", 2.0, "2020-10-15", 2.1, "2021-01-15", 4.4,
		"2021-04-15", 3.5, "2021-09-15", 2.8, "2022-01-15", 1.5, "2022-04-15", 3.2)

	a := assess.Assess(b.timeline(), day("2021-10-01"), assess.DefaultConfig())
	r := a.Lupus.Response
	if r == nil || r.Response == nil || r.Best == nil || r.Current == nil || r.AssessedAt == nil || r.UPCR == nil {
		t.Fatalf("response = %+v; missing %+v", r, a.Missing)
	}
	if len(a.Lupus.Flares) != 1 || date(a.Lupus.Flares[0].Date) != "2021-01-15" {
		t.Fatalf("flares = %+v, want one on 2021-01-15", a.Lupus.Flares)
	}
	// The episode's response stops at the flare: its latest evidence is the
	// 2.1 g/g of 2020-10-15, not the 2.8 g/g after the flare.
	got := []any{*r.Response, date(r.Best.Date), date(*r.AssessedAt), r.UPCR.Value}
	want := []any{lupus.ResponsePartial, "2020-07-15", "2020-10-15", 2.1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("episode response (-want +got):\n%s", diff)
	}
	c := r.Current
	if c.FlareDate == nil || c.BaselineUPCR == nil || c.BaselineDate == nil {
		t.Fatalf("current = %+v, want the flare and its baseline", c)
	}
	got = []any{c.State, date(c.Date), date(*c.FlareDate), c.UPCR.Value, date(c.UPCRDate), c.BaselineUPCR.Value, date(*c.BaselineDate)}
	want = []any{assess.StateFlare, "2021-01-15", "2021-01-15", 2.8, "2021-09-15", 4.4, "2021-01-15"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("current after the flare (-want +got):\n%s", diff)
	}

	// A response to the flare: partial against the flare's 4.4 g/g.
	a = assess.Assess(b.timeline(), day("2022-02-01"), assess.DefaultConfig())
	c = a.Lupus.Response.Current
	got = []any{c.State, date(c.Date), c.UPCR.Value, c.BaselineUPCR.Value, date(*c.FlareDate)}
	want = []any{lupus.ResponsePartial, "2022-01-15", 1.5, 4.4, "2021-01-15"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("current after the response to the flare (-want +got):\n%s", diff)
	}

	// The flare gate saw the same response: the rise of 2022-04-15 is a new
	// flare, and the state is judged against it.
	a = assess.Assess(b.timeline(), day("2022-05-01"), assess.DefaultConfig())
	if len(a.Lupus.Flares) != 2 || date(a.Lupus.Flares[1].Date) != "2022-04-15" {
		t.Fatalf("flares = %+v, want a second one on 2022-04-15", a.Lupus.Flares)
	}
	c = a.Lupus.Response.Current
	got = []any{c.State, date(*c.FlareDate), c.BaselineUPCR.Value, date(*c.BaselineDate)}
	want = []any{assess.StateFlare, "2022-04-15", 3.2, "2022-04-15"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("current after the second flare (-want +got):\n%s", diff)
	}
	for _, m := range a.Missing {
		if m.Path == "lupus.flares" && strings.Contains(m.Reason, "activity persisting") {
			t.Errorf("the response to the first flare was not seen by the gate: %s", m.Reason)
		}
	}
}
