package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// TestLNEvaluationShown: the ln-evaluation alert (SLE with persistent
// proteinuria and no known lupus nephritis; KDIGO 2024 LN practice point
// 10.1.1) reaches the dashboard page and the API like every alert.
func TestLNEvaluationShown(t *testing.T) {
	db := openDemo(t)
	const id = "sle-proteinuria"
	obs := func(n string, an units.Analyte, v float64, u units.Unit, d time.Time) record.Observation {
		q, err := an.Normalize("", units.Q(v, u))
		if err != nil {
			t.Fatal(err)
		}
		return record.Observation{ID: n, PatientID: id, Analyte: an, Value: q, Time: d, Source: &record.Source{System: "test", Unit: string(u)}}
	}
	jul, oct := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	b := record.Batch{
		Patients:   []record.Patient{{ID: id, Sex: record.Female, BirthDate: time.Date(1996, 4, 12, 0, 0, 0, 0, time.UTC)}},
		Conditions: []record.Condition{{ID: "c1", PatientID: id, Kind: record.SLE, Onset: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)}},
		Observations: []record.Observation{
			obs("cr1", units.Creatinine, 0.7, units.MgPerDL, jul), obs("cr2", units.Creatinine, 0.72, units.MgPerDL, oct),
			obs("p1", units.PCR, 0.62, units.GPerG, jul), obs("p2", units.PCR, 0.84, units.GPerG, oct),
		},
	}
	if res, err := db.Import(context.Background(), &b, store.ImportOptions{Strict: true}); err != nil || len(res.Rejected) > 0 {
		t.Fatalf("%v %v", err, res)
	}
	s, _ := newTestServer(t, Config{Store: db})
	for _, target := range []string{"/patients/" + id + "?as_of=" + testAsOf, "/api/patients/" + id + "/assessment?as_of=" + testAsOf} {
		resp := do(t, s, "GET", target, nil, nil)
		body := string(readAll(t, resp))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", target, resp.StatusCode)
		}
		for _, want := range []string{"ln-evaluation", "UPCR 0.84 g/g on 2026-10-01 and 0.62 g/g on 2026-07-01", "suggests considering a kidney biopsy to look for lupus nephritis", "practice point 10.1.1"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", target, want)
			}
		}
	}
}
