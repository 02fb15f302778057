package cohort

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/record"
)

// BenchmarkPipeline compares, in one run, decoding the NDJSON of a
// 200-patient synthetic cohort (about 75,000 observations) with
// fhir.Reader (sub-benchmark decode: the floor), and the whole cohort
// pipeline on the index path (uncompressed files) and on the partition
// path (as for gzip input), in memory and spilled, at GOGC 1000 as
// renalwatch cohort runs it. obs/s is observations
// per second of wall time; on a shared machine compare the ratio to
// decode, and run with -count, and -cpu 1 for CPU cost:
//
//	go test -run '^$' -bench Pipeline -count 3 -cpu 1,2 ./cohort
func BenchmarkPipeline(b *testing.B) {
	dir, _ := writeCohort(b, 200, 1)
	data, err := os.ReadFile(filepath.Join(dir, "Observation.ndjson"))
	if err != nil {
		b.Fatal(err)
	}
	obs := bytes.Count(data, []byte("\n"))
	names, _ := filepath.Glob(filepath.Join(dir, "*.ndjson"))
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	report := func(b *testing.B) {
		b.ReportMetric(float64(obs)*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
	}
	b.Run("decode", func(b *testing.B) {
		rd := fhir.Reader{Now: day}
		for b.Loop() {
			for _, n := range names {
				f, err := os.Open(n)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := rd.ReadChunks(n, f, 4096, func(*record.Batch, []fhir.Rejection) error { return nil }); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		}
		report(b)
	})
	for _, c := range []struct {
		name    string
		noIndex bool
		mem     int64
	}{{"index", false, 512 << 20}, {"partition", true, 512 << 20}, {"spilled", true, 16 << 20}} {
		b.Run(c.name, func(b *testing.B) {
			defer debug.SetGCPercent(debug.SetGCPercent(1000)) // as renalwatch cohort
			out := filepath.Join(b.TempDir(), "rows.csv")
			for b.Loop() {
				_, _, err := Run(context.Background(), Options{Inputs: []string{dir}, Out: out, Format: CSV{}, Day: day, Now: day,
					Config: assess.DefaultConfig(), Memory: c.mem, noIndex: c.noIndex})
				if err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
	}
}
