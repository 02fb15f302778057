package server

import (
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// An ACR of 0 (below the laboratory's detection limit) has no place on
// the protein chart's log axis: it is flagged below_axis, drawn on the
// floor with its own mark and legend text, not as an ordinary point on
// the floor (trial 3 #5). A value on or above the floor is not flagged; a
// bound ("<") keeps its own mark.
func TestProteinBelowAxis(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.UTC() }
	p := record.Patient{ID: "z", Sex: record.Male, BirthDate: day("1960-05-05")}
	tl := record.NewTimeline(p, record.Batch{Observations: []record.Observation{
		{ID: "a0", PatientID: "z", Analyte: units.ACR, Value: units.Q(0, units.MgPerG), Time: day("2026-10-02")},
		{ID: "a5", PatientID: "z", Analyte: units.ACR, Value: units.Q(5, units.MgPerG), Time: day("2026-10-03")},
		{ID: "a10", PatientID: "z", Analyte: units.ACR, Value: units.Q(10, units.MgPerG), Time: day("2026-10-04")},
		{ID: "alt", PatientID: "z", Analyte: units.ACR, Value: units.Q(3, units.MgPerG), Comparator: record.Less, Time: day("2026-10-05")},
	}})
	asOf := day("2026-11-01")
	c := buildCharts(tl, assess.Assess(tl, asOf, assess.DefaultConfig()), asOf)
	got := map[string]bool{}
	for _, pt := range c.Protein.Points {
		got[pt.Date] = pt.BelowAxis
	}
	want := map[string]bool{"2026-10-02": true, "2026-10-03": true, "2026-10-04": false, "2026-10-05": true}
	for d, w := range want {
		if got[d] != w {
			t.Errorf("%s: below_axis %v, want %v (points %+v)", d, got[d], w, c.Protein.Points)
		}
	}
	raw, err := assets.ReadFile("static/charts.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(raw)
	if !strings.Contains(js, `" (below axis)"`) || !strings.Contains(js, "q.below_axis") {
		t.Error("charts.js does not draw below-axis values apart")
	}
}
