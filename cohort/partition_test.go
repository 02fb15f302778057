package cohort

import (
	"bytes"
	"fmt"
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
