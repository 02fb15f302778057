package main

import (
	"bytes"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/demo"
	"renalwatch/record"
	"renalwatch/units"
)

// TestReportJSONStreamSameBytes: the streamed report --json is byte for
// byte what writeJSON writes for the whole document, for every demo
// patient (series with reasons, cystatin C, notes) and for a record whose
// notes hold characters HTML escaping would change.
func TestReportJSONStreamSameBytes(t *testing.T) {
	defer func(n int) { streamSeriesMin = n }(streamSeriesMin)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ps, err := demo.Load(now)
	if err != nil {
		t.Fatal(err)
	}
	var tls []*record.Timeline
	for _, p := range ps {
		for _, pt := range p.Batch.Patients {
			tls = append(tls, record.NewTimeline(pt, p.Batch))
		}
	}
	p := record.Patient{ID: "esc", BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), Sex: record.Female}
	var b record.Batch
	for i := range 5 {
		b.Observations = append(b.Observations, record.Observation{ID: "c" + string(rune('a'+i)), PatientID: p.ID, Analyte: units.Creatinine,
			Value: units.Q(1+0.1*float64(i), units.MgPerDL), Time: time.Date(2020, 1, 1+i, 0, 0, 0, 0, time.UTC),
			Notes: []string{"unit <mg/dL> & code \"x\""}})
	}
	tls = append(tls, record.NewTimeline(p, b), record.NewTimeline(record.Patient{ID: "none"}, record.Batch{}))
	for _, tl := range tls {
		day := time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)
		r := assess.Assess(tl, day.Add(24*time.Hour-time.Nanosecond), assess.DefaultConfig()).Report(day)
		var whole, streamed bytes.Buffer
		if err := writeJSON(&whole, &r); err != nil {
			t.Fatal(err)
		}
		streamSeriesMin = 0
		err := writeReportJSON(&streamed, &r)
		streamSeriesMin = 4096
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(whole.Bytes(), streamed.Bytes()) {
			t.Errorf("%s: streamed report differs from the whole document (%d vs %d bytes)", tl.Patient.ID, streamed.Len(), whole.Len())
		}
		if r.Kidney.Series.Len() > 0 && !bytes.Contains(streamed.Bytes(), []byte("\"egfr_series\": [\n      {")) {
			t.Errorf("%s: series not written as expected", tl.Patient.ID)
		}
	}
}
