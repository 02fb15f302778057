package fhir

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// declinedSearchset is the resources of a searchset of n creatinine
// Observations laid out in one document as a CDS Hooks prefetch holds
// them, and where each starts and ends. Every other one writes its
// status key with an escape ("st\u0061tus": valid JSON, read by
// encoding/json as "status"), which the fast decoder leaves to
// encoding/json (decode.go, nextGeneral): Entries.Decode returns 0 for it.
func declinedSearchset(n int) (doc []byte, at [][2]int) {
	doc = []byte(`{"entry":[`)
	for i := range n {
		if i > 0 {
			doc = append(doc, ',')
		}
		status := "status"
		if i%2 == 1 {
			status = `st\u0061tus`
		}
		doc = fmt.Appendf(doc, `{"fullUrl":"https://ehr.example.org/fhir/Observation/c%d","resource":`, i)
		start := len(doc)
		doc = fmt.Appendf(doc, `{"resourceType":"Observation","id":"c%d","%s":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2024-01-01T%02d:%02d:00Z","valueQuantity":{"value":1.1,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`, i, status, i/60%24, i%60)
		at = append(at, [2]int{start, len(doc)})
		doc = append(doc, `,"search":{"mode":"match"}}`...)
	}
	return append(doc, "]}"...), at
}

// decodeAll decodes the resources of doc where they lie, as the CDS Hooks
// scan does, and returns the Entries and the entries to read.
func decodeAll(doc []byte, at [][2]int) (*Entries, []RawEntry, int) {
	d := NewEntries()
	entries := make([]RawEntry, len(at))
	decoded := 0
	for i, a := range at {
		if d.Decode(doc[a[0]:a[1]]) > 0 {
			decoded++
		}
		entries[i] = RawEntry{Resource: doc[a[0]:a[1]]}
	}
	return d, entries, decoded
}

// TestEntriesDeclinedRead: with every other resource left by the fast
// decoder, Read gives what ReadEntries gives for copies of the bytes,
// each entry given twice decodes its own, and every decoded resource is
// taken.
func TestEntriesDeclinedRead(t *testing.T) {
	doc, at := declinedSearchset(200)
	d, entries, decoded := decodeAll(doc, at)
	if decoded != len(at)/2 {
		t.Fatalf("Decode decoded %d of %d resources, want every other one", decoded, len(at))
	}
	// Asked for out of order too: the last ten first, and the first
	// decoded one again at the end.
	entries = append(entries[len(entries)-10:], entries[:len(entries)-10]...)
	entries = append(entries, entries[10])
	want := make([]RawEntry, len(entries))
	for i, e := range entries {
		want[i] = RawEntry{Resource: append([]byte(nil), e.Resource...)}
	}
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), System: "test"}
	g, w := d.Read(&rd, "t", entries), rd.ReadEntries("t", want)
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("Read of decoded entries\n%+v\nReadEntries\n%+v", g, w)
	}
	if len(w.Batch.Observations) != len(entries) || len(w.Rejected) != 0 {
		t.Fatalf("read %d observations (want %d) and %d rejections", len(w.Batch.Observations), len(entries), len(w.Rejected))
	}
	for i, e := range d.done {
		if e != nil {
			t.Errorf("decoded resource %d was not taken", i)
		}
	}
}

// BenchmarkEntriesDeclined: Decode and Read of a prefetch whose every
// other resource the fast decoder leaves (declinedSearchset). The time
// per operation should grow as n: compare 20000 with 80000 (a lookup
// scanning all decoded resources for each left one made it n²).
func BenchmarkEntriesDeclined(b *testing.B) {
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, n := range []int{20000, 80000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			doc, at := declinedSearchset(n)
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				d, entries, _ := decodeAll(doc, at)
				if res := d.Read(&rd, "bench", entries); len(res.Batch.Observations) != n {
					b.Fatalf("read %d observations of %d", len(res.Batch.Observations), n)
				}
			}
		})
	}
}
