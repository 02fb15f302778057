package fhir

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// syntheaLines returns the lines of the shared Synthea Observation export,
// or skips when the shared data is not beside the repository.
func syntheaLines(b *testing.B) [][]byte {
	data, err := os.ReadFile("../../shared/data/synthea-r4-kidney/Observation.ndjson")
	if err != nil {
		b.Skip("shared data not found:", err)
	}
	return bytes.Split(bytes.TrimSpace(data), []byte("\n"))
}

// BenchmarkCheckDoc is the cost checkDoc adds to every resource read,
// beside BenchmarkUnmarshalResource, the decoding it precedes.
func BenchmarkCheckDoc(b *testing.B) {
	lines := syntheaLines(b)
	for b.Loop() {
		for _, l := range lines {
			if err := checkDoc(l); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkUnmarshalResource(b *testing.B) {
	lines := syntheaLines(b)
	for b.Loop() {
		for _, l := range lines {
			var r resource
			if err := json.Unmarshal(l, &r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestMayBeOutOfRange(t *testing.T) {
	for s, want := range map[string]bool{
		`{"value":1e400}`:             true,
		`{"value":1E-400}`:            true,
		`{"value":-2.5e+308}`:         true,
		`{"value":1e30}`:              false,
		`{"id":"7d0c1e7e-0000-4000"}`: false,
		`{"id":"a\"1e400","v":1}`:     false,
		`{"id":"a\\","v":1e999}`:      true,
		`{"id":"a\\\"1e999"}`:         false,
		`{"v":0.` + string(bytes.Repeat([]byte("0"), 300)) + `1}`: true,
	} {
		if got := mayBeOutOfRange([]byte(s)); got != want {
			t.Errorf("mayBeOutOfRange(%s) = %v; want %v", s, got, want)
		}
	}
}
