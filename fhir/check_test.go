package fhir_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"renalwatch/fhir"
)

func readNDJSON(t *testing.T, data string) *fhir.Result {
	t.Helper()
	r := fhir.Reader{Now: readNow}
	res, err := r.Read("in.ndjson", strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

const creatLine = `{"resourceType":"Observation","id":"ID","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-01","valueQuantity":{"value":VALUE,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`

func creat(id, value string) string {
	return strings.NewReplacer("ID", id, "VALUE", value).Replace(creatLine)
}

// Regression (issue 8 item 6): ids outside the FHIR id grammar are
// rejected with their line; a 10 MB id is not stored, and control
// characters cannot reach the store.
func TestReadRejectsBadIDs(t *testing.T) {
	long := strings.Repeat("a", 65)
	lines := []string{
		`{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1980-01-01"}`,
		`{"resourceType":"Patient","id":"` + strings.Repeat("a", 64) + `","gender":"female"}`,
		`{"resourceType":"Patient","id":"` + long + `","gender":"female"}`,
		`{"resourceType":"Patient","id":"a b","gender":"female"}`,
		`{"resourceType":"Patient","id":"x\u001b[31mred","gender":"female"}`,
		`{"resourceType":"Patient","id":"row\nforged","gender":"female"}`,
		`{"resourceType":"Patient","id":"é","gender":"female"}`,
		creat("ok-1.2", "1.1"),
		creat("a/b", "1.1"),
		`{"resourceType":"Patient","id":"` + strings.Repeat("x", 10<<20) + `","gender":"female"}`, // 10 MB were stored
	}
	res := readNDJSON(t, strings.Join(lines, "\n"))
	var kept []string
	for _, p := range res.Batch.Patients {
		kept = append(kept, p.ID)
	}
	for _, o := range res.Batch.Observations {
		kept = append(kept, o.ID)
	}
	if want := []string{"p1", strings.Repeat("a", 64), "Observation/ok-1.2"}; strings.Join(kept, ",") != strings.Join(want, ",") {
		t.Errorf("kept %q; want %q", kept, want)
	}
	wantLines := []int{3, 4, 5, 6, 7, 9, 10}
	if len(res.Rejected) != len(wantLines) {
		t.Fatalf("rejected %v; want lines %v", res.Rejected, wantLines)
	}
	for i, r := range res.Rejected {
		if r.Line != wantLines[i] || !errors.Is(r, fhir.ErrBadID) || !strings.Contains(r.Err.Error(), "is not a FHIR id") {
			t.Errorf("rejection %d: %v; want line %d, ErrBadID", i, r, wantLines[i])
		}
		if strings.ContainsAny(r.Err.Error(), "\n\x1b") || len(r.Err.Error()) > 300 || len(r.ID) > 70 {
			t.Errorf("rejection %d carries raw input: %q", i, r.Err.Error())
		}
	}
}

// A urn:uuid fullUrl that stands for a missing id must be a FHIR id too.
func TestReadRejectsBadFullURLID(t *testing.T) {
	res := readNDJSON(t, `{"resourceType":"Bundle","type":"collection","entry":[
		{"fullUrl":"urn:uuid:7d0c1e7e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","gender":"male"}},
		{"fullUrl":"urn:uuid:bad id","resource":{"resourceType":"Patient","gender":"male"}}]}`)
	if len(res.Batch.Patients) != 1 || res.Batch.Patients[0].ID != "7d0c1e7e-0000-4000-8000-000000000001" {
		t.Errorf("patients %+v", res.Batch.Patients)
	}
	if len(res.Rejected) != 1 || res.Rejected[0].Entry != 2 || !errors.Is(res.Rejected[0], fhir.ErrBadID) {
		t.Errorf("rejected %v; want entry 2, ErrBadID", res.Rejected)
	}
}

// Regression (issue 8 item 6): encoding/json rewrote invalid UTF-8 to
// U+FFFD, so "p\xff" and "p\xfe" became one id. Both are rejected, with
// their line and element.
func TestReadRejectsInvalidUTF8(t *testing.T) {
	lines := []string{
		`{"resourceType":"Patient","id":"p1","gender":"female","name":[{"family":"Ok"}]}`,
		`{"resourceType":"Patient","id":"p1","gender":"female","name":[{"family":"B` + "\xff" + `d"}]}`,
		`{"resourceType":"Patient","id":"p` + "\xfe" + `","gender":"female"}`,
		`{"resourceType":"Patient","id":"p2","gender":"female","meta":{"source":"ab` + "\xc3" + `"}}`,
		`{"resourceType":"Patient","id":"p3","gender":"female","name":[{"family":"Café ` + "\uFFFD" + `"}]}`,
	}
	res := readNDJSON(t, strings.Join(lines, "\n"))
	if len(res.Batch.Patients) != 2 || res.Batch.Patients[0].ID != "p1" || res.Batch.Patients[1].ID != "p3" {
		t.Errorf("kept %+v; want p1 and p3", res.Batch.Patients)
	}
	want := []struct {
		line int
		text string
	}{{2, "name[0].family holds byte 0xFF"}, {3, "id holds byte 0xFE"}, {4, "meta.source holds byte 0xC3"}}
	if len(res.Rejected) != len(want) {
		t.Fatalf("rejected %v", res.Rejected)
	}
	for i, w := range want {
		r := res.Rejected[i]
		if r.Line != w.line || !errors.Is(r, fhir.ErrBadText) || !strings.Contains(r.Err.Error(), w.text) {
			t.Errorf("rejection %v; want line %d with %q", r, w.line, w.text)
		}
	}
}

// Regression (issue 8 item 8): 1e-400 was read as 0 ("creatinine 0 mg/dL
// is implausible") and 1e400 failed with Go's "cannot unmarshal number".
// Both are "number out of range" with the element, in NDJSON and Bundles.
func TestReadNumbersOutOfRange(t *testing.T) {
	res := readNDJSON(t, strings.Join([]string{creat("small", "1e-400"), creat("big", "1e400"), creat("fine", "1.1"), creat("zero", "0e-999")}, "\n"))
	if len(res.Batch.Observations) != 1 || res.Batch.Observations[0].ID != "Observation/fine" {
		t.Errorf("kept %+v", res.Batch.Observations)
	}
	for i, id := range []string{"small", "big"} {
		r := res.Rejected[i]
		if r.ID != id || r.Line != i+1 || !errors.Is(r, fhir.ErrOutOfRange) || !strings.Contains(r.Err.Error(), "number out of range: valueQuantity.value") ||
			strings.Contains(r.Err.Error(), "cannot unmarshal") || strings.Contains(r.Err.Error(), "implausible") {
			t.Errorf("rejection %v; want %s at line %d, number out of range", r, id, i+1)
		}
	}
	// 0e-999 is zero, written oddly: in range, then implausible as creatinine.
	if r := res.Rejected[len(res.Rejected)-1]; r.ID != "zero" || !errors.Is(r, fhir.ErrImplausible) {
		t.Errorf("0e-999: %v; want implausible", r)
	}
	b := readNDJSON(t, `{"resourceType":"Bundle","type":"collection","entry":[{"resource":`+creat("big", "-1E+400")+`},{"resource":`+creat("fine", "1.1")+`}]}`)
	if len(b.Batch.Observations) != 1 || len(b.Rejected) != 1 || b.Rejected[0].Entry != 1 || !errors.Is(b.Rejected[0], fhir.ErrOutOfRange) {
		t.Errorf("bundle: kept %d, rejected %v; want entry 1 out of range, the other kept", len(b.Batch.Observations), b.Rejected)
	}
}

// FuzzReadIDsAndText reads NDJSON and Bundles with the id, text and
// number rules: whatever is kept has FHIR ids and valid UTF-8 ids, and no
// U+FFFD that the input did not hold.
func FuzzReadIDsAndText(f *testing.F) {
	for _, name := range []string{"transaction-bundle.json", "searchset-bundle.json", "rejections.ndjson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"resourceType":"Patient","id":"p1","gender":"female"}` + "\n" + creat("c1", "1e-400") + "\n" + creat("c2", "1.2")))
	f.Add([]byte(`{"resourceType":"Patient","id":"p` + "\xff" + `","gender":"female"}`))
	f.Add([]byte(`{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:a b","resource":{"resourceType":"Patient"}},{"resource":` + creat("c3", "1e400") + `}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := fhir.Reader{Now: readNow, System: "fuzz"}
		res, err := r.Read("fuzz", strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("Read returned an error for in-memory input: %v", err)
		}
		hadFFFD := strings.Contains(string(data), "\uFFFD")
		check := func(id string) {
			if !utf8.ValidString(id) || (!hadFFFD && strings.ContainsRune(id, utf8.RuneError)) {
				t.Errorf("kept id %q: not the input's UTF-8", id)
			}
			local := id
			if _, rest, ok := strings.Cut(id, "/"); ok {
				local = rest
			}
			local, _, _ = strings.Cut(local, "#")
			if local == "" || len(local) > fhir.MaxIDLength || strings.Trim(local, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != "" {
				t.Errorf("kept id %q: not a FHIR id", id)
			}
		}
		for _, p := range res.Batch.Patients {
			check(p.ID)
		}
		for _, o := range res.Batch.Observations {
			check(o.ID)
			if o.Value.Value == 0 && o.Analyte.String() == "creatinine" {
				t.Errorf("kept creatinine 0: %+v", o)
			}
		}
		items := []string{}
		for _, c := range res.Batch.Conditions {
			items = append(items, c.ID)
		}
		for _, x := range res.Batch.Therapies {
			items = append(items, x.ID)
		}
		for _, id := range items {
			check(id)
		}
	})
}
