package fhir

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMemoSequences: lines read one after another with one scanner, so
// that each is read against what the scanner remembers of the ones before
// (keys, values, values passed over, and whole values in its value cache), decode as each alone decodes with
// encoding/json: a near match (a longer value, white space, another depth,
// an escape, bytes that are not UTF-8) is never taken for a match.
func TestMemoSequences(t *testing.T) {
	obs := func(status, category, code, display, unit string) string {
		return `{"resourceType":"Observation","id":"o1","status":` + status + `,"category":` + category +
			`,"code":{"coding":[{"system":"http://loinc.org","code":"` + code + `","display":` + display + `}]},` +
			`"subject":{"reference":"Patient/p"},"effectiveDateTime":"2020-01-02","valueQuantity":{"value":1.5,"unit":` + unit + `}}`
	}
	cat := `[{"coding":[{"code":"laboratory"}]}]`
	bp := func(sys, dia, more string) string {
		comp := func(code, display, v string) string {
			return `{"code":{"coding":[{"system":"http://loinc.org","code":"` + code + `","display":"` + display + `"}]},` +
				`"valueQuantity":{"value":` + v + `,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}` + more + `}`
		}
		return `{"resourceType":"Observation","id":"bp","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},` +
			`"subject":{"reference":"Patient/p"},"effectiveDateTime":"2020-01-02","component":[` +
			comp("8480-6", "Systolic blood pressure", sys) + `,` + comp("8462-4", "Diastolic blood pressure", dia) + `]}`
	}
	for name, lines := range map[string][]string{
		"same": {obs(`"final"`, cat, "2160-0", `"Creatinine"`, `"mg/dL"`), obs(`"final"`, cat, "2160-0", `"Creatinine"`, `"mg/dL"`)},
		"longer value": {obs(`"final"`, cat, "2160-0", `"Creatinine"`, `"mg/dL"`),
			obs(`"finalx"`, cat, "2160-0", `"Creatinine x"`, `"mg/dLx"`)},
		"shorter value": {obs(`"finalx"`, cat, "2160-0", `"Creatinine x"`, `"mg/dLx"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine"`, `"mg/dL"`)},
		"escaped value": {obs(`"final"`, cat, "2160-0", `"Creatinine"`, `"mg/dL"`),
			obs(`"fin\u0061l"`, cat, "2160-0", `"Creatinine\n"`, `"mg\/dL"`)},
		"not UTF-8 after a match": {obs(`"final"`, cat, "2160-0", `"Creatinine"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", "\"Creatinine\xff\"", `"mg/dL"`)},
		"category changes": {obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`),
			obs(`"final"`, `[{"coding":[{"code":"vital-signs"}]}]`, "2160-0", `"C"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`),
			obs(`"final"`, `[{"coding":[{"code":"laboratory"}]}],"Category":1`, "2160-0", `"C"`, `"mg/dL"`),
			obs(`"final"`, `[{"coding":[{"code":"laboratory"}]},1e400]`, "2160-0", `"C"`, `"mg/dL"`),
			obs(`"final"`, `"x"`, "2160-0", `"C"`, `"mg/dL"`),
			obs(`"final"`, `"x\"y"`, "2160-0", `"C"`, `"mg/dL"`)},
		"white space around keys": {obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`),
			strings.ReplaceAll(obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`), `":`, `" : `),
			obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`)},
		"key case": {obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`),
			strings.Replace(obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`), `"status"`, `"Status"`, 1)},
		"key order": {obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`),
			`{"resourceType":"Observation","status":"final","id":"o2","valueQuantity":{"unit":"mg/dL","value":2},"code":{"coding":[{"display":"C","code":"2160-0","system":"http://loinc.org"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2020-01-02"}`},
		"passed over at another depth": {
			`{"resourceType":"Procedure","id":"b","extension":[{"url":"a","x":{"y":[1]},"extension":[{"url":"b","x":{"y":[1]}}]}]}`,
			`{"resourceType":"Procedure","id":"b","extension":[{"url":"a","x":{"y":[1]},"extension":[{"url":"b","x":{"y":[1]},"extension":[{"x":{"y":[1]}}]}]}]}`},
		"value cache: same first bytes, other tails": {
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma "`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasmb"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL","code":"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL","comparator":"<"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma "`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasmb"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL","Code":"x"`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL","value":2`),
			obs(`"final"`, cat, "2160-0", `"Creatinine [Mass/volume] in Serum or Plasma"`, `"mg/dL"`)},
		"value cache: braces in strings, null, white space": {
			obs(`"final"`, cat, "2160-0", `"C}{"`, `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"C}{"`, `"mg/dL"`),
			strings.Replace(obs(`"final"`, cat, "2160-0", `"C}{"`, `"mg/dL"`), `"subject":{"reference":"Patient/p"}`, `"subject":null`, 1),
			strings.Replace(obs(`"final"`, cat, "2160-0", `"C}{"`, `"mg/dL"`), `"subject":{"reference":"Patient/p"}`, `"subject":{"reference":"Patient/p" }`, 1),
			strings.Replace(obs(`"final"`, cat, "2160-0", `"C}{"`, `"mg/dL"`), `"subject":{"reference":"Patient/p"}`, `"subject":{"reference":"Patient/p"},"subject":{"reference":"Patient/p"}`, 1),
			obs(`"final"`, cat, "2160-0", "\"C}{\xff\"", `"mg/dL"`),
			obs(`"final"`, cat, "2160-0", `"C}{"`, `"mg/dL"`)},
		"value cache: components": {
			bp("136", "72", ""), bp("136", "72", ""), bp("136", "73", ""), bp("72", "136", ""),
			bp("136", "72", `,"valueString":"x"`), bp("136", "72", `,"valueQuantity":null`), bp("136.0", "72", "")},
		"value cache: another depth": {
			obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`),
			`{"resourceType":"Bundle","type":"collection","entry":[{"resource":` + obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`) + `}]}`,
			obs(`"final"`, cat, "2160-0", `"C"`, `"mg/dL"`)},
		"patient": {`{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1990-01-02"}`,
			`{"resourceType":"Patient","id":"","gender":"female ","birthDate":"1990-01-02T00:00:00Z"}`,
			`{"resourceType":"Patient","id":"p","gender":null,"birthDate":"1990-01-02"}`},
	} {
		t.Run(name, func(t *testing.T) {
			s := &scanner{in: &interner{}, a: &arena{}, memo: new(memos), vals: new(valCaches)}
			for i, l := range lines {
				var got resource
				err := decodeDoc([]byte(l), &got, s)
				want, _, werr := decodeOracle([]byte(l))
				if fmt.Sprint(err) != fmt.Sprint(werr) {
					t.Fatalf("line %d: error %v; encoding/json %v\n%s", i+1, err, werr, l)
				}
				if diff := cmp.Diff(want, got, resourceCmp...); diff != "" {
					t.Fatalf("line %d differs from encoding/json (-oracle +memo):\n%s\n%s", i+1, diff, l)
				}
			}
			remembered := 0
			for _, m := range s.memo {
				if m.key != "" {
					remembered++
				}
			}
			if remembered == 0 {
				t.Error("nothing remembered: the memo was not used")
			}
			if strings.HasPrefix(name, "value cache") && (s.vals.cc.last.raw == "" || s.vals.q.last.raw == "" || s.vals.ref.last.raw == "") {
				t.Error("the value cache was not used")
			}
		})
	}
}

