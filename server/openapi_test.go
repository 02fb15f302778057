package server

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"renalwatch/fhir/cdshooks"
)

// TestOpenAPIMatchesRoutes: every operation of openapi.json is a route of
// the mux (the mux picks that very pattern for it), and every API route
// of the route table is in the document. Pages, static files and the /api/
// catch-all (404 as JSON) are not API operations; the CDS Hooks routes
// (mounted when Config.CDS is set) are.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	b, err := assets.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	s, _ := newTestServer(t, Config{CDS: &cdshooks.Config{Demo: true}})
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			pattern := strings.ToUpper(method) + " " + path
			documented = append(documented, pattern)
			target := strings.NewReplacer("{id}", "p1", "{name}", "egfr").Replace(path)
			_, got := s.mux.Handler(httptest.NewRequest(strings.ToUpper(method), target, nil))
			if got != pattern {
				t.Errorf("openapi.json %s: the mux routes %s %s to %q", pattern, strings.ToUpper(method), target, got)
			}
		}
	}
	for _, rt := range s.routes() {
		_, path, _ := strings.Cut(rt.pattern, " ")
		api := strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/cds-services") || path == "/healthz" || path == "/readyz"
		if !api || path == "/api/" {
			continue
		}
		if !slices.Contains(documented, rt.pattern) {
			t.Errorf("route %s is not in openapi.json", rt.pattern)
		}
	}
}

// TestOpenAPILicenseMatchesRepository (trial-web #11): the licence the API
// description names is the repository's (LICENSE is Apache 2.0).
func TestOpenAPILicenseMatchesRepository(t *testing.T) {
	lic, err := os.ReadFile("../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Info struct {
			License struct{ Name, Identifier string } `json:"license"`
		} `json:"info"`
	}
	b, err := assets.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lic), "Apache License") || !strings.Contains(string(lic), "Version 2.0") || doc.Info.License.Identifier != "Apache-2.0" {
		t.Errorf("openapi.json licence %+v; LICENSE begins %.80q", doc.Info.License, lic)
	}
}

// TestOpenAPICalculators: the calculator names openapi.json lists are the
// server's (convert included, trial-web #21).
func TestOpenAPICalculators(t *testing.T) {
	b, err := assets.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string
				Schema struct{ Enum []string }
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc.Paths["/api/calc/{name}"]["post"].Parameters {
		if p.Name == "name" && !slices.Equal(p.Schema.Enum, Calculators) {
			t.Errorf("openapi.json calculators %v, server %v", p.Schema.Enum, Calculators)
		}
	}
}
