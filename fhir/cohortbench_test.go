package fhir

import (
	"bytes"
	"os"
	"testing"
	"time"

	"renalwatch/record"
)

// benchNDJSON is the file the read benchmarks decode: $RENALWATCH_BENCH_NDJSON
// (a synth cohort's Observation.ndjson: `renalwatch synth --patients 200
// --seed 1 --out /tmp/dec`), else the shared Synthea Observation export.
func benchNDJSON(b *testing.B) []byte {
	name := os.Getenv("RENALWATCH_BENCH_NDJSON")
	if name == "" {
		name = "../../shared/data/synthea-r4-kidney/Observation.ndjson"
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Skip("no benchmark input:", err)
	}
	return data
}

// BenchmarkReadNDJSON is decode and mapping of one NDJSON file, as the
// cohort and the import run it (bytes/s and observations per second).
func BenchmarkReadNDJSON(b *testing.B) {
	data := benchNDJSON(b)
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.SetBytes(int64(len(data)))
	var obs int
	for b.Loop() {
		res, err := rd.Read("bench", bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		obs = len(res.Batch.Observations)
	}
	b.ReportMetric(float64(obs)*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
}

// BenchmarkReadChunksNDJSON is the same in chunks of 4,096 items, as
// bench/cohortdecode and the import read.
func BenchmarkReadChunksNDJSON(b *testing.B) {
	data := benchNDJSON(b)
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.SetBytes(int64(len(data)))
	var obs int
	for b.Loop() {
		obs = 0
		_, err := rd.ReadChunks("bench", bytes.NewReader(data), 4096, func(bt *record.Batch, _ []Rejection) error {
			obs += len(bt.Observations)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(obs)*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
}

// BenchmarkDecodeDoc is the fast decoder alone, line by line, beside
// BenchmarkDecodeV1, the former path (checkDoc + encoding/json).
func BenchmarkDecodeDoc(b *testing.B) {
	data := benchNDJSON(b)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	b.SetBytes(int64(len(data)))
	var in interner
	var a arena
	sc := scanner{in: &in, a: &a, memo: new(memos)}
	var r resource
	for b.Loop() {
		for _, l := range lines {
			r = resource{}
			if err := decodeDoc(l, &r, &sc); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkDecodeV1(b *testing.B) {
	data := benchNDJSON(b)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for _, l := range lines {
			var r resource
			if err := decodeResourceV1(l, &r); err != nil {
				b.Fatal(err)
			}
		}
	}
}
