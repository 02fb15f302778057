package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// benchTable returns a CSV of n rows shaped like bench/batch-egfr's input.
func benchTable(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("id,creatinine_mg_dl,age,sex\n")
	for i := range n {
		sex := "female"
		if r.IntN(2) == 1 {
			sex = "male"
		}
		fmt.Fprintf(&b, "p%d,%.2f,%d,%s\n", i+1, 0.4+r.Float64()*3, 18+r.IntN(80), sex)
	}
	return b.Bytes()
}

// BenchmarkBatchEGFRCSV measures the CSV pipeline of "egfr --in" (CKD-EPI
// 2021): reading, validating, computing and writing, in memory, over the
// 1,000,000 rows of bench/batch-egfr's table (100,000 with -short). It
// reports rows/s and rows per CPU-second; compare with bench/batch-egfr (the
// whole command on a file).
func BenchmarkBatchEGFRCSV(b *testing.B) {
	rows := 1_000_000
	if testing.Short() {
		rows = 100_000
	}
	data := benchTable(rows)
	w := bufio.NewWriterSize(io.Discard, 1<<16)
	setup := func(h tableHeader) (*batchCalc, error) {
		return newEGFRBatchFor(h, egfrEquations("ckd-epi-2021"), false, false)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := cpuSeconds()
	for b.Loop() {
		n, failed, err := batchCopy(context.Background(), "egfr", bytes.NewReader(data), w, setup)
		if err != nil || failed != 0 || n != rows {
			b.Fatal(n, failed, err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if c := cpuSeconds() - cpu; c > 0 {
		b.ReportMetric(float64(rows)*float64(b.N)/c, "rows/cpu-s")
	}
}
