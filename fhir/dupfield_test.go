package fhir_test

import (
	"errors"
	"strings"
	"testing"

	"renalwatch/fhir"
)

// TestDuplicateKeyRejected: a resource with an element given twice (FHIR
// JSON gives each once) is rejected naming the key and where it is, and
// the rest of the file is read; before, encoding/json kept the last value
// and a creatinine of 1.0 mg/dL written "value":1.0,"value":5.0 was
// imported as 5.0. Keys RenalWatch does not read, given twice, change
// nothing it imports and are not looked at (neither decoder reads them).
func TestDuplicateKeyRejected(t *testing.T) {
	dupValue := strings.Replace(creat("cr-dup", "1.0"), `"value":1.0`, `"value":1.0,"value":5.0`, 1)
	dupQuantity := strings.Replace(creat("cr-dupq", "1.0"), `"valueQuantity":`, `"valueQuantity":{"value":5,"unit":"mg/dL"},"valueQuantity":`, 1)
	dupCase := strings.Replace(creat("cr-case", "1.0"), `"value":1.0`, `"value":1.0,"Value":5.0`, 1)
	dupUnread := strings.Replace(creat("cr-unread", "1.0"), `"status"`, `"note":[{"text":"a"}],"note":[{"text":"b"}],"status"`, 1)
	lines := []string{
		`{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1980-01-01"}`,
		dupValue, dupQuantity, dupCase, dupUnread, creat("cr-ok", "1.1"),
		`{"resourceType":"Bundle","type":"collection","entry":[{"resource":` + strings.Replace(creat("cr-bundle-dup", "1.0"), `"id":"cr-bundle-dup"`, `"id":"cr-bundle-dup","id":"other"`, 1) + `},{"resource":` + creat("cr-bundle-ok", "1.2") + `}]}`,
	}
	res := readNDJSON(t, strings.Join(lines, "\n"))
	want := map[string]string{
		"cr-dup":        `key "value" is given twice in valueQuantity`,
		"cr-dupq":       `key "valueQuantity" is given twice in the resource`,
		"cr-case":       `keys "value" and "Value" in valueQuantity name one element`,
		"cr-bundle-dup": `key "id" is given twice in the resource`,
	}
	for _, r := range res.Rejected {
		w, ok := want[r.ID]
		if !ok {
			t.Errorf("rejected %s: %v", r.ID, r.Err)
			continue
		}
		delete(want, r.ID)
		if !errors.Is(r.Err, fhir.ErrBadJSON) || !strings.Contains(r.Err.Error(), w) {
			t.Errorf("%s: %v, want ErrBadJSON saying %s", r.ID, r.Err, w)
		}
	}
	for id := range want {
		t.Errorf("%s not rejected", id)
	}
	got := map[string]float64{}
	for _, o := range res.Batch.Observations {
		got[strings.TrimPrefix(o.ID, "Observation/")] = o.Value.Value
	}
	for _, id := range []string{"cr-unread", "cr-ok", "cr-bundle-ok"} {
		if _, ok := got[id]; !ok {
			t.Errorf("%s not imported; imported %v", id, got)
		}
	}
	for _, id := range []string{"cr-dup", "cr-dupq", "cr-case", "cr-bundle-dup", "other"} {
		if v, ok := got[id]; ok {
			t.Errorf("%s imported with %v", id, v)
		}
	}
}

// Trial 9 F-e: a Bundle without an id whose "entry" is given twice was
// rejected as "Bundle/cp1", the id of the Patient inside it (the id was
// looked for anywhere in the text). The rejection names the Bundle: its own
// members only are read, and a resource without an id says so.
func TestDuplicateKeyBundleNamed(t *testing.T) {
	pat := func(id string) string {
		return `{"resource":{"resourceType":"Patient","id":"` + id + `","gender":"female","birthDate":"1980-01-01"}}`
	}
	for _, c := range []struct{ doc, label string }{
		{`{"resourceType":"Bundle","type":"collection","entry":[` + pat("cp1") + `],"entry":[` + pat("cp2") + `]}`, "Bundle (no id)"},
		{`{"entry":[` + pat("cp1") + `],"resourceType":"Bundle","entry":[],"id":"b9"}`, "Bundle/b9"},
	} {
		res := readNDJSON(t, c.doc)
		if len(res.Rejected) != 1 {
			t.Fatalf("%d rejected, want 1: %v", len(res.Rejected), res.Rejected)
		}
		r := res.Rejected[0]
		if r.ResourceType != "Bundle" || r.Label() != c.label || !strings.Contains(r.Error(), ": "+c.label+": bad JSON: key \"entry\" is given twice") {
			t.Errorf("rejection %q (type %q, id %q), want it named %s", r.Error(), r.ResourceType, r.ID, c.label)
		}
	}
}
