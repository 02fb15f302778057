package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"renalwatch/internal/golden"
)

// TestAPIGolden requests every API route on the demonstration patients
// and compares status and body with testdata/api/NAME.json.
func TestAPIGolden(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	for _, tc := range []struct {
		name, method, target string
		status               int
	}{
		{"healthz", "GET", "/healthz", 200},
		{"readyz", "GET", "/readyz", 200},
		{"patients", "GET", "/api/patients?as_of=" + testAsOf, 200},
		{"patients-g4", "GET", "/api/patients?stage=G4&as_of=" + testAsOf, 200},
		{"patients-sorted-egfr-page2", "GET", "/api/patients?sort=egfr&per_page=2&page=2&as_of=" + testAsOf, 200},
		{"patients-flare-alerts", "GET", "/api/patients?flare=true&alerts=critical&as_of=" + testAsOf, 200},
		{"patients-bad-stage", "GET", "/api/patients?stage=G7", 400},
		{"patients-bad-perpage", "GET", "/api/patients?per_page=0", 400},
		{"patients-unknown-param", "GET", "/api/patients?stag=G4", 400},
		{"patients-bad-kfre-pct", "GET", "/api/patients?kfre_min=500%25", 400},
		{"patient", "GET", "/api/patients/ln-class-iv-g4?as_of=" + testAsOf, 200},
		{"patient-missing", "GET", "/api/patients/nobody", 404},
		{"assessment", "GET", "/api/patients/ln-class-iv-g4/assessment?as_of=" + testAsOf, 200},
		{"assessment-bad-asof", "GET", "/api/patients/ln-class-iv-g4/assessment?as_of=15/10/2026", 400},
		{"assessment-missing", "GET", "/api/patients/nobody/assessment", 404},
		{"assessment-unknown-param", "GET", "/api/patients/ln-class-iv-g4/assessment?units=si&as_of=" + testAsOf, 400},
		{"fhir", "GET", "/api/patients/ln-class-iv-g4/fhir?as_of=" + testAsOf, 200},
		{"unknown-route", "GET", "/api/nothing", 404},
		{"import-unconfigured", "POST", "/api/import", 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := do(t, s, tc.method, tc.target, nil, nil)
			body := readAll(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
				t.Errorf("Content-Type %q", ct)
			}
			if !json.Valid(body) {
				t.Fatalf("not JSON: %s", body)
			}
			golden.Assert(t, "api/"+tc.name+".json", body)
		})
	}
}

// TestListFilters checks the filters against the demonstration patients'
// known stages (demo/data/README.md): only ln-class-iv-g4 reaches G4.
func TestListFilters(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	ids := func(q string) []string {
		resp := do(t, s, "GET", "/api/patients?as_of="+testAsOf+"&"+q, nil, nil)
		var l List
		if err := json.Unmarshal(readAll(t, resp), &l); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range l.Patients {
			out = append(out, p.ID)
		}
		return out
	}
	if got := ids("stage=G4"); !slices.Equal(got, []string{"ln-class-iv-g4"}) {
		t.Errorf("stage=G4: %v", got)
	}
	if got := ids("q=LN"); !slices.Equal(got, []string{"child-ln", "ln-class-iv-g4", "ln-complete-response"}) {
		t.Errorf("q=LN: %v", got)
	}
	all := ids("sort=egfr")
	desc := ids("sort=egfr&desc=true")
	if len(all) != 5 || len(desc) != 5 || all[0] != "ln-class-iv-g4" || desc[len(desc)-1] == desc[0] {
		t.Errorf("sort=egfr %v, desc %v", all, desc)
	}
	// kfre_min takes a percentage as the CLI's kfre5y>=5% does.
	if pct, frac := ids("kfre_min=5%25"), ids("kfre_min=0.05"); !slices.Equal(pct, frac) || !slices.Contains(frac, "ln-class-iv-g4") {
		t.Errorf("kfre_min=5%%: %v, kfre_min=0.05: %v", pct, frac)
	}
	if got := ids("flare=true"); !slices.Contains(got, "ln-class-iv-g4") {
		t.Errorf("flare=true: %v lacks ln-class-iv-g4 (two flares)", got)
	}
}

