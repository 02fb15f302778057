package cdshooks

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"renalwatch/fhir"
	"renalwatch/record"
)

var update = flag.Bool("update", false, "rewrite golden files")

// asOf is the demonstration data's reference date (demo/data/README.md).
var asOf = time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)

const (
	testPublic   = "https://rw.example.org"
	testInstance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"
)

func fixedNow() time.Time { return asOf }

// demoHandler is a demo-mode handler (no JWT) on the fixed clock, whose
// store holds the demonstration patients (demoStore).
func demoHandler(t testing.TB, mod ...func(*Config)) http.Handler {
	t.Helper()
	cfg := Config{Demo: true, Now: fixedNow, PublicURL: testPublic, Patients: demoStore(t)}
	for _, m := range mod {
		m(&cfg)
	}
	return NewHandler(cfg)
}

type bundleFile struct {
	Entry []struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
	} `json:"entry"`
}

type resHead struct {
	ResourceType      string `json:"resourceType"`
	ID                string `json:"id"`
	EffectiveDateTime string `json:"effectiveDateTime"`
	Code              struct {
		Coding []struct{ System, Code string } `json:"coding"`
	} `json:"code"`
}

// demoResources reads a demonstration Bundle and returns its resources by
// prefetch key, keeping only what the prefetch templates ask for: the
// Observations with a listed LOINC code in the window (so the goldens show
// what an EHR honouring the templates would send).
func demoResources(t testing.TB, id string, window time.Duration) map[string][]json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "demo", "data", id+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var b bundleFile
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	codes := fhir.ObservationCodes()
	from := asOf.Add(-window).Format(time.DateOnly)
	out := map[string][]json.RawMessage{}
	for _, e := range b.Entry {
		var h resHead
		if err := json.Unmarshal(e.Resource, &h); err != nil {
			t.Fatal(err)
		}
		switch h.ResourceType {
		case "Patient":
			out["patient"] = append(out["patient"], e.Resource)
		case "Observation":
			ok := false
			for _, c := range h.Code.Coding {
				ok = ok || (c.System == fhir.LOINCSystem && slices.Contains(codes, c.Code))
			}
			if ok && h.EffectiveDateTime[:10] >= from {
				out["observations"] = append(out["observations"], e.Resource)
			}
		case "Condition":
			out["conditions"] = append(out["conditions"], e.Resource)
		case "MedicationRequest":
			out["medicationRequests"] = append(out["medicationRequests"], e.Resource)
		case "MedicationStatement":
			out["medicationStatements"] = append(out["medicationStatements"], e.Resource)
		case "Procedure":
			out["procedures"] = append(out["procedures"], e.Resource)
		default:
			t.Fatalf("%s: unexpected %s", id, h.ResourceType)
		}
	}
	return out
}

// searchset wraps resources in a searchset Bundle with an optional next
// link.
func searchset(res []json.RawMessage, next string) json.RawMessage {
	type entry struct {
		FullURL  string          `json:"fullUrl,omitempty"`
		Resource json.RawMessage `json:"resource"`
	}
	b := struct {
		ResourceType string `json:"resourceType"`
		Type         string `json:"type"`
		Link         []any  `json:"link,omitempty"`
		Entry        []any  `json:"entry"`
	}{ResourceType: "Bundle", Type: "searchset", Entry: []any{}}
	if next != "" {
		b.Link = []any{map[string]string{"relation": "next", "url": next}}
	}
	for _, r := range res {
		b.Entry = append(b.Entry, entry{Resource: r})
	}
	raw, _ := json.Marshal(b)
	return raw
}

// demoPrefetch is a full prefetch of a demonstration patient.
func demoPrefetch(t testing.TB, id string) map[string]json.RawMessage {
	res := demoResources(t, id, 3653*24*time.Hour)
	pf := map[string]json.RawMessage{}
	for _, k := range prefetchKeys {
		switch {
		case k.key == "patient":
			pf[k.key] = res["patient"][0]
		default:
			pf[k.key] = searchset(res[k.key], "")
		}
	}
	return pf
}

// callBody is a patient-view request body.
func callBody(t testing.TB, patientID string, pf map[string]json.RawMessage, extra map[string]any) []byte {
	t.Helper()
	m := map[string]any{
		"hook":         "patient-view",
		"hookInstance": testInstance,
		"context":      map[string]any{"userId": "Practitioner/example", "patientId": patientID},
	}
	if pf != nil {
		m["prefetch"] = pf
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func do(h http.Handler, method, path string, body []byte, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func decodeCards(t testing.TB, w *httptest.ResponseRecorder) Response {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp Response
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// golden compares got with testdata/golden/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n%s", name, got)
	}
}

func servicePath() string { return "/cds-services/" + DefaultServiceID }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// demoIDs are the demonstration patients.
var demoIDs = []string{"ln-class-iv-g4", "ln-complete-response", "child-ln", "dialysis", "stem-cell"}

// demoStore is a PatientLookup holding the demonstration patients as the
// fhir reader reads their Patient resources, as a store that imported
// the demonstration Bundles would.
func demoStore(t testing.TB) PatientLookup {
	t.Helper()
	m := map[string]record.Patient{}
	for _, id := range demoIDs {
		rd := fhir.Reader{Now: fixedNow()}
		res := rd.ReadEntries(id, []fhir.RawEntry{{Resource: demoResources(t, id, time.Hour)["patient"][0]}})
		for _, p := range res.Batch.Patients {
			m[p.ID] = p
		}
	}
	return func(_ context.Context, id string) (record.Patient, bool) {
		p, ok := m[id]
		return p, ok
	}
}

// postJSON is a service call request with its body declared as JSON.
func postJSON(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, servicePath(), bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}
