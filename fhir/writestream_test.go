package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/demo"
	"renalwatch/fhir"
	"renalwatch/record"
	"renalwatch/units"
)

// encodeBundle is the document report --format fhir wrote before it
// streamed: ReportBundle through an indenting encoder that does not escape
// HTML.
func encodeBundle(t *testing.T, a assess.Assessment, tl *record.Timeline) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(fhir.ReportBundle(a, tl)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkStreamed(t *testing.T, name string, a assess.Assessment, tl *record.Timeline) {
	t.Helper()
	want := encodeBundle(t, a, tl)
	var got bytes.Buffer
	if err := fhir.WriteReportBundle(&got, a, tl); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		i := 0
		for i < min(got.Len(), len(want)) && got.Bytes()[i] == want[i] {
			i++
		}
		t.Errorf("%s: streamed bundle differs from the encoded ReportBundle at byte %d of %d/%d:\ngot  %q\nwant %q",
			name, i, got.Len(), len(want), got.Bytes()[max(0, i-80):min(got.Len(), i+80)], want[max(0, i-80):min(len(want), i+80)])
	}
}

// TestWriteReportBundleDemo: the streamed bundle is byte for byte the
// encoded ReportBundle for every demo patient at several dates, including
// dates before any result (few or no entries).
func TestWriteReportBundleDemo(t *testing.T) {
	pats, err := demo.Load(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pats {
		tl := record.NewTimeline(p.Batch.Patients[0], p.Batch)
		for _, day := range []string{"1990-01-01", "2020-06-01", "2024-01-01", "2025-04-20", "2026-03-01", "2026-11-29"} {
			d, _ := time.Parse(time.DateOnly, day)
			a := assess.Assess(tl, d.Add(24*time.Hour-time.Nanosecond), assess.DefaultConfig())
			checkStreamed(t, p.ID+" as of "+day, a, tl)
		}
	}
}

// TestWriteReportBundleEmpty: a bundle without entries is written as the
// encoder writes the nil entry slice ("entry": null).
func TestWriteReportBundleEmpty(t *testing.T) {
	a := assess.Assessment{Patient: assess.PatientInfo{ID: "p<&>"}, AsOf: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	checkStreamed(t, "empty", a, nil)
	var b bytes.Buffer
	if err := fhir.WriteReportBundle(&b, a, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("\"entry\": null\n}\n")) {
		t.Errorf("empty bundle:\n%s", b.Bytes())
	}
}

// TestWriteReportBundleMany: a synthetic patient with 20,000 creatinines
// (and an ACR, so a KFRE whose basis names the last eGFR), HTML-like
// characters in an id, streamed equal to the encoded ReportBundle.
func TestWriteReportBundleMany(t *testing.T) {
	p := record.Patient{ID: "many<&>", BirthDate: time.Date(1955, 3, 1, 0, 0, 0, 0, time.UTC), Sex: record.Male}
	b := record.Batch{Patients: []record.Patient{p}}
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 20000
	for i := range n {
		b.Observations = append(b.Observations, record.Observation{
			ID: fmt.Sprintf("Observation/cr%d", i), PatientID: p.ID, Analyte: units.Creatinine,
			Value: units.Q(1.2+float64(i%97)/50, units.MgPerDL), Time: start.Add(time.Duration(i) * 6 * time.Hour),
		})
	}
	last := start.Add(time.Duration(n-1) * 6 * time.Hour)
	b.Observations = append(b.Observations, record.Observation{ID: "Observation/acr", PatientID: p.ID, Analyte: units.ACR, Value: units.Q(450, units.MgPerG), Time: last})
	tl := record.NewTimeline(p, b)
	a := assess.Assess(tl, last.Add(24*time.Hour), assess.DefaultConfig())
	if a.Kidney.Series.Len() < n || a.Kidney.KFRE == nil {
		t.Fatalf("synthetic patient: %d eGFR points, KFRE %v; want %d and a KFRE", a.Kidney.Series.Len(), a.Kidney.KFRE != nil, n)
	}
	checkStreamed(t, "synthetic", a, tl)
}

// TestWriteReportBundleWriteError: a failing writer's error is returned.
func TestWriteReportBundleWriteError(t *testing.T) {
	tl := record.NewTimeline(record.Patient{ID: "x"}, record.Batch{})
	a := assess.Assess(tl, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), assess.DefaultConfig())
	if err := fhir.WriteReportBundle(failWriter{}, a, tl); err == nil {
		t.Error("no error from a failing writer")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
