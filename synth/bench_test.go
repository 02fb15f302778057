package synth

import (
	"context"
	"io"
	"runtime"
	"testing"
)

// BenchmarkGenerate measures generation alone (the model, no encoding).
func BenchmarkGenerate(b *testing.B) {
	g := NewGenerator(1, DefaultEnd)
	obs := 0
	i := 0
	for b.Loop() {
		p := g.Patient(i)
		obs += len(p.Labs) + len(p.Findings)
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "patients/s")
	b.ReportMetric(float64(obs)/b.Elapsed().Seconds(), "obs/s")
}

// BenchmarkWriteNDJSON measures the whole generator as "renalwatch synth"
// runs it (model, FHIR NDJSON and truth encoding, ordered writes) on all
// cores, writing to io.Discard: 2,000 patients per iteration.
func BenchmarkWriteNDJSON(b *testing.B) { benchWrite(b, NDJSON) }

// BenchmarkWriteCSV is BenchmarkWriteNDJSON for the CSV layouts.
func BenchmarkWriteCSV(b *testing.B) { benchWrite(b, CSVFormat) }

func benchWrite(b *testing.B, f Format) {
	const n = 2000
	opt := Options{Patients: n, Seed: 1, Format: f, Workers: runtime.GOMAXPROCS(0)}
	ws := map[string]io.Writer{}
	for _, name := range opt.Files() {
		ws[name] = io.Discard
	}
	var obs, bytes int64
	for b.Loop() {
		st, err := Write(context.Background(), opt, ws)
		if err != nil {
			b.Fatal(err)
		}
		obs += int64(st.Observations)
		bytes += st.Bytes
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(int64(b.N)*n)/s, "patients/s")
	b.ReportMetric(float64(obs)/s, "obs/s")
	b.ReportMetric(float64(bytes)/s/1e6, "MB/s")
}
