package cdshooks

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"renalwatch/fhir"
)

// TestDiscovery: § Discovery, Response.
func TestDiscovery(t *testing.T) {
	w := do(demoHandler(t), http.MethodGet, "/cds-services", nil, nil)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d %s", w.Code, w.Header())
	}
	var raw map[string][]map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	svcs := raw["services"]
	if len(svcs) != 1 {
		t.Fatalf("§ Discovery: services = %v", raw)
	}
	s := svcs[0]
	for _, row := range []struct{ section, field string }{
		{"§ Discovery: hook REQUIRED", "hook"}, {"§ Discovery: description REQUIRED", "description"},
		{"§ Discovery: id REQUIRED", "id"}, {"§ Discovery: title RECOMMENDED", "title"}, {"§ Prefetch Template", "prefetch"},
	} {
		if v, ok := s[row.field]; !ok || v == "" || v == nil {
			t.Errorf("%s: %s missing", row.section, row.field)
		}
	}
	if s["hook"] != "patient-view" || s["id"] != DefaultServiceID {
		t.Errorf("hook/id: %v", s)
	}
	pf := s["prefetch"].(map[string]any)
	for _, k := range prefetchKeys {
		tmpl, _ := pf[k.key].(string)
		if !strings.Contains(tmpl, "{{context.patientId}}") {
			t.Errorf("§ Prefetch tokens: %s = %q has no {{context.patientId}}", k.key, tmpl)
		}
	}
	obs := pf["observations"].(string)
	for _, c := range []string{"2160-0", "2890-2", "98979-8", "85354-9", "718-7"} {
		if !strings.Contains(obs, fhir.LOINCSystem+"|"+c+",") && !strings.HasSuffix(strings.Split(obs, "&date")[0], "|"+c) {
			t.Errorf("observations template lacks LOINC %s", c)
		}
	}
	// § Prefetch query restrictions: date with ge only; ten years before
	// the clock.
	if !strings.HasSuffix(obs, "&date=ge2016-10-14") {
		t.Errorf("observations window: %q", obs)
	}
}

func rawMsg(s string) json.RawMessage { return json.RawMessage(s) }

