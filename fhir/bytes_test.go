package fhir_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/fhir"
	"renalwatch/record"
)

// chunkLog reads data with read and records every chunk emitted.
func chunkLog(t testing.TB, read func(emit func(*record.Batch, []fhir.Rejection) error) (*fhir.Result, error)) (*fhir.Result, []string) {
	t.Helper()
	var log []string
	res, err := read(func(b *record.Batch, rej []fhir.Rejection) error {
		c := *b
		c.Retractions = nil // a correction's Replacement is a pointer: printed below by value
		log = append(log, fmt.Sprintf("%+v %v", c, rej))
		for _, r := range b.Retractions {
			x := r
			x.Replacement = nil
			log = append(log, fmt.Sprintf("%+v", x))
			if r.Replacement != nil {
				log = append(log, fmt.Sprintf("replacement %+v", *r.Replacement))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return res, log
}

// checkReadBytes: ReadBytes gives what ReadChunks gives from a reader,
// chunk by chunk, and leaves data as it was.
func checkReadBytes(t *testing.T, data []byte, chunk int) {
	t.Helper()
	r := fhir.Reader{Now: readNow, System: "test"}
	want, wantLog := chunkLog(t, func(emit func(*record.Batch, []fhir.Rejection) error) (*fhir.Result, error) {
		return r.ReadChunks("f", bytes.NewReader(data), chunk, emit)
	})
	orig := bytes.Clone(data)
	got, gotLog := chunkLog(t, func(emit func(*record.Batch, []fhir.Rejection) error) (*fhir.Result, error) {
		return r.ReadBytes("f", data, chunk, emit)
	})
	if !bytes.Equal(orig, data) {
		t.Fatal("ReadBytes changed its input")
	}
	opts := []cmp.Option{cmpopts.EquateEmpty(), cmp.Comparer(func(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) })}
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Fatalf("chunk %d: ReadBytes Result differs from ReadChunks (-want +got):\n%s", chunk, diff)
	}
	if diff := cmp.Diff(wantLog, gotLog); diff != "" {
		t.Fatalf("chunk %d: ReadBytes chunks differ from ReadChunks (-want +got):\n%s", chunk, diff)
	}
}

func TestReadBytes(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json*"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, chunk := range []int{0, 1, 3, 4096} {
			checkReadBytes(t, data, chunk)
		}
	}
	for _, s := range []string{"", "\n", " \n\n", "{\"resourceType\":\"Patient\",\"id\":\"a\"}", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\r\n x \n",
		"{\n\"resourceType\":\"Patient\"}\n", "x\n{\"resourceType\":\"Patient\",\"id\":\"a\"}\n"} {
		checkReadBytes(t, []byte(s), 0)
		checkReadBytes(t, []byte(s), 1)
	}
	// A line longer than MaxLine after a good one: rejected with its type
	// and id from its first bytes.
	long := []byte("{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\",\"id\":\"big\",\"x\":\"")
	long = append(long, bytes.Repeat([]byte("y"), fhir.MaxLine)...)
	long = append(long, "\"}\n{\"resourceType\":\"Patient\",\"id\":\"c\"}"...)
	checkReadBytes(t, long, 0)
}

func FuzzReadBytes(f *testing.F) {
	for _, name := range []string{"transaction-bundle.json", "rejections.ndjson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 2)
	}
	f.Add([]byte("{\n}\n{\"resourceType\":\"Patient\",\"id\":\"a\"}\n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		checkReadBytes(t, data, chunk&0xff%8)
	})
}
