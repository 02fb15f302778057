package fhir_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/fhir"
)

// TestTruncatedBundle (trial-cli #15): the first 20,000 bytes of the
// pretty-printed demo Bundle child-ln.json were read as NDJSON, 37 lines
// each rejected as bad JSON ("invalid character ':' after top-level
// value"). A document that is valid JSON as far as it goes and stops
// early is one rejection that says so; NDJSON with a bad line still gets
// its line-by-line rejections.
func TestTruncatedBundle(t *testing.T) {
	whole, err := os.ReadFile(filepath.Join("..", "demo", "data", "child-ln.json"))
	if err != nil {
		t.Fatal(err)
	}
	r := fhir.Reader{Now: readNow}
	res, err := r.Read("tb.json", bytes.NewReader(whole[:20000]))
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 1 || len(res.Rejected) != 1 {
		t.Fatalf("read %d, rejected %d (%v); want 1 and 1", res.Read, len(res.Rejected), res.Rejected)
	}
	rj := res.Rejected[0]
	if want := "bad JSON: the JSON Bundle ends early at byte 20000: truncated file?"; rj.Err.Error() != want || !errors.Is(rj.Err, fhir.ErrBadJSON) || rj.Line != 0 {
		t.Errorf("rejection %q (line %d), want %q", rj.Err, rj.Line, want)
	}
	if res.Batch.Len() != 0 {
		t.Errorf("%d items read from a truncated Bundle", res.Batch.Len())
	}
	// NDJSON whose first line is cut: rejected line by line, the rest read.
	nd := "{\"resourceType\":\"Patient\",\"id\":\"cut\n{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\",\"birthDate\":\"1980-01-01\"}\n"
	res, err = r.Read("nd.ndjson", strings.NewReader(nd))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 1 || res.Rejected[0].Line != 1 || len(res.Batch.Patients) != 1 {
		t.Errorf("NDJSON with a cut first line: rejected %v, %d patients; want line 1 rejected and p1 read", res.Rejected, len(res.Batch.Patients))
	}
}
