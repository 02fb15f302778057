package fhir_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"renalwatch/fhir"
)

// sharedData returns ../shared/data beside the repository, or skips.
func sharedData(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared test data not found at %s (CI keeps a copy of shared/ beside the clone): %v", dir, err)
	}
	return dir
}

func sharedFiles(t testing.TB) []string {
	dir := sharedData(t)
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.ndjson"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no NDJSON files under %s: %v", dir, err)
	}
	var out []string
	for _, f := range files {
		if filepath.Base(f) != "log.ndjson" { // the export's own log, not FHIR
			out = append(out, f)
		}
	}
	return out
}

var readNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func readFile(t testing.TB, path string) *fhir.Result {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r := fhir.Reader{Now: readNow, System: "test"}
	res, err := r.Read(path, fh)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return res
}
