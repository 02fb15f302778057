package csvio_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"renalwatch/csvio"
	"renalwatch/record"
)

// benchObservations is an observations file of n rows as synth writes
// them, with a quoted field in one row of 100.
func benchObservations(n int) string {
	var b strings.Builder
	b.WriteString("patient_id,time,analyte,value,unit,id,source\n")
	for i := range n {
		src := "synth"
		if i%100 == 0 {
			src = `"lab, north"`
		}
		fmt.Fprintf(&b, "syn42-%d,2024-%02d-%02d,creatinine,%d.%d,mg/dL,syn42-%d-o%d,%s\n", i%300, i%12+1, i%28+1, i%3, i%10, i%300, i, src)
	}
	return b.String()
}

// BenchmarkReadChunks is import's path: read, check and map every row.
func BenchmarkReadChunks(b *testing.B) {
	text := benchObservations(20000)
	b.SetBytes(int64(len(text)))
	r := csvio.Reader{Now: now}
	for b.Loop() {
		if _, err := r.ReadChunks("b.csv", strings.NewReader(text), 4096, func(*record.Batch, []csvio.Rejection) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSplitter is cohort's path: read and check every row.
func BenchmarkSplitter(b *testing.B) {
	text := benchObservations(20000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		sp, err := csvio.NewSplitter("b.csv", strings.NewReader(text))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, _, _, err := sp.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
