package fhir

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestEntriesDecodeRead: resources decoded where they lie in a larger
// document (Entries.Decode) and then read (Entries.Read) give the Result
// ReadEntries gives for copies of their bytes, with the entries asked for
// in another order than decoded (a Patient's fullUrl after the
// Observations that refer to it), an entry given twice, entries Decode
// leaves (invalid JSON) and entries it never saw.
func TestEntriesDecodeRead(t *testing.T) {
	var tx struct {
		Entry []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	raw, err := os.ReadFile("testdata/transaction-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &tx); err != nil {
		t.Fatal(err)
	}
	rej, err := os.ReadFile("testdata/rejections.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var res, urls []string
	for _, e := range tx.Entry {
		res, urls = append(res, string(e.Resource)), append(urls, e.FullURL)
	}
	for _, l := range bytes.Split(bytes.TrimSpace(rej), []byte("\n")) {
		res, urls = append(res, string(l)), append(urls, "")
	}
	// The document: the resources in an array, each followed by more of it.
	doc := []byte("[")
	at := make([]int, len(res))
	for i, r := range res {
		if i > 0 {
			doc = append(doc, ",\n "...)
		}
		at[i] = len(doc)
		doc = append(doc, r...)
	}
	doc = append(doc, ']')
	d := NewEntries()
	decoded := 0
	for i, r := range res {
		if i%7 == 3 {
			continue // not seen by Decode
		}
		n := d.Decode(doc[at[i]:])
		switch {
		case n == len(r):
			decoded++
		case n != 0 || json.Valid([]byte(r)):
			t.Fatalf("resource %d: Decode gave length %d of %d (%.80s)", i, n, len(r), r)
		}
	}
	if decoded < len(res)/2 {
		t.Fatalf("only %d of %d resources decoded", decoded, len(res))
	}
	order := make([]int, len(res))
	for i := range order {
		order[i] = len(res) - 1 - i
	}
	order = append(order, order[len(order)/2]) // an entry given twice
	var got, want []RawEntry
	for _, i := range order {
		got = append(got, RawEntry{FullURL: urls[i], Resource: doc[at[i] : at[i]+len(res[i])]})
		want = append(want, RawEntry{FullURL: urls[i], Resource: []byte(res[i])})
	}
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), System: "test"}
	g, w := d.Read(&rd, "t", got), rd.ReadEntries("t", want)
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("Read of decoded entries\n%+v\nReadEntries\n%+v", g, w)
	}
	if len(w.Batch.Observations) == 0 || len(w.Rejected) == 0 {
		t.Fatalf("the test reads %d observations and %d rejections", len(w.Batch.Observations), len(w.Rejected))
	}
	if left := slices.IndexFunc(d.done, func(e *bundleEntry) bool { return e != nil }); left >= 0 {
		t.Errorf("decoded resource %d was not taken", left)
	}
}

// TestEntriesReadAgain: an Entries that has read one set of entries reads
// the next exactly as a new one does (the CDS Hooks handler keeps them
// from call to call): a Medication and a Patient's fullUrl of the first
// reading do not resolve the references of the second, and what the
// first decoded and did not read is not taken.
func TestEntriesReadAgain(t *testing.T) {
	raw, err := os.ReadFile("testdata/transaction-bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	var tx struct {
		Raw []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(raw, &tx); err != nil {
		t.Fatal(err)
	}
	med := RawEntry{FullURL: "https://x/Medication/med-a", Resource: []byte(`{"resourceType":"Medication","id":"med-a","code":{"coding":[{"system":"http://www.whocc.no/atc","code":"L04AA06"}]}}`)}
	uses := RawEntry{Resource: []byte(`{"resourceType":"MedicationRequest","id":"uses-med-a","status":"active","intent":"order","medicationReference":{"reference":"Medication/med-a"},"subject":{"reference":"Patient/ln-iv"},"authoredOn":"2021-02-01"}`)}
	first := []RawEntry{med}
	var second []RawEntry
	for i, e := range tx.Raw {
		first = append(first, RawEntry{FullURL: e.FullURL, Resource: e.Resource})
		if i > 0 { // all but the Patient
			second = append(second, RawEntry{FullURL: e.FullURL, Resource: bytes.Clone(e.Resource)})
		}
	}
	second = append(second, uses)
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := NewEntries()
	for _, e := range first {
		d.Decode(e.Resource)
	}
	d.Read(&rd, "first", first)
	d.Decode(second[3].Resource) // decoded, never read
	d.Reset()
	for _, e := range second[:5] {
		d.Decode(e.Resource)
	}
	got, want := d.Read(&rd, "second", second), rd.ReadEntries("second", second)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("second reading\n%+v\nnew Entries\n%+v", got, want)
	}
	if fresh := rd.ReadEntries("first", first); reflect.DeepEqual(fresh.Batch.Therapies, want.Batch.Therapies) {
		t.Fatal("the test's readings do not differ in their therapies")
	}
}
