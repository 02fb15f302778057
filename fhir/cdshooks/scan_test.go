package cdshooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"renalwatch/fhir"
)

// referenceBundle is how the gathered entries were read before
// fhir.Reader.ReadEntries: wrapped in one collection Bundle and read back
// through fhir.Reader.Read. TestReadEntriesAsBundle holds the two to the
// same result.
func (g *gatherer) referenceBundle() []byte {
	b := []byte(`{"resourceType":"Bundle","type":"collection","entry":[`)
	first := true
	for _, e := range g.entries {
		if isNull(e.Resource) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '{')
		if e.FullURL != "" {
			u, _ := json.Marshal(e.FullURL)
			b = append(append(append(b, `"fullUrl":`...), u...), ',')
		}
		b = append(append(append(b, `"resource":`...), e.Resource...), '}')
	}
	return append(b, "]}"...)
}

// slowDecode is the encoding/json reading of a call body that scanCall
// replaces: the Request, then each prefetch value's shallow reading.
func slowDecode(body []byte) (*Request, map[string]*shallow, error) {
	var req Request
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil {
		return nil, nil, err
	}
	if dec.More() {
		return nil, nil, fmt.Errorf("more")
	}
	sh := map[string]*shallow{}
	for k, raw := range req.Prefetch {
		var s shallow
		if json.Unmarshal(raw, &s) == nil {
			sh[k] = &s
		}
	}
	return &req, sh, nil
}

// checkScan: when scanCall reads body, the body is valid JSON and what it
// found is what encoding/json finds.
func checkScan(t *testing.T, body []byte) *scanned {
	t.Helper()
	req, sh, _, err := decodeRequest(body, false)
	sc := scanCall(body)
	if json.Valid(body) {
		// Skimming (skim.go) finds the same in a valid body.
		sk := scanCallWith(body, true)
		if sk != nil {
			sk.skimmed = false
		}
		if !reflect.DeepEqual(sk, sc) {
			t.Fatalf("%q: skimmed\n%+v\nchecked\n%+v", body, sk, sc)
		}
	}
	if sc == nil {
		return nil
	}
	if !json.Valid(body) {
		t.Fatalf("scanCall read invalid JSON %q", body)
	}
	wantReq, wantSh, werr := slowDecode(body)
	if err != nil || werr != nil {
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: fast error %v, encoding/json error %v", body, err, werr)
		}
		return sc
	}
	if !reflect.DeepEqual(req, wantReq) {
		t.Fatalf("%q: request\n%+v\nwant\n%+v", body, req, wantReq)
	}
	for k, s := range sh {
		if !reflect.DeepEqual(s, wantSh[k]) {
			t.Fatalf("%q: prefetch.%s shallow\n%+v\nwant\n%+v", body, k, s, wantSh[k])
		}
	}
	return sc
}

var scanSeeds = []string{
	`{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"p"},"prefetch":{"patient":{"resourceType":"Patient","id":"p"},"observations":{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"https://x/2"}],"entry":[{"fullUrl":"https://x/Observation/1","resource":{"resourceType":"Observation","id":"1","valueQuantity":{"value":-1.5e+3}},"search":{"mode":"match"}},{"resource":null}]},"conditions":null}}`,
	` { "hook" : "patient-view" , "prefetch" : { "a" : [ 1 , true , false , null , "x\u00e9\n" , { } , [ ] ] , "a" : {"resourceType":"OperationOutcome"} } } `,
	`{"prefetch":{"p":{"resourceType":"Bundle","entry":[{"fullUrl":"caf\u00e9","resource":{}}]}}}`,
	`{"prefetch":{"p":{"resourceType":"Bundle","Entry":[]}}}`,
	`{"prefetch":{"p":{"resourceType":"Bundle","entry":[1]}}}`,
	`{"prefetch":{"p":{"resourceType":5}}}`,
	`{"prefetch":{"p":{"id":"a","id":"b"}}}`,
	`{"Prefetch":{}}`,
	`{"prefetch":null,"hook":1}`,
	`{"prefetch":{}}{}`,
	`{"prefetch":{"x":01}}`,
	`{"prefetch":{"x":"\x01"}}`,
	`{"prefetch":{"x":"\q"}}`,
	`{"prefetch":{"x":[1,]}}`,
	`{"prefetch":{"x":{"a":1,}}}`,
	`{"prefetch":{"x":-}}`,
	`{"prefetch":{"x":1.}}`,
	`{"prefetch":{"x":1e}}`,
	`{"prefetch":{"x":nul}}`,
	`{"prefetch":{"x":"\u12G4"}}`,
	`{"prefetch":{"x":{"resourceType":"Bundle","link":{"relation":"next"}}}}`,
	"{\"prefetch\":{\"x\":\"\xff\xfe\"}}",
	`[]`,
	``,
}

