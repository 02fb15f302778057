package assess_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// relapsePatient: class IV lupus nephritis, mycophenolate from 2022-01-10,
// baseline UPCR 4000 mg/g, creatinine 0.9 mg/dL throughout (eGFR stable),
// then the UPCRs given (quarterly). KDIGO 2024 LN: partial response is a
// UPCR >= 50% lower than baseline and < 3000 mg/g with a stable eGFR, judged
// from 6 months after the start of therapy. KDIGO 2012 GN Table 29: from a
// baseline > 1000 mg/g, a >= 2-fold rise with UPCR < 5000 mg/g is a
// moderate relapse.
func relapsePatient(t *testing.T, rows ...any) *builder {
	b := newPatient(t, "relapse", "1990-01-01", record.Female).cond(record.LupusNephritis, "2022-01-05", "IV").
		therapy(record.Mycophenolate, "mycophenolate", "2022-01-10", "")
	b.series(units.PCR, units.MgPerG, append([]any{"2022-01-05", 4000.0}, rows...)...)
	for i := 0; i < len(rows); i += 2 {
		b.series(units.Creatinine, units.MgPerDL, rows[i], 0.9)
	}
	return b.series(units.Creatinine, units.MgPerDL, "2022-01-05", 0.9)
}

func flareDatesOf(a assess.Assessment) []string {
	out := []string{}
	for _, f := range a.Lupus.Flares {
		out = append(out, date(f.Date))
	}
	return out
}

// TestNoFlareWithoutResponse: a Table 29 rise (2100 -> 4300 mg/g, 2.05-fold)
// in a patient who never reached a response (4000 -> 3000 -> 2100 mg/g,
// 47.5% lower: not partial) is persistent activity, not a relapse: no
// flare, no renal-flare alert, and missing names the rise.
func TestNoFlareWithoutResponse(t *testing.T) {
	b := relapsePatient(t, "2022-07-05", 3000.0, "2022-10-05", 2100.0, "2023-01-05", 4300.0)
	a := assess.Assess(b.timeline(), day("2023-01-20"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{}, flareDatesOf(a)); diff != "" {
		t.Errorf("flares (-want +got):\n%s", diff)
	}
	if hasAlert(a, assess.AlertRenalFlare) {
		t.Error("renal-flare alert without a prior response")
	}
	missingContains(t, a, "lupus.flares", "persistent activity, no response yet: the rise at the UPCR of 2023-01-05 meets the kdigo-2012 flare criteria, but no partial or complete renal response (kdigo-2024) was reached before, so it is not a flare")
}

// TestFlareAfterPartialResponse: the same rise after a partial response
// (4000 -> 1500 mg/g on 2022-10-05, 62.5% lower and < 3000) is a moderate
// relapse (1500 -> 3100, 2.07-fold) with a renal-flare warning.
func TestFlareAfterPartialResponse(t *testing.T) {
	b := relapsePatient(t, "2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 3100.0)
	a := assess.Assess(b.timeline(), day("2023-01-20"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{"2023-01-05"}, flareDatesOf(a)); diff != "" {
		t.Fatalf("flares (-want +got):\n%s", diff)
	}
	if f := a.Lupus.Flares[0]; f.Severity == nil || *f.Severity != "moderate" {
		t.Errorf("severity %v, want moderate", f.Severity)
	}
	if got := severityOf(a, assess.AlertRenalFlare); got != assess.Warning {
		t.Errorf("renal-flare %q, want warning", got)
	}
	if r := a.Lupus.Response; r == nil || r.Current == nil || r.Current.State != assess.StateFlare {
		t.Errorf("current state %+v, want flare", r.Current)
	}
}

// TestRelapseNeedsResponseAgain: after the flare of 2023-01-05 (3100
// mg/g), a rise on 2023-07-05 (1600 -> 3300, 2.06-fold) before any new
// response is the same activity, not a new flare; 1400 mg/g on 2024-01-05
// is a partial response to the flare (55% below 3100 and < 3000, 12 months
// after it), so the rise of 2024-04-05 (1400 -> 2900, 2.07-fold) is a second
// relapse.
func TestRelapseNeedsResponseAgain(t *testing.T) {
	b := relapsePatient(t, "2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 3100.0,
		"2023-04-05", 1600.0, "2023-07-05", 3300.0, "2023-10-05", 2000.0, "2024-01-05", 1400.0, "2024-04-05", 2900.0)
	a := assess.Assess(b.timeline(), day("2024-04-20"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{"2023-01-05", "2024-04-05"}, flareDatesOf(a)); diff != "" {
		t.Errorf("flares (-want +got):\n%s", diff)
	}
	missingContains(t, a, "lupus.flares", "activity persisting after a flare: the rise at the UPCR of 2023-07-05 meets the kdigo-2012 flare criteria, but no partial or complete renal response (kdigo-2024) was reached between the previous flare and the rise, so it is not a new flare")
	// Without the response of 2024-01-05 (2000 mg/g: 35% below the flare),
	// the rise of 2024-04-05 (2000 -> 4100) is not a flare either.
	b = relapsePatient(t, "2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 3100.0,
		"2023-04-05", 1600.0, "2023-07-05", 3300.0, "2023-10-05", 2000.0, "2024-01-05", 2000.0, "2024-04-05", 4100.0)
	a = assess.Assess(b.timeline(), day("2024-04-20"), assess.DefaultConfig())
	if diff := cmp.Diff([]string{"2023-01-05"}, flareDatesOf(a)); diff != "" {
		t.Errorf("no response again: flares (-want +got):\n%s", diff)
	}
	missingContains(t, a, "lupus.flares", "the rises at the UPCRs of 2023-07-05 and 2024-04-05 meet the kdigo-2012 flare criteria")
}
