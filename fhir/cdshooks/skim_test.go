package cdshooks

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// answers serves body with and without skimming (skim.go) and fails
// unless the two answers are the same bytes, status and headers.
func sameAnswers(t testing.TB, h http.Handler, body []byte) int {
	t.Helper()
	defer func(s bool) { skim = s }(skim)
	skim = false
	want := do(h, http.MethodPost, servicePath(), body, nil)
	skim = true
	got := do(h, http.MethodPost, servicePath(), body, nil)
	if got.Code != want.Code || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) || !reflect.DeepEqual(got.Header(), want.Header()) {
		t.Fatalf("%.300q:\nskimmed %d %s\nchecked %d %s", body, got.Code, got.Body, want.Code, want.Body)
	}
	return got.Code
}

// TestSkimSameAnswers: skimming the prefetched resources changes no
// answer: the demonstration patients, the ten-year prefetch, and the same
// with a resource made invalid JSON in each way the checked reading
// refuses (400), a prefetch to fetch (412), and entries the reader rejects.
func TestSkimSameAnswers(t *testing.T) {
	h := demoHandler(t)
	for _, id := range []string{"ln-class-iv-g4", "ln-complete-response", "child-ln", "dialysis", "stem-cell"} {
		if c := sameAnswers(t, h, callBody(t, id, demoPrefetch(t, id), nil)); c != http.StatusOK {
			t.Errorf("%s: %d", id, c)
		}
	}
	pf, _ := tenYearPrefetch(t)
	body := callBody(t, "ln-class-iv-g4", pf, nil)
	if c := sameAnswers(t, h, body); c != http.StatusOK {
		t.Fatalf("ten-year: %d", c)
	}
	if sc := scanCallWith(body, true); sc == nil || !sc.skimmed {
		t.Fatal("the ten-year call was not skimmed")
	}
	// Each change is made inside the first Observation resource.
	at := bytes.Index(body, []byte(`"resourceType":"Observation"`))
	if at < 0 {
		t.Fatal("no Observation")
	}
	edit := func(old, new string) []byte {
		i := bytes.Index(body[at:], []byte(old))
		if i < 0 {
			t.Fatalf("no %q after the first Observation", old)
		}
		i += at
		return append(append(append([]byte{}, body[:i]...), new...), body[i+len(old):]...)
	}
	bad := map[string][]byte{
		"control byte":      edit(`"status":"final"`, "\"status\":\"fi\x01nal\""),
		"bad escape":        edit(`"status":"final"`, `"status":"fi\qnal"`),
		"escaped quote":     edit(`"status":"final"`, `"status":"fi\"nal"`),
		"leading zero":      edit(`"value":`, `"value":0`),
		"trailing comma":    edit(`"status":"final"`, `"status":"final",`),
		"missing colon":     edit(`"status":"final"`, `"status" "final"`),
		"bare word":         edit(`"status":"final"`, `"status":final`),
		"unbalanced":        edit(`"status":"final"`, `"status":["final"}`),
		"open string":       edit(`"status":"final"`, `"status":"final`),
		"extra close":       edit(`"status":"final"`, `"status":"final"}`),
		"bad unicode":       edit(`"status":"final"`, `"status":"\u12G4"`),
		"invalid UTF-8":     edit(`"status":"final"`, "\"status\":\"fin\xffal\""),
		"status unknown":    edit(`"status":"final"`, `"status":"unknown-status"`),
		"lone minus":        edit(`"value":`, `"value":-`),
		"implausible value": edit(`"value":`, `"value":99999`),
		"deep":              edit(`"status":"final"`, `"status":"final","x":`+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)),
		"link member":       edit(`"resourceType":"Observation"`, `"resourceType":"Observation","link":[{"relation":"next","url":"https://x/2"}]`),
		"truncated":         body[:len(body)-3],
	}
	codes := map[int]int{}
	for name, b := range bad {
		t.Run(name, func(t *testing.T) {
			c := sameAnswers(t, h, b)
			codes[c]++
			if name == "implausible value" && c != http.StatusOK {
				t.Errorf("a rejected entry that is valid JSON: %d", c) // the skimmed answer stands
			}
		})
	}
	if codes[http.StatusBadRequest] < 10 {
		t.Errorf("answers %v: the invalid bodies should be refused", codes)
	}
	// A bundle's next link with no fhirServer: 412, in both readings.
	pf2 := map[string]json.RawMessage{}
	for k, v := range pf {
		pf2[k] = v
	}
	var b map[string]any
	json.Unmarshal(pf["observations"], &b)
	b["link"] = []any{map[string]any{"relation": "next", "url": "https://x/2"}}
	pf2["observations"], _ = json.Marshal(b)
	if c := sameAnswers(t, h, callBody(t, "ln-class-iv-g4", pf2, nil)); c != http.StatusPreconditionFailed {
		t.Errorf("next link: %d", c)
	}
	delete(pf2, "conditions")
	if c := sameAnswers(t, h, callBody(t, "ln-class-iv-g4", pf2, nil)); c != http.StatusPreconditionFailed {
		t.Errorf("absent key: %d", c)
	}
}

// TestSkimObject: skimObject ends an object where the checked reading
// does, for valid JSON, and gives up on an object that does not end.
func TestSkimObject(t *testing.T) {
	for _, s := range []string{`{}`, `{"a":"}"}`, `{"a":"\\"}`, `{"a":"\"}"}`, `{"a":[{"b":"\\\""},{}],"c":{}}`, `{"":""}`} {
		b := []byte(s + `,"rest"`)
		if end, ok := skimObject(b, 0, 5); !ok || end != len(s) {
			t.Errorf("%s: end %d %v, want %d", s, end, ok, len(s))
		}
	}
	for _, s := range []string{`{`, `{"a":"}`, `{"a":"\"}`, `{"a":[}`, `{"a":"\\\"}`} {
		if _, ok := skimObject([]byte(s), 0, 5); ok {
			t.Errorf("%s: ended", s)
		}
	}
	if _, ok := skimObject([]byte(`{"a":[[]]}`), 0, maxDepth-3); ok {
		t.Error("nested past the limit: ended")
	}
}

// FuzzSkim: whatever an entry's resource holds, skimming changes no
// answer.
func FuzzSkim(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2026-09-01","valueQuantity":{"value":2.5,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`))
	f.Add([]byte(`{"resourceType":"Observation","status":"fi\"nal"}`))
	f.Add([]byte(`{"resourceType":"Observation","x":[1,]}`))
	f.Add([]byte(`{"a":"\\"}`))
	f.Add([]byte(`{"resourceType":"Bundle","entry":[{"resource":{}}]}`))
	h := demoHandler(f)
	f.Fuzz(func(t *testing.T, res []byte) {
		body := []byte(`{"hook":"patient-view","hookInstance":"` + testInstance + `","context":{"userId":"Practitioner/1","patientId":"p"},"prefetch":{"patient":{"resourceType":"Patient","id":"p","birthDate":"1990-01-01","gender":"female"},"observations":{"resourceType":"Bundle","type":"searchset","entry":[{"fullUrl":"https://x/Observation/1","resource":`)
		body = append(body, res...)
		body = append(body, `}]},"conditions":null,"medicationRequests":null,"medicationStatements":null,"procedures":null}}`...)
		sameAnswers(t, h, body)
	})
}
