package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The differential tests of the fast decoder (decode.go, scan.go) against
// its oracle, the encoding/json v1 path (decodeResourceV1: checkDoc, then
// json.Unmarshal into the structs of resource.go), which is how every
// document was read before the fast decoder.

// decodeOracle decodes raw as before the fast decoder: the document with
// encoding/json, a Bundle's entries as json.RawMessage, each entry then
// with encoding/json on its own.
func decodeOracle(raw []byte) (resource, []error, error) {
	var r resource
	if err := decodeResourceV1(raw, &r); err != nil {
		return resource{}, nil, err
	}
	var errs []error
	for _, e := range r.Entry {
		be := bundleEntry{fullURL: e.FullURL, raw: e.Resource}
		var err error
		if len(e.Resource) > 0 {
			err = decodeResourceV1(e.Resource, &be.res)
			be.ok = err == nil
			if !be.ok {
				be.res = resource{}
			}
			for _, n := range be.res.Entry { // a nested Bundle's entries are not decoded
				be.res.entries = append(be.res.entries, bundleEntry{fullURL: n.FullURL, raw: n.Resource})
			}
			be.res.Entry = nil
		}
		errs = append(errs, err)
		r.entries = append(r.entries, be)
	}
	r.Entry = nil
	return r, errs, nil
}

// decodeFast decodes raw with the fast decoder alone: ok false when it
// gave up on the document. Entries it gave up on are left undecoded.
func decodeFast(raw []byte) (resource, bool) {
	var r resource
	s := scanner{b: raw, strict: true, in: &interner{}, a: &arena{}, memo: new(memos)}
	s.ws()
	if s.peek() != '{' || !decResource(&s, &r, true) {
		return resource{}, false
	}
	if s.ws(); s.i != len(raw) {
		return resource{}, false
	}
	for i := range r.entries {
		if e := &r.entries[i]; !e.ok && len(e.raw) > 0 && e.raw[0] == '{' && r.ResourceType == "Bundle" {
			es := scanner{b: e.raw, strict: true, in: &interner{}, a: &arena{}}
			if e.ok = decResource(&es, &e.res, false); !e.ok {
				e.res = resource{}
			}
		}
	}
	return r, true
}

var resourceCmp = []cmp.Option{cmp.AllowUnexported(resource{}, bundleEntry{}), cmpopts.EquateEmpty(), cmpopts.IgnoreFields(resource{}, "typedID")}

// checkTypedID: where the fast decoder built typedID, it is what
// resourceID built from ResourceType and ID.
func checkTypedID(t *testing.T, r *resource) {
	t.Helper()
	if r.typedID != "" && r.typedID != r.ResourceType+"/"+r.ID {
		t.Fatalf("typedID %q for %q and %q", r.typedID, r.ResourceType, r.ID)
	}
	for i := range r.entries {
		checkTypedID(t, &r.entries[i].res)
	}
}

// sameDecoding checks that the fast decoder, where it decodes raw, gives
// what the oracle gives, and returns whether it decoded the document and
// every entry itself.
func sameDecoding(t *testing.T, raw []byte) (fast bool) {
	t.Helper()
	want, entryErrs, err := decodeOracle(raw)
	got, ok := decodeFast(raw)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("fast decoder accepted what encoding/json rejects (%v): %q", err, raw)
	}
	if len(got.entries) != len(want.entries) {
		t.Fatalf("%d entries, oracle %d: %q", len(got.entries), len(want.entries), raw)
	}
	fast = true
	for i := range got.entries {
		g, w := &got.entries[i], &want.entries[i]
		if !g.ok {
			fast = fast && len(g.raw) == 0
			if g.fullURL != w.fullURL || !bytes.Equal(g.raw, w.raw) {
				t.Fatalf("entry %d: fullUrl %q raw %q; oracle %q %q", i, g.fullURL, g.raw, w.fullURL, w.raw)
			}
			*g = *w // left to the oracle's path by decodeDoc
			continue
		}
		if entryErrs[i] != nil {
			t.Fatalf("entry %d: fast decoder accepted what encoding/json rejects (%v): %q", i, entryErrs[i], g.raw)
		}
	}
	checkTypedID(t, &got)
	if diff := cmp.Diff(want, got, resourceCmp...); diff != "" {
		t.Fatalf("fast decoder differs from encoding/json (-oracle +fast):\n%s\ninput %q", diff, raw)
	}
	return fast
}

// readBoth reads data with the fast decoder and with the oracle alone and
// fails when the Results differ in anything.
func readBoth(t *testing.T, name string, data []byte) {
	t.Helper()
	r := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), System: "diff"}
	fastDecode = false
	want, err := r.Read(name, bytes.NewReader(data))
	fastDecode = true
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Read(name, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) })); diff != "" {
		t.Fatalf("Read with the fast decoder differs (-oracle +fast):\n%s", diff)
	}
}

// corpusFiles are the test fixtures and the shared Synthea exports.
func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json*"))
	shared, _ := filepath.Glob(filepath.Join("..", "..", "shared", "data", "*", "*.ndjson"))
	files = append(files, shared...)
	if name := os.Getenv("RENALWATCH_BENCH_NDJSON"); name != "" {
		files = append(files, name)
	}
	return files
}