// TestErrorShape checks the one error body every error has.
func TestErrorShape(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	resp := do(t, s, "GET", "/api/patients?risk=purple", nil, nil)
	var e struct {
		Error struct{ Code, Message, Field string }
	}
	if err := json.Unmarshal(readAll(t, resp), &e); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest || e.Error.Code != "bad_request" || e.Error.Field != "risk" || !strings.Contains(e.Error.Message, "very high") {
		t.Errorf("got %d %+v", resp.StatusCode, e)
	}
}

// TestStatusOf checks the one mapping from error to status.
func TestStatusOf(t *testing.T) {
	for k, want := range map[Kind]int{KindBadRequest: 400, KindUnauthorized: 401, KindForbidden: 403, KindNotFound: 404,
		KindTooLarge: 413, KindMediaType: 415, KindInvalid: 422, KindInternal: 500} {
		if got, _ := statusOf(Errorf(k, "", "x")); got != want {
			t.Errorf("%s: %d, want %d", k, got, want)
		}
	}
	if got, e := statusOf(&http.MaxBytesError{Limit: 10}); got != 413 || e.Kind != KindTooLarge {
		t.Errorf("MaxBytesError: %d %v", got, e)
	}
	if got, e := statusOf(errSecret); got != 500 || strings.Contains(e.Message, "secret") {
		t.Errorf("internal: %d %q", got, e.Message)
	}
}

var errSecret = &json.UnsupportedValueError{Str: "secret patient p1"}

// TestAPIMethodNotAllowed (trial-web #21): a known API path with another
// method is 405 with Allow, not "no such API route"; an unknown path is
// still 404.
func TestAPIMethodNotAllowed(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	resp := do(t, s, "DELETE", "/api/patients/ln-class-iv-g4", nil, nil)
	body := string(readAll(t, resp))
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" || !strings.Contains(body, `"method_not_allowed"`) {
		t.Errorf("DELETE: %d Allow %q %s", resp.StatusCode, resp.Header.Get("Allow"), body)
	}
	resp = do(t, s, "GET", "/api/import", nil, nil)
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET /api/import: %d Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp = do(t, s, "DELETE", "/api/nothing", nil, nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
}

// TestListLeavesOutNotBorn (trial-web #20): the list as of a date before
// a patient's birth leaves the patient out and says how many were left
// out; the demo's child (born 2015) is not in the list as of 1990.
func TestListLeavesOutNotBorn(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	var l List
	resp := do(t, s, "GET", "/api/patients?as_of=1990-01-01&per_page=500", nil, nil)
	if err := json.Unmarshal(readAll(t, resp), &l); err != nil {
		t.Fatal(err)
	}
	var all List
	if err := json.Unmarshal(readAll(t, do(t, s, "GET", "/api/patients?as_of="+testAsOf+"&per_page=500", nil, nil)), &all); err != nil {
		t.Fatal(err)
	}
	if l.NotBorn == 0 || l.Total+l.NotBorn != all.Total || all.NotBorn != 0 {
		t.Errorf("as of 1990: %d listed, %d left out; as of %s: %d listed, %d left out", l.Total, l.NotBorn, testAsOf, all.Total, all.NotBorn)
	}
	for _, r := range l.Patients {
		if r.ID == "child-ln" || (r.BirthDate != nil && *r.BirthDate > "1990-01-01") {
			t.Errorf("%s (born %v) listed as of 1990-01-01", r.ID, *r.BirthDate)
		}
	}
	page := string(readAll(t, do(t, s, "GET", "/?as_of=1990-01-01", nil, nil)))
	if !strings.Contains(page, fmt.Sprintf(`<strong id="not-born">%d patients born after 1990-01-01 left out</strong>`, l.NotBorn)) {
		t.Error("the list page does not say that patients born later were left out")
	}
}
