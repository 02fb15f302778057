package cohort

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestGzipEstimate (trial 12 F9): the memory plan's size of a gzip file is
// measured on its start, not taken as 8 times its size: a file that
// compresses 20x or more was planned at a third of its size, and the
// buckets held three times what --memory allowed.
func TestGzipEstimate(t *testing.T) {
	dir := t.TempDir()
	var raw bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&raw, `{"resourceType":"Observation","id":"o%d","status":"final","subject":{"reference":"Patient/p%d"},"valueQuantity":{"value":1.%d,"unit":"mg/dL"}}`+"\n", i, i/100, i%10)
	}
	for _, level := range []int{gzip.BestSpeed, gzip.BestCompression} {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, level)
		zw.Write(raw.Bytes())
		zw.Close()
		path := filepath.Join(dir, fmt.Sprintf("Observation.%d.ndjson.gz", level))
		if err := os.WriteFile(path, z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		ins, err := expandInputs([]string{path})
		if err != nil {
			t.Fatal(err)
		}
		got, want := ins[0].estimate(), int64(raw.Len())
		if got < want*8/10 || got > want*12/10 {
			t.Errorf("gzip level %d (%.0fx): estimate %d bytes, want about %d", level, float64(want)/float64(z.Len()), got, want)
		}
	}
}
