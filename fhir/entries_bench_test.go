package fhir

import (
	"bytes"
	"strconv"
	"testing"
	"time"
)

// BenchmarkReadEntries is the CDS Hooks prefetch read (Reader.ReadEntries):
// the first 196 resources of the benchmark NDJSON (a median patient-view
// prefetch holds 196 Observations, bench/README.md), each with a fullUrl
// as in a searchset Bundle, read in place.
func BenchmarkReadEntries(b *testing.B) {
	lines := bytes.Split(bytes.TrimSpace(benchNDJSON(b)), []byte("\n"))
	lines = lines[:min(len(lines), 196)]
	entries := make([]RawEntry, len(lines))
	size := 0
	for i, l := range lines {
		entries[i] = RawEntry{FullURL: "https://ehr.example.org/fhir/Observation/" + strconv.Itoa(i), Resource: l}
		size += len(l)
	}
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var obs int
	for b.Loop() {
		obs = len(rd.ReadEntries("bench", entries).Batch.Observations)
	}
	b.ReportMetric(float64(obs), "observations")
}