// TestValueCacheDetached: the value cache keeps its own copies, so that a
// cached value does not keep the decoder's arena block (256 elements)
// alive for as long as a Session lives.
func TestValueCacheDetached(t *testing.T) {
	s := &scanner{in: &interner{}, a: &arena{}, memo: new(memos), vals: new(valCaches)}
	var r resource
	l := `{"resourceType":"Observation","id":"o","meta":{"source":"x"},"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2020-01-02","valueQuantity":{"value":1.5,"unit":"mg/dL"}}`
	if err := decodeDoc([]byte(l), &r, s); err != nil {
		t.Fatal(err)
	}
	q, cc, meta := s.vals.q.last.v, s.vals.cc.last.v, s.vals.meta.last.v
	if q == nil || q == r.ValueQuantity || q.Value == r.ValueQuantity.Value || *q.Value != 1.5 {
		t.Errorf("cached quantity %+v shares the decoded one %+v", q, r.ValueQuantity)
	}
	if len(cc.Coding) != 1 || &cc.Coding[0] == &r.Code.Coding[0] || cc.Coding[0] != r.Code.Coding[0] {
		t.Errorf("cached code %+v shares the decoded one's codings", cc)
	}
	if meta == nil || meta == r.Meta || *meta != *r.Meta {
		t.Errorf("cached meta %+v shares the decoded one", meta)
	}
}