// Every document of the fixtures and the shared Synthea data decodes as
// with encoding/json, and the fast decoder decodes all of them itself.
func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, name := range corpusFiles(t) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		docs := bytes.Split(data, []byte("\n"))
		if json.Valid(data) {
			docs = [][]byte{data} // one document over several lines
		}
		slow := 0
		for _, d := range docs {
			if d = bytes.TrimSpace(d); len(d) == 0 {
				continue
			}
			if !sameDecoding(t, d) && json.Valid(d) {
				slow++
			}
		}
		if slow > 0 && filepath.Base(name) != "rejections.ndjson" {
			t.Errorf("%s: %d valid documents left to encoding/json", name, slow)
		}
		readBoth(t, name, data)
	}
}

// Hand-written cases at the edges where encoding/json v1 is lax or odd.
func TestDecodeEdges(t *testing.T) {
	for _, doc := range []string{
		`{"resourceType":"Patient","id":"a"}`,
		`{"resourceType":"Patient","ID":"a"}`,                         // v1 folds case
		`{"resourceType":"Patient","id":"a","id":"b"}`,                // duplicate: rejected (dupfield.go)
		`{"resourceType":"Patient","Id":"a","id":"b"}`,                // both: rejected
		`{"valueQuantity":{"value":1,"value":2}}`,                     // nested duplicate: rejected
		`{"resourceType":"Patient","note":1,"note":2}`,                // a key not read, twice: read
		`{"resourceType":"Patient","ſtatus":"final"}`,                 // U+017F folds to s in v1
		`{"resourceType":"Patient","id":"\u00e9\ud83d\ude00\ud800x"}`, // escapes, a lone surrogate
		`{"resourceType":"Patient","id":"\/a\"\\\b\f\n\r\t"}`,
		`{"resourceType":"Patient","i\u0064":"a"}`, // escaped key
		`null`, `[]`, `"x"`, `1`, `{}`, `{"a":1}`, ` {"resourceType":"Patient"} `, `{"resourceType":"Patient"}x`,
		`{"resourceType":5}`, `{"code":null,"subject":null,"valueQuantity":null,"component":null,"stage":null,"dosage":null}`,
		`{"component":[],"stage":[null,1,"x",{"a":[]}],"dosage":{"text":"x"},"contained":[{"resourceType":"Medication"}]}`,
		`{"valueQuantity":{"value":1e400}}`, `{"x":1e400}`, `{"x":1e-400}`, `{"x":1e99}`, `{"valueInteger":-0.0e-0}`,
		`{"valueQuantity":{"value":01}}`, `{"x":1.}`, `{"x":.5}`, `{"x":-}`, `{"x":1e}`, `{"x":tru}`, `{"x":nul}`,
		"{\"id\":\"a\xffb\"}", "{\"x\":\"a\xffb\"}", "{\"x\":\"a\tb\"}", `{"x":"\x"}`, `{"x":"\u12"}`,
		`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"p"}},null,{},{"resource":null},{"resource":5}]}`,
		`{"entry":[{"resource":{"resourceType":"Patient","id":"p"}}],"resourceType":"Bundle"}`,
		"{\"resourceType\":\"Bundle\",\"entry\":[{\"fullUrl\":\"a\xff\",\"resource\":{\"id\":\"\xff\"}}]}",
		"{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"id\":\"\xff\",\"v\":1e400}}],\"x\":9e99}",
		`{"resourceType":"Bundle","entry":{}}`, `{"resourceType":"Bundle","entry":[5]}`, `{"resourceType":"Bundle","entry":[{"resource":{"id":5}}]}`,
		`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[{"resource":{"id":1e999}}]}}]}`,
		`{"deceasedBoolean":true,"valueBoolean":false,"valueString":"s","valueInteger":3}`, `{"deceasedBoolean":"true"}`,
		`{"extension":[{"url":"u","valueInteger":2,"extension":[{"url":"v"}]}],"meta":{"source":"s","Source":"t"}}`,
		strings.Repeat("[", 600) + strings.Repeat("]", 600), `{"x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`,
	} {
		sameDecoding(t, []byte(doc))
		readBoth(t, "edge", []byte(doc))
	}
}

// validJSON never says a document is valid that json.Valid refuses.
func FuzzValidJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[1,2]`, `{"a":"\u00e9"}`, `01`, "\"\x01\"", `{"a":1,}`, ` null `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if validJSON(data) && !json.Valid(data) {
			t.Fatalf("validJSON true, json.Valid false: %q", data)
		}
	})
}

// FuzzDecodeDifferential: for every input, reading with the fast decoder
// gives the same Result as reading with encoding/json alone, and where
// the fast decoder decodes a document it decodes it as encoding/json does.
// Seeds: the fixtures, the seeds of FuzzRead, FuzzReadChunks and
// FuzzReadIDsAndText, and lines of the shared Synthea data.
func FuzzDecodeDifferential(f *testing.F) {
	for _, name := range corpusFiles(f) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 1<<16 {
			f.Add(data)
			continue
		}
		lines := bytes.Split(data, []byte("\n"))
		for i := 0; i < len(lines); i += 1 + len(lines)/20 {
			f.Add(lines[i])
		}
	}
	for _, s := range []string{
		`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle"}}]}`,
		`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"subject":{"reference":"Patient/a"},"effectiveDateTime":"2020","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":1e308,"unit":"mm[Hg]"}}]}`,
		"{\n}\n{\"resourceType\":\"Patient\",\"id\":\"a\"}\n",
		`{"resourceType":"Patient","id":"p` + "\xff" + `","gender":"female"}`,
		`{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:a b","resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Observation","id":"c3","valueQuantity":{"value":1e400}}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range bytes.Split(data, []byte("\n")) {
			sameDecoding(t, bytes.TrimSpace(d))
		}
		sameDecoding(t, data)
		readBoth(t, "fuzz", data)
	})
}
