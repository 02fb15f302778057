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