func TestScanCall(t *testing.T) {
	for _, s := range scanSeeds {
		checkScan(t, []byte(s))
	}
	if checkScan(t, []byte(scanSeeds[0])) == nil {
		t.Error("the plain call was not read in one pass")
	}
	// encoding/json's nesting limit: 10,000 levels, the body's object
	// included.
	for _, depth := range []int{9998, 9999, 10000} {
		v := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		body := []byte(`{"prefetch":{"x":` + v + `}}`)
		if (scanCall(body) != nil) != json.Valid(body) {
			t.Errorf("depth %d: scanCall %v, json.Valid %v", depth+2, scanCall(body) != nil, json.Valid(body))
		}
	}
}

func FuzzScanCall(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkScan(t, body) })
}

// TestReadEntriesAsBundle: reading the gathered entries in place gives the
// Result that wrapping them in a Bundle and reading it gave, for every
// demonstration patient and the ten-year prefetch.
func TestReadEntriesAsBundle(t *testing.T) {
	pfs := map[string]map[string]json.RawMessage{}
	for _, id := range []string{"ln-class-iv-g4", "ln-complete-response", "child-ln", "dialysis", "stem-cell"} {
		pfs[id] = demoPrefetch(t, id)
	}
	pfs["ten-year"], _ = tenYearPrefetch(t)
	for name, pf := range pfs {
		id := name
		if name == "ten-year" {
			id = "ln-class-iv-g4"
		}
		body := callBody(t, id, pf, nil)
		req, sh, pv, err := decodeCall(body, DefaultServiceID)
		if err != nil {
			t.Fatal(err)
		}
		if sh == nil {
			t.Errorf("%s: not read in one pass", name)
		}
		g := &gatherer{req: req, pv: pv, shallow: sh}
		if err := g.gather(t.Context()); err != nil {
			t.Fatal(err)
		}
		rd := fhir.Reader{Now: asOf, System: "https://ehr.example.org/fhir"}
		got := rd.ReadEntries("cds-hooks x", g.resources())
		want, err := rd.Read("cds-hooks x", bytes.NewReader(g.referenceBundle()))
		if err != nil {
			t.Fatal(err)
		}
		// The Bundle was one NDJSON-like line: its items said line 1.
		// Read in place they say line 0, as inside any Bundle.
		zeroLines(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ReadEntries differs from reading the Bundle", name)
		}
		if len(got.Batch.Observations) == 0 {
			t.Errorf("%s: no observation read", name)
		}
	}
}

// zeroLines sets the Line of every item's provenance and of every
// rejection to 0.
func zeroLines(r *fhir.Result) {
	b := reflect.ValueOf(&r.Batch).Elem()
	for i := range b.NumField() {
		items := b.Field(i)
		for j := range items.Len() {
			if p := items.Index(j).FieldByName("Provenance"); p.IsValid() {
				p.FieldByName("Line").SetInt(0)
			}
			if l := items.Index(j).FieldByName("Line"); l.IsValid() { // record.Observation
				l.SetInt(0)
			}
		}
	}
	for i := range r.Rejected {
		r.Rejected[i].Line = 0
	}
}

// BenchmarkScanCall: the one pass over a ten-year call body, beside
// json.Valid (one scan of encoding/json's) for scale.
func BenchmarkScanCall(b *testing.B) {
	pf, _ := tenYearPrefetch(b)
	body := callBody(b, "ln-class-iv-g4", pf, nil)
	b.Run("scanCall", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if scanCall(body) == nil {
				b.Fatal("not read")
			}
		}
	})
	b.Run("skim", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if scanCallWith(body, true) == nil {
				b.Fatal("not read")
			}
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			json.Valid(body)
		}
	})
}