// TestCallErrors: § Calling a CDS Service, § Prefetch Template and
// § HTTP Status Codes (400, 404, 412), one row per rule.
func TestCallErrors(t *testing.T) {
	pf := func(mod map[string]json.RawMessage) map[string]json.RawMessage {
		p := demoPrefetch(t, "ln-class-iv-g4")
		for k, v := range mod {
			if v == nil {
				delete(p, k)
				continue
			}
			p[k] = v
		}
		return p
	}
	good := func(extra map[string]any) []byte { return callBody(t, "ln-class-iv-g4", pf(nil), extra) }
	rows := []struct {
		section, name string
		path          string
		body          []byte
		status        int
		reason        string
	}{
		{"§ Use of JSON", "malformed JSON", servicePath(), []byte(`{"hook":`), 400, "not a CDS Hooks request"},
		{"§ HTTP Request: hook REQUIRED", "no hook", servicePath(), good(map[string]any{"hook": nil}), 400, "hook is required"},
		{"§ HTTP Request: hook", "other hook", servicePath(), good(map[string]any{"hook": "order-select"}), 400, "not the hook"},
		{"§ HTTP Request: hookInstance REQUIRED", "no hookInstance", servicePath(), good(map[string]any{"hookInstance": nil}), 400, "hookInstance is required"},
		{"§ hookInstance: a UUID", "hookInstance not a UUID", servicePath(), good(map[string]any{"hookInstance": "abc"}), 400, "not a UUID"},
		{"§ HTTP Request: context REQUIRED", "no context", servicePath(), good(map[string]any{"context": nil}), 400, "context is required"},
		{"patient-view: userId REQUIRED", "no userId", servicePath(), good(map[string]any{"context": map[string]string{"patientId": "ln-class-iv-g4"}}), 400, "userId is required"},
		{"patient-view: userId [ResourceType]/[id]", "userId of a Device", servicePath(), good(map[string]any{"context": map[string]string{"userId": "Device/1", "patientId": "ln-class-iv-g4"}}), 400, "must be Practitioner"},
		{"patient-view: patientId REQUIRED", "no patientId", servicePath(), good(map[string]any{"context": map[string]string{"userId": "Practitioner/1"}}), 400, "patientId is required"},
		{"patient-view: patientId is Patient.id", "patientId Patient/123", servicePath(), good(map[string]any{"context": map[string]string{"userId": "Practitioner/1", "patientId": "Patient/123"}}), 400, `bare Patient.id`},
		{"§ HTTP Request: fhirServer CONDITIONAL", "fhirAuthorization without fhirServer", servicePath(), good(map[string]any{"fhirAuthorization": map[string]any{"access_token": "x", "token_type": "Bearer"}}), 400, "fhirServer is required"},
		{"§ Passing the Access Token: token_type Bearer", "token_type MAC", servicePath(), good(map[string]any{"fhirServer": "https://ehr.example/fhir", "fhirAuthorization": map[string]any{"access_token": "x", "token_type": "MAC"}}), 400, "must be Bearer"},
		{"§ Prefetch Template", "patient prefetch of another patient", servicePath(), callBody(t, "other", pf(nil), nil), 400, "not the Patient of context.patientId"},
		{"§ Prefetch Template", "prefetch value not a resource", servicePath(), callBody(t, "ln-class-iv-g4", pf(map[string]json.RawMessage{"conditions": rawMsg(`"123"`)}), nil), 400, "not a FHIR resource"},
		{"§ Calling a CDS Service", "unknown service", "/cds-services/nope", good(nil), 404, "no CDS service"},
		{"§ Use of JSON (trial-web #13: no Go types)", "body an array", servicePath(), []byte(`[]`), 400, "request body is not a CDS Hooks request object: the value is a JSON array where a JSON object is expected"},
		{"§ Prefetch Template (trial-web #13)", "prefetch value a string", servicePath(), callBody(t, "ln-class-iv-g4", pf(map[string]json.RawMessage{"observations": rawMsg(`"hello"`)}), nil), 400, "prefetch.observations is not a FHIR resource: the value is a JSON string where a JSON object is expected"},
		{"patient-view: userId a string (trial-web #13)", "userId a number", servicePath(), good(map[string]any{"context": map[string]any{"userId": 7, "patientId": "ln-class-iv-g4"}}), 400, "context is not a patient-view context object: userId is a JSON number where a string is expected"},
		{"patient-view: patientId is Patient.id, a FHIR id (trial-web #13)", "patientId with markup", servicePath(), good(map[string]any{"context": map[string]string{"userId": "Practitioner/1", "patientId": "<script>alert(1)</script>"}}), 400, `is not a FHIR id: the FHIR id grammar is [A-Za-z0-9\-\.]{1,64}`},
		{"patient-view: patientId is Patient.id, a FHIR id", "patientId too long", servicePath(), good(map[string]any{"context": map[string]string{"userId": "Practitioner/1", "patientId": strings.Repeat("a", 65)}}), 400, "the FHIR id grammar"},
		{"§ HTTP Status Codes 412", "absent key, no fhirServer", servicePath(), callBody(t, "ln-class-iv-g4", pf(map[string]json.RawMessage{"observations": nil}), nil), 412, "prefetch.observations is absent"},
		{"§ HTTP Status Codes 412", "no prefetch at all, no fhirServer", servicePath(), callBody(t, "ln-class-iv-g4", nil, nil), 412, "prefetch.patient is absent"},
		{"§ HTTP Status Codes 412", "OperationOutcome, no fhirServer", servicePath(), callBody(t, "ln-class-iv-g4", pf(map[string]json.RawMessage{"conditions": rawMsg(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}`)}), nil), 412, "OperationOutcome"},
		{"§ Prefetch Template: equivalent to the FHIR search", "searchset page with next link, no fhirServer", servicePath(), callBody(t, "ln-class-iv-g4", pf(map[string]json.RawMessage{"observations": searchset(nil, "https://ehr.example/fhir/Observation?page=2")}), nil), 412, "next link"},
	}
	h := demoHandler(t)
	for _, r := range rows {
		w := do(h, http.MethodPost, r.path, r.body, nil)
		var e errorBody
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != r.status || !strings.Contains(e.Error, r.reason) || strings.Contains(e.Error, "Go ") || strings.Contains(e.Error, "cdshooks.") {
			t.Errorf("%s: %s: got %d %q, want %d with %q", r.section, r.name, w.Code, e.Error, r.status, r.reason)
		}
	}
}

// TestTooLarge: a body over MaxBody is a 413, not a 400 or 500.
func TestTooLarge(t *testing.T) {
	h := demoHandler(t, func(c *Config) { c.MaxBody = 1000 })
	w := do(h, http.MethodPost, servicePath(), callBody(t, "ln-class-iv-g4", demoPrefetch(t, "ln-class-iv-g4"), nil), nil)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "larger than 1000 bytes") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

// TestPrefetchNull: § Example prefetch data: a null key is "no such
// data", not a reason to fetch or fail; the call succeeds without a
// fhirServer.
func TestPrefetchNull(t *testing.T) {
	p := demoPrefetch(t, "ln-class-iv-g4")
	p["observations"] = rawMsg("null")
	resp := decodeCards(t, do(demoHandler(t), http.MethodPost, servicePath(), callBody(t, "ln-class-iv-g4", p, nil), nil))
	checkResponse(t, resp)
	// Without Observations there is no eGFR, proteinuria or sediment:
	// only the overdue monitoring can be said.
	for _, c := range resp.Cards {
		if strings.Contains(c.Summary, "eGFR") {
			t.Errorf("card from missing data: %q", c.Summary)
		}
	}
}

// fakeFHIR is a FHIR server on loopback that answers the templates for
// one demonstration patient, two entries a page, and checks the bearer
// token.
type fakeFHIR struct {
	srv   *httptest.Server
	res   map[string][]json.RawMessage
	token string
	calls atomic.Int32
	bad   atomic.Int32
}

func newFakeFHIR(t testing.TB, id, token string) *fakeFHIR {
	f := &fakeFHIR{res: demoResources(t, id, 3653*24*time.Hour), token: token}
	byType := map[string]string{"Observation": "observations", "Condition": "conditions", "MedicationRequest": "medicationRequests",
		"MedicationStatement": "medicationStatements", "Procedure": "procedures"}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+f.token {
			f.bad.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/fhir/"), "/")
		if parts[0] == "Patient" && len(parts) == 2 {
			if parts[1] != id {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			w.Write(f.res["patient"][0])
			return
		}
		key, ok := byType[parts[0]]
		if !ok || r.URL.Query().Get("patient") != id {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		all := f.res[key]
		page, _ := strconv.Atoi(r.URL.Query().Get("_page"))
		const size = 25
		lo, hi := page*size, min((page+1)*size, len(all))
		next := ""
		if hi < len(all) {
			q := r.URL.Query()
			q.Set("_page", strconv.Itoa(page+1))
			next = f.srv.URL + r.URL.Path + "?" + q.Encode()
		}
		w.Write(searchset(all[lo:hi], next))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// TestFHIRServerFetch: § FHIR Resource Access: with no prefetch the
// service fetches every template from fhirServer with the access token,
// paging through searchset Bundles, and gives the same cards as a full
// prefetch; a next link in a prefetched page is followed too.
func TestFHIRServerFetch(t *testing.T) {
	const id = "ln-class-iv-g4"
	f := newFakeFHIR(t, id, "secret-token")
	// The loopback FHIR server is allowed explicitly (fhirRefused).
	h := demoHandler(t, func(c *Config) { c.FHIRClient, c.FHIRServers = f.srv.Client(), []string{f.srv.URL + "/fhir/"} })
	auth := map[string]any{"fhirServer": f.srv.URL + "/fhir", "fhirAuthorization": map[string]any{
		"access_token": "secret-token", "token_type": "Bearer", "expires_in": 300, "scope": "user/*.read", "subject": "renalwatch"}}
	fetched := decodeCards(t, do(h, http.MethodPost, servicePath(), callBody(t, id, nil, auth), nil))
	want := decodeCards(t, do(h, http.MethodPost, servicePath(), callBody(t, id, demoPrefetch(t, id), nil), nil))
	g1, _ := json.Marshal(fetched)
	g2, _ := json.Marshal(want)
	if string(g1) != string(g2) {
		t.Errorf("fetched cards differ from prefetched:\n%s\n%s", g1, g2)
	}
	obs := len(f.res["observations"])
	if n := f.calls.Load(); n < int32(obs/25+5) {
		t.Errorf("%d FHIR calls for %d observations: pages not followed", n, obs)
	}
	if f.bad.Load() != 0 {
		t.Errorf("%d calls without the bearer token", f.bad.Load())
	}

	// A prefetched first page with a next link: the rest is fetched.
	p := demoPrefetch(t, id)
	res := f.res["observations"]
	q := url.Values{"patient": {id}, "_page": {"1"}}
	p["observations"] = searchset(res[:25], f.srv.URL+"/fhir/Observation?"+q.Encode())
	paged := decodeCards(t, do(h, http.MethodPost, servicePath(), callBody(t, id, p, auth), nil))
	g3, _ := json.Marshal(paged)
	if string(g3) != string(g2) {
		t.Errorf("cards from a paged prefetch differ:\n%s", g3)
	}

	// Wrong token: the FHIR server refuses, the service answers 412.
	auth["fhirAuthorization"].(map[string]any)["access_token"] = "wrong"
	w := do(h, http.MethodPost, servicePath(), callBody(t, id, nil, auth), nil)
	if w.Code != 412 || strings.Contains(w.Body.String(), "wrong") || !strings.Contains(w.Body.String(), "fhirServer answered HTTP 401 for patient") {
		t.Errorf("wrong token: %d %s", w.Code, w.Body)
	}
	// A next link off the fhirServer is not followed with the token.
	p["observations"] = searchset(res[:25], "https://elsewhere.example/fhir/Observation?page=2")
	auth["fhirAuthorization"].(map[string]any)["access_token"] = "secret-token"
	if w := do(h, http.MethodPost, servicePath(), callBody(t, id, p, auth), nil); w.Code != 412 {
		t.Errorf("foreign next link: %d %s", w.Code, w.Body)
	}
}

// TestOperationOutcomeFetched: § Prefetch Template: an OperationOutcome in
// a key means the client's query failed; with a fhirServer the service
// fetches that key.
func TestOperationOutcomeFetched(t *testing.T) {
	const id = "dialysis"
	f := newFakeFHIR(t, id, "tok")
	h := demoHandler(t, func(c *Config) { c.FHIRClient, c.FHIRServers = f.srv.Client(), []string{f.srv.URL + "/fhir"} })
	p := demoPrefetch(t, id)
	want := decodeCards(t, do(h, http.MethodPost, servicePath(), callBody(t, id, p, nil), nil))
	p["procedures"] = rawMsg(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout"}]}`)
	auth := map[string]any{"fhirServer": f.srv.URL + "/fhir", "fhirAuthorization": map[string]any{"access_token": "tok", "token_type": "Bearer"}}
	got := decodeCards(t, do(h, http.MethodPost, servicePath(), callBody(t, id, p, auth), nil))
	g1, _ := json.Marshal(got)
	g2, _ := json.Marshal(want)
	if string(g1) != string(g2) || f.calls.Load() < 1 {
		t.Errorf("calls %d; got %s\nwant %s", f.calls.Load(), g1, g2)
	}
}

// TestFHIRServerAllowlist: the service calls only allowlisted FHIR
// servers (trial-web #7: fhirServer pointed at the service's own API on
// loopback answered with what it said). § HTTP Status Codes 412: the data
// cannot be retrieved; a complete prefetch is read whatever fhirServer
// says; nothing is sent to a server not listed.
func TestFHIRServerAllowlist(t *testing.T) {
	const id = "dialysis"
	f := newFakeFHIR(t, id, "tok")
	auth := func(server string) map[string]any {
		return map[string]any{"fhirServer": server, "fhirAuthorization": map[string]any{"access_token": "tok", "token_type": "Bearer"}}
	}
	allowed := demoHandler(t, func(c *Config) {
		c.FHIRClient, c.FHIRServers = f.srv.Client(), []string{strings.ToUpper(f.srv.URL[:4]) + f.srv.URL[4:] + "/fhir/"}
	})
	none := demoHandler(t, func(c *Config) { c.FHIRClient = f.srv.Client() })
	other := demoHandler(t, func(c *Config) { c.FHIRClient, c.FHIRServers = f.srv.Client(), []string{f.srv.URL + "/other"} })
	rows := []struct {
		section, name string
		h             http.Handler
		pf            map[string]json.RawMessage
		server        string
		status        int
		reason        string
	}{
		{"§ FHIR Resource Access", "allowlisted (case and trailing / ignored): fetched", allowed, nil, f.srv.URL + "/fhir", 200, ""},
		{"§ HTTP Status Codes 412", "no allowlist: not called", none, nil, f.srv.URL + "/fhir", 412, "prefetch.patient is absent and fhirServer is not among the FHIR servers this service may call"},
		{"§ HTTP Status Codes 412", "another path on the same host: not called", other, nil, f.srv.URL + "/fhir", 412, "fhirServer is not among"},
		{"§ HTTP Status Codes 412", "the service's own API on loopback: not called", allowed, nil, "http://127.0.0.1:1/api", 412, "fhirServer is not among"},
		{"§ Prefetch Template", "complete prefetch: fhirServer not needed, not checked", none, demoPrefetch(t, id), f.srv.URL + "/fhir", 200, ""},
	}
	for _, r := range rows {
		before := f.calls.Load()
		w := do(r.h, http.MethodPost, servicePath(), callBody(t, id, r.pf, auth(r.server)), nil)
		var e errorBody
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != r.status || !strings.Contains(e.Error, r.reason) {
			t.Errorf("%s: %s: got %d %q, want %d with %q", r.section, r.name, w.Code, e.Error, r.status, r.reason)
		}
		if called := f.calls.Load() > before; called != (r.status == 200 && r.pf == nil) {
			t.Errorf("%s: %s: FHIR server called %v", r.section, r.name, called)
		}
	}
	// An allowed server that cannot be reached: 412 without the network
	// error's text (hosts, addresses behind the service).
	closed := demoHandler(t, func(c *Config) { c.FHIRServers = []string{"http://127.0.0.1:1/fhir"} })
	w := do(closed, http.MethodPost, servicePath(), callBody(t, id, nil, auth("http://127.0.0.1:1/fhir")), nil)
	if w.Code != 412 || !strings.Contains(w.Body.String(), "fhirServer could not be reached for patient") || strings.Contains(w.Body.String(), "127.0.0.1") {
		t.Errorf("§ HTTP Status Codes 412: unreachable server: %d %s", w.Code, w.Body)
	}
	// Check: an allowlist entry that is not a base URL is refused at start.
	cfg := Config{Demo: true, FHIRServers: []string{"https://ehr.example/fhir?x=1"}}
	if err := cfg.Check(); err == nil || !strings.Contains(err.Error(), "not an absolute http(s) base URL") {
		t.Errorf("Check: %v", err)
	}
}

// TestRoutesAnswerJSON: wrong method, path or media type under
// /cds-services get JSON errors (trial-web #14); § HTTP Status Codes:
// services "MAY return other HTTP statuses, specifically 4xx".
func TestRoutesAnswerJSON(t *testing.T) {
	h := demoHandler(t)
	body := callBody(t, "ln-class-iv-g4", demoPrefetch(t, "ln-class-iv-g4"), nil)
	rows := []struct {
		section, name, method, path, ctype string
		status                             int
		allow, reason                      string
	}{
		{"RFC 9110 §15.5.6 405", "GET on the service", http.MethodGet, servicePath(), "", 405, "POST, OPTIONS", "GET is not allowed"},
		{"RFC 9110 §15.5.6 405", "PUT on feedback", http.MethodPut, servicePath() + "/feedback", "application/json", 405, "POST, OPTIONS", "use POST"},
		{"RFC 9110 §15.5.6 405", "POST on discovery", http.MethodPost, "/cds-services", "application/json", 405, "GET, OPTIONS", "use GET"},
		{"§ Calling a CDS Service", "trailing slash: no such route", http.MethodPost, servicePath() + "/", "application/json", 404, "", "no CDS Hooks route"},
		{"§ Calling a CDS Service", "deeper path", http.MethodGet, "/cds-services/a/b/c", "", 404, "", "no CDS Hooks route"},
		{"§ Calling a CDS Service: a JSON document; RFC 9110 §15.5.16 415", "text/plain body", http.MethodPost, servicePath(), "text/plain", 415, "", "is not JSON"},
		{"§ Calling a CDS Service: a JSON document; RFC 9110 §15.5.16 415", "no Content-Type", http.MethodPost, servicePath(), "", 415, "", "is not JSON"},
		{"§ Calling a CDS Service: a JSON document", "application/json; charset=utf-8", http.MethodPost, servicePath(), "application/json; charset=utf-8", 200, "", ""},
		{"§ Feedback: a JSON document; RFC 9110 §15.5.16 415", "feedback as a form", http.MethodPost, servicePath() + "/feedback", "application/x-www-form-urlencoded", 415, "", "is not JSON"},
	}
	for _, r := range rows {
		req := httptest.NewRequest(r.method, r.path, bytesReader(body))
		if r.ctype != "" {
			req.Header.Set("Content-Type", r.ctype)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var e errorBody
		err := json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != r.status || err != nil || !strings.Contains(e.Error, r.reason) || w.Header().Get("Allow") != r.allow ||
			!strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s: %s: got %d %s Allow %q, want %d %q Allow %q", r.section, r.name, w.Code, w.Body, w.Header().Get("Allow"), r.status, r.reason, r.allow)
		}
	}
}
