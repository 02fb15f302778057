package fhir_test

import (
	"regexp"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/demo"
	"renalwatch/fhir"
	"renalwatch/record"
)

// TestDemoBundlesUniqueFullURLs writes the report bundle of every demo
// patient at several dates and checks FHIR bdl-7 (fullUrl unique in a
// Bundle) and that every fullUrl is urn:uuid:<UUID> of its resource id. The
// demo patients stem-cell and dialysis have two alerts with the same code
// (two investigational therapies; dialysis then a transplant), which once
// shared one id; the test checks that such a bundle is among those written.
func TestDemoBundlesUniqueFullURLs(t *testing.T) {
	pats, err := demo.Load(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	dupCode := map[string]bool{}
	for _, p := range pats {
		tl := record.NewTimeline(p.Batch.Patients[0], p.Batch)
		for _, day := range []string{"2020-06-01", "2023-01-01", "2024-01-01", "2025-03-25", "2025-04-20", "2025-06-01", "2026-03-01", "2026-10-15"} {
			d, _ := time.Parse(time.DateOnly, day)
			a := assess.Assess(tl, d.Add(24*time.Hour-time.Nanosecond), assess.DefaultConfig())
			b := fhir.ReportBundle(a, tl)
			seen, codes := map[string]bool{}, map[string]int{}
			for i, e := range b.Entry {
				if seen[e.FullURL] {
					t.Errorf("%s as of %s entry %d: fullUrl %s repeated (bdl-7)", p.ID, day, i, e.FullURL)
				}
				seen[e.FullURL] = true
				if !demoUUID.MatchString(e.Resource.ID) || e.FullURL != "urn:uuid:"+e.Resource.ID {
					t.Errorf("%s as of %s entry %d: fullUrl %s, id %s", p.ID, day, i, e.FullURL, e.Resource.ID)
				}
				if e.Resource.ResourceType == "DetectedIssue" {
					if codes[e.Resource.Code.Text]++; codes[e.Resource.Code.Text] == 2 {
						dupCode[p.ID] = true
					}
				}
			}
		}
	}
	// stem-cell had two investigational-therapy alerts until rituximab,
	// listed by KDIGO 2024 LN for refractory disease, stopped raising one.
	for _, id := range []string{"dialysis"} {
		if !dupCode[id] {
			t.Errorf("demo %s: no bundle with two alerts of the same code was written; the test no longer covers the case", id)
		}
	}
}

var demoUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
