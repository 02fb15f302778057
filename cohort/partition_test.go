package cohort

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPartitionSpill: spilled buckets give back every line, with its
// origin, in input order, also lines longer than a bucket's buffer; a
// patient's lines all go to one bucket.
func TestPartitionSpill(t *testing.T) {
	p := newPartitioner(3, true, t.TempDir(), 64)
	defer p.close()
	type line struct {
		text string
		o    origin
	}
	var in []line
	for i := range 200 {
		pid := fmt.Sprintf("p%d", i%7)
		pad := strings.Repeat("x", (i*37)%150) // some longer than 64 bytes
		l := fmt.Sprintf(`{"resourceType":"Observation","id":"o%d","subject":{"reference":"Patient/%s"},"note":"%s"}`, i, pid, pad)
		if i%7 == i {
			l = fmt.Sprintf(`{"resourceType":"Patient","id":"%s"}`, pid)
		}
		in = append(in, line{l, mkOrigin(i%2, i+1)})
		if err := p.add([]byte(l), mkOrigin(i%2, i+1)); err != nil {
			t.Fatal(err)
		}
	}
	var got []line
	for b := range 3 {
		data, org, err := p.load(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		ls := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
		if len(data) == 0 {
			ls = nil
		}
		if len(ls) != len(org) {
			t.Fatalf("bucket %d: %d lines, %d origins", b, len(ls), len(org))
		}
		for k, l := range ls {
			id, ok := patientKey(l)
			if !ok || bucketOf(id, 3) != b {
				t.Errorf("bucket %d holds a line of %q (ok %v)", b, id, ok)
			}
			got = append(got, line{string(l), org[k]})
		}
	}
	if len(got) != len(in) {
		t.Fatalf("%d lines back, %d in", len(got), len(in))
	}
	byOrigin := map[origin]string{}
	for _, l := range got {
		byOrigin[l.o] = l.text
	}
	for _, l := range in {
		if byOrigin[l.o] != l.text {
			t.Errorf("origin %d:%d: got %.60q, want %.60q", l.o.file(), l.o.line(), byOrigin[l.o], l.text)
		}
	}
}

func TestPatientKey(t *testing.T) {
	for s, want := range map[string]string{
		`{"resourceType":"Patient","meta":{},"id":"a-1"}`:                                  "a-1",
		`{"resourceType" : "Observation", "subject" : { "reference" : "Patient/b.2" }}`:    "b.2",
		`{"resourceType":"Condition","subject":{"reference":"urn:uuid:c3"}}`:               "c3",
		`{"resourceType":"Procedure","subject":{"reference":"https://x/fhir/Patient/d4"}}`: "d4",
		`{"resourceType":"MedicationRequest","subject":{"reference":"Group/g"}}`:           "",
		`{"resourceType":"Observation","subject":{"reference":"Patient/e\u0031"}}`:         "",
		`not json`: "",
	} {
		got, ok := patientKey([]byte(s))
		if got != want || ok != (want != "") {
			t.Errorf("patientKey(%s) = %q, %v; want %q", s, got, ok, want)
		}
	}
}

// TestPartitionProgressGzip (trial 12 F14): on gzip input the partition's
// progress counts the bytes read (uncompressed) with an unknown total, not
// eight times the compressed size against an estimate (100% at once).
func TestPartitionProgressGzip(t *testing.T) {
	dir := t.TempDir()
	var raw bytes.Buffer
	for i := range 70000 {
		fmt.Fprintf(&raw, "{\"resourceType\":\"Patient\",\"id\":\"p%d\"}\n", i)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	path := filepath.Join(dir, "Patient.ndjson.gz")
	if err := os.WriteFile(path, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ins, err := expandInputs([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	var last Progress
	opt := &Options{Progress: func(p Progress) { last = p }}
	part := newPartitioner(4, false, dir, 1<<16)
	defer part.close()
	if _, err := partitionInputs(context.Background(), opt, ins, ins[0].estimate(), false, part, func(Problem) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if last.Phase != "partition" || last.Total != 0 || last.Done <= 0 || last.Done > int64(raw.Len()) {
		t.Errorf("progress %+v; want Total 0 and Done up to %d bytes read", last, raw.Len())
	}
}
