package cdshooks

import (
	"net/http"
	"strings"
	"testing"
)

// TestUnderBase: RFC 3986 §6.2.2.1 (scheme and host are case-insensitive)
// and §6.2.3 (a scheme's default port is the same as none): a next link is
// under fhirServer however either spells them; the path is compared as is.
func TestUnderBase(t *testing.T) {
	rows := []struct {
		base, u string
		want    bool
	}{
		{"http://ehr.example/fhir", "http://ehr.example/fhir/Observation?page=2", true},
		{"HTTP://EHR.Example/fhir/", "http://ehr.example/fhir/Observation?page=2", true},
		{"http://ehr.example:80/fhir", "http://ehr.example/fhir/Observation?page=2", true},
		{"https://ehr.example/fhir", "HTTPS://ehr.example:443/fhir/Observation", true},
		{"http://ehr.example/fhir", "https://ehr.example/fhir/Observation", false},
		{"http://ehr.example/fhir", "http://ehr.example:8080/fhir/Observation", false},
		{"http://ehr.example/fhir", "http://ehr.example/fhirx/Observation", false},
		{"http://ehr.example/fhir", "http://ehr.example/FHIR/Observation", false},
		{"http://ehr.example/fhir", "http://user@ehr.example/fhir/Observation", false},
		{"http://ehr.example/fhir", "/fhir/Observation?page=2", false},
		{"http://ehr.example/fhir", "http://elsewhere.example/fhir/Observation", false},
	}
	for _, r := range rows {
		if got := underBase(r.base, r.u); got != r.want {
			t.Errorf("underBase(%q, %q) = %v, want %v", r.base, r.u, got, r.want)
		}
	}
}

// TestFHIRServerUpperCaseScheme (trial 10 F2): fhirServer
// "HTTP://127.0.0.1:…/fhir" passes the allowlist (canonical form), and the
// server's own next links (lower case) are followed, not refused as
// "outside fhirServer".
func TestFHIRServerUpperCaseScheme(t *testing.T) {
	const id = "ln-class-iv-g4"
	f := newFakeFHIR(t, id, "tok")
	h := demoHandler(t, func(c *Config) { c.FHIRClient, c.FHIRServers = f.srv.Client(), []string{f.srv.URL + "/fhir"} })
	server := "HTTP" + strings.TrimPrefix(f.srv.URL, "http") + "/fhir"
	auth := map[string]any{"fhirServer": server, "fhirAuthorization": map[string]any{"access_token": "tok", "token_type": "Bearer"}}
	w := do(h, http.MethodPost, servicePath(), callBody(t, id, nil, auth), nil)
	if w.Code != 200 {
		t.Fatalf("fhirServer %s: %d %s", server, w.Code, w.Body)
	}
	if obs := len(f.res["observations"]); f.calls.Load() < int32(obs/25+5) {
		t.Errorf("%d FHIR calls for %d observations: pages not followed", f.calls.Load(), obs)
	}
}
