package assess_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"renalwatch/assess"
	"renalwatch/record"
)

// TestLostResponseAtNewEpisode: a renal flare is a relapse after a response
// (KDIGO 2012 GN guideline Table 29, EULAR/ERA-EDTA 2012), and persistent
// disease without a response is no response, not a flare (KDIGO 2024 LN).
// A response reached in an earlier induction episode is lost when a new
// episode starts and its baseline UPCR, judged by the response rule
// against the baseline the response was reached from, shows no response.
//
// Every case is the relapsePatient (mycophenolate from 2022-01-10,
// baseline UPCR 4000 mg/g, creatinine 0.9 mg/dL at every UPCR: eGFR
// stable: CKD-EPI 2021 87 to January 2023 and 86 from April 2023, as
// `renalwatch egfr --creatinine 0.9mg/dL --sex female --age 33.01` and
// `--age 33.26` print), with a partial response on 2022-10-05 (1500 mg/g: 62.5% below
// 4000 and < 3000 mg/g, KDIGO 2024 LN partial), and a second agent added
// on 2023-04-20, more than 6 months after mycophenolate (a new induction
// episode), with the UPCR of 2023-04-05 as its baseline (within the 90-day
// lookback). A Table 29 moderate relapse from a baseline > 1000 mg/g is a
// >= 2-fold rise with the UPCR < 5000 mg/g.
func TestLostResponseAtNewEpisode(t *testing.T) {
	const lostPrefix = "response lost at a new induction episode: the partial renal response (kdigo-2024) reached at the UPCR of "
	for _, tc := range []struct {
		name    string
		agent   record.TherapyClass
		start   string // the agent's start (a new induction episode)
		rows    []any
		casts   [][2]any // finding date, present
		asOf    string
		flares  []string
		missing string // a lupus.flares entry contains it ("" none of lostPrefix)
	}{{
		// 2023-04-05 2400 mg/g: 40% below 4000, not partial (>= 50%): the
		// rituximab episode starts out of response and the response of
		// 2022-10-05 is lost. Its 6 months end on 2023-10-20, so no
		// response is judged in it before the rise of 2023-10-05 (2000 ->
		// 4100 mg/g, 2.05-fold), which is not a flare.
		name:  "add-on during non-response",
		agent: record.Rituximab, start: "2023-04-20",
		rows: []any{"2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 2800.0, "2023-04-05", 2400.0, "2023-07-05", 2000.0, "2023-10-05", 4100.0},
		asOf: "2023-10-20", flares: []string{},
		missing: lostPrefix + "2022-10-05 was lost when rituximab started on 2023-04-20 (the episode's baseline UPCR 2400 mg/g of 2023-04-05, eGFR 86, shows no response against the baseline UPCR 4000 mg/g of 2022-01-05, eGFR 87, that the response was judged from) and no partial or complete response was reached in that episode since, so the rise at the UPCR of 2023-10-05 meets the kdigo-2012 flare criteria but is not a flare",
	}, {
		// 2023-04-05 1800 mg/g: 55% below 4000 and < 3000, partial:
		// belimumab added in response keeps it, and the same rise
		// (2000 -> 4100 mg/g) is a moderate relapse.
		name:  "add-on during response",
		agent: record.Belimumab, start: "2023-04-20",
		rows: []any{"2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 2800.0, "2023-04-05", 1800.0, "2023-07-05", 2000.0, "2023-10-05", 4100.0},
		asOf: "2023-10-20", flares: []string{"2023-10-05"},
	}, {
		// The flare of 2023-01-05 (1500 -> 3100 mg/g, 2.07-fold), a
		// partial response to it on 2023-10-05 (1400 mg/g: 55% below 3100
		// and < 3000, 9 months after it), rituximab added on 2024-02-01
		// with the baseline 2400 mg/g of 2024-01-05 (23% below the flare's
		// 3100: no response): the response is lost, and the rise of
		// 2024-04-05 (2400 -> 4900 mg/g, 2.04-fold) is not a second flare.
		name:  "flare, response again, add-on out of response",
		agent: record.Rituximab, start: "2024-02-01",
		rows: []any{"2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 3100.0, "2023-04-05", 2500.0, "2023-07-05", 2200.0, "2023-10-05", 1400.0, "2024-01-05", 2400.0, "2024-04-05", 4900.0},
		asOf: "2024-04-20", flares: []string{"2023-01-05"},
		missing: "reached at the UPCR of 2023-10-05 was lost when rituximab started on 2024-02-01 (the episode's baseline UPCR 2400 mg/g of 2024-01-05, eGFR 86, shows no response against the baseline UPCR 3100 mg/g of 2023-01-05, eGFR 87, that the response was judged from)",
	}, {
		// The same with the baseline 1400 mg/g on 2024-01-05 (55% below
		// 3100 and < 3000: partial): the response is kept, and the rise
		// of 2024-04-05 (1400 -> 2900 mg/g, 2.07-fold) is a second flare.
		name:  "flare, response again, add-on in response",
		agent: record.Rituximab, start: "2024-02-01",
		rows: []any{"2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 3100.0, "2023-04-05", 2500.0, "2023-07-05", 2200.0, "2023-10-05", 1400.0, "2024-01-05", 1400.0, "2024-04-05", 2900.0},
		asOf: "2024-04-20", flares: []string{"2023-01-05", "2024-04-05"},
	}, {
		// The first case with casts recorded absent on 2022-10-05 and
		// present on 2023-10-05: a recurrence had the response held (a
		// Table 29 mild relapse); lost, they are persisting activity.
		name:  "casts after a lost response",
		agent: record.MSCInfusion, start: "2023-04-20",
		rows:  []any{"2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 2800.0, "2023-04-05", 2400.0, "2023-07-05", 2000.0, "2023-10-05", 2100.0},
		casts: [][2]any{{"2022-10-05", false}, {"2023-10-05", true}},
		asOf:  "2023-10-20", flares: []string{},
		missing: "when mesenchymal stem cell infusion started on 2023-04-20 (the episode's baseline UPCR 2400 mg/g of 2023-04-05, eGFR 86, shows no response against the baseline UPCR 4000 mg/g of 2022-01-05, eGFR 87, that the response was judged from) and no partial or complete response was reached in that episode since, so the casts at the UPCR of 2023-10-05, recorded absent after the lost response, are persisting activity, not a recurrence",
	}, {
		// No UPCR in the 90 days before the add-on (the latest is of
		// 2023-01-05, 105 days before): whether the response held cannot
		// be judged, so it is kept, as without the rule.
		name:  "add-on without a baseline UPCR",
		agent: record.Rituximab, start: "2023-04-20",
		rows: []any{"2022-07-05", 3000.0, "2022-10-05", 1500.0, "2023-01-05", 2000.0, "2023-07-05", 2000.0, "2023-10-05", 4100.0},
		asOf: "2023-10-20", flares: []string{"2023-10-05"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			b := relapsePatient(t, tc.rows...).therapy(tc.agent, tc.agent.String(), tc.start, "")
			for _, c := range tc.casts {
				b.finding(c[0].(string), c[1].(bool), record.FindingUrinaryCasts)
			}
			a := assess.Assess(b.timeline(), day(tc.asOf), assess.DefaultConfig())
			if diff := cmp.Diff(tc.flares, flareDatesOf(a)); diff != "" {
				t.Errorf("flares (-want +got):\n%s", diff)
			}
			if tc.missing != "" {
				missingContains(t, a, "lupus.flares", tc.missing)
				if hasAlert(a, assess.AlertRenalFlare) && len(tc.flares) == 0 {
					t.Error("renal-flare alert after a lost response")
				}
				return
			}
			for _, m := range missingFor(a, "lupus.flares") {
				if strings.Contains(m, "response lost") {
					t.Errorf("missing names a loss where the response is kept: %q", m)
				}
			}
		})
	}
}
