package itemdoc_test

import (
	"strings"
	"testing"
	"unsafe"

	"renalwatch/record"
	"renalwatch/store/itemdoc"

	"github.com/google/go-cmp/cmp"
)

// TestProvReader packs provenances and reads them back: the same
// Provenance (less file and line, which are not stored), one shared
// Source for rows that agree on it, the resource id sharing the id's
// string when equal, and a clear error for a malformed column.
func TestProvReader(t *testing.T) {
	provs := []record.Provenance{
		{System: "lab", ResourceType: "Observation", ResourceID: "o1", Code: record.Coding{System: "http://loinc.org", Code: "2160-0", Display: "Creatinine"}, Unit: "mg/dL", Value: "1.10", File: "a.ndjson", Line: 3},
		{System: "lab", ResourceType: "Observation", ResourceID: "o2", Code: record.Coding{System: "http://loinc.org", Code: "2160-0", Display: "Creatinine"}, Unit: "mg/dL", Value: "1.10"},
		{System: "lab", ResourceType: "Observation", ResourceID: "other", Code: record.Coding{System: "http://loinc.org", Code: "2823-3"}, Unit: "mmol/L", Value: "4.1"},
		{System: "lab", ResourceType: "Observation", ResourceID: "o4", Code: record.Coding{System: "http://loinc.org", Code: "2160-0", Display: "Creatinine"}, Unit: "mg/dL", Value: strings.Repeat("9", 40)},
		{ResourceID: "o5"},
		{},
	}
	var r itemdoc.ProvReader
	var got []record.Observation
	for i, p := range provs {
		id := "o" + string(rune('1'+i))
		in := record.Observation{ID: id}
		in.SetProvenance(p)
		packed := []byte(itemdoc.PackProv(&in))
		out := record.Observation{ID: id}
		if err := r.Set(&out, packed); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		clear(packed) // the reader must not keep the buffer
		want := p
		want.File, want.Line = "", 0
		if diff := cmp.Diff(want, out.Provenance()); diff != "" {
			t.Errorf("row %d (-want +got):\n%s", i, diff)
		}
		got = append(got, out)
	}
	if got[0].Source != got[1].Source || got[0].Source != got[3].Source || got[0].Source == got[2].Source {
		t.Error("rows with the same source system, type, code and unit do not share one Source (or others do)")
	}
	if got[4].Source != nil || got[5].Source != nil {
		t.Error("a provenance without source fields has a Source")
	}
	if got[0].SourceValue != got[1].SourceValue || !sameData(got[0].ResourceID, got[0].ID) || sameData(got[2].ResourceID, got[2].ID) {
		t.Error("value text or resource id not shared as expected")
	}
	for _, bad := range []string{"a\x1fb", strings.Repeat("x\x1f", 8) + "x"} {
		if err := r.Set(&record.Observation{ID: "x"}, []byte(bad)); err == nil || !strings.Contains(err.Error(), "stored provenance has") {
			t.Errorf("Set(%q) = %v, want a field count error", bad, err)
		}
	}
}

// sameData reports whether two strings share their bytes.
func sameData(a, b string) bool {
	return a == b && unsafe.StringData(a) == unsafe.StringData(b)
}
