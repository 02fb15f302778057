package cdshooks

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// withSearch rewrites the searchset Bundle raw with each entry's search
// member after its resource, as FHIR servers write them (where
// resourceEnd guesses the resource's end), and with the first resource
// changed by edit.
func withSearch(t *testing.T, raw json.RawMessage, edit func([]byte) []byte) json.RawMessage {
	t.Helper()
	var b struct {
		Entry []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	out := []byte(`{"resourceType":"Bundle","type":"searchset","entry":[`)
	for i, e := range b.Entry {
		if i > 0 {
			out = append(out, ',')
		}
		r := []byte(e.Resource)
		if i == 0 {
			r = edit(bytes.Clone(r))
		}
		out = append(out, `{"fullUrl":"https://ehr.example.org/fhir/Observation/`...)
		out = append(out, e.FullURL...)
		out = append(out, `","resource":`...)
		out = append(out, r...)
		out = append(out, `,"search":{"mode":"match"}}`...)
	}
	return append(out, "]}"...)
}

// TestResourceEndGuess: the resources of entries followed by their search
// member are read where resourceEnd guesses they end, and the answers are
// those of the checked reading, also when the guess falls inside the
// resource (a member of its own followed by "search"), inside a string,
// or the resource is not valid JSON.
func TestResourceEndGuess(t *testing.T) {
	h := demoHandler(t)
	pf, _ := tenYearPrefetch(t)
	plain := sameAnswers(t, h, callBody(t, "ln-class-iv-g4", pf, nil))
	if plain != http.StatusOK {
		t.Fatalf("ten-year: %d", plain)
	}
	open := func(s string) func([]byte) []byte {
		return func(r []byte) []byte { return append(append([]byte(`{`), s...), r[1:]...) }
	}
	cases := map[string]struct {
		edit func([]byte) []byte
		code int
	}{
		"as written":         {func(r []byte) []byte { return r }, http.StatusOK},
		"member then search": {open(`"meta":{"source":"x"},"search":{"mode":"x"},`), http.StatusOK},
		"in a string":        {open(`"text":{"div":"a},\"search\":"},`), http.StatusOK},
		"not JSON":           {open(`"meta":{"source":"x"},"search":"NOT-JSON",`), http.StatusBadRequest},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			pf2 := map[string]json.RawMessage{}
			for k, v := range pf {
				pf2[k] = v
			}
			pf2["observations"] = withSearch(t, pf["observations"], c.edit)
			body := bytes.Replace(callBody(t, "ln-class-iv-g4", pf2, nil), []byte(`"NOT-JSON"`), []byte(`x`), 1)
			if !bytes.Contains(body, searchAfter) {
				t.Fatal("no search member after a resource")
			}
			if got := sameAnswers(t, h, body); got != c.code {
				t.Errorf("%d, want %d", got, c.code)
			}
		})
	}
}
