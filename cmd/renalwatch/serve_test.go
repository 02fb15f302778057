package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"renalwatch/internal/golden"
	"renalwatch/server"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

// newServeTest returns the server with the CLI's import and calculators on
// an empty SQLite store.
func newServeTest(t *testing.T) http.Handler {
	t.Helper()
	demoNow(t)
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := server.New(server.Config{Store: db, Import: serveImport, Calc: serveCalc, CalcText: serveCalcText, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestServeCalcGolden: POST /api/calc/{name} answers what the CLI prints
// with --json for the same inputs, and bad input is a 422 naming the
// field. Values are the CLI goldens' (Inker 2021 for eGFR).
func TestServeCalcGolden(t *testing.T) {
	h := newServeTest(t)
	for _, tc := range []struct {
		name, calc, body string
		status           int
		cli              []string // the same calculation on the command line; nil: no comparison
	}{
		{"egfr", "egfr", `{"creatinine":"1.2mg/dL","age":54,"sex":"female"}`, 200, []string{"egfr", "--creatinine", "1.2mg/dL", "--age", "54", "--sex", "female", "--json"}},
		// A child without --equation: refused (no adult number), or the
		// report's child equation when its inputs are there.
		{"egfr-child-refused", "egfr", `{"creatinine":"1.2mg/dL","age":2,"sex":"female"}`, 422, nil},
		{"egfr-child-ckid", "egfr", `{"creatinine":"0.6mg/dL","height":"140cm","age":10,"sex":"male"}`, 200, []string{"egfr", "--creatinine", "0.6mg/dL", "--height", "140cm", "--age", "10", "--sex", "male", "--json"}},
		// Errors name the JSON field, not the CLI flag.
		{"egfr-implausible", "egfr", `{"creatinine":"106mg/dL","age":54,"sex":"female"}`, 422, nil},
		{"egfr-no-unit", "egfr", `{"creatinine":"1.2","age":54,"sex":"female"}`, 422, nil},
		{"egfr-unknown-input", "egfr", `{"creatinin":"1.2mg/dL","age":54}`, 422, nil},
		{"kfre", "kfre", `{"age":62,"sex":"female","egfr":22,"acr":"800mg/g"}`, 200, []string{"kfre", "--age", "62", "--sex", "female", "--egfr", "22", "--acr", "800mg/g", "--json"}},
		{"stage", "stage", `{"egfr":22,"acr":"35mg/mmol"}`, 200, []string{"stage", "--egfr", "22", "--acr", "35mg/mmol", "--json"}},
		{"sledai", "sledai", `{"items":["seizure","proteinuria"]}`, 200, []string{"sledai", "seizure", "proteinuria", "--json"}},
		{"sledai-bad-item", "sledai", `{"items":["sneezing"]}`, 422, nil},
		{"response", "response", `{"rule":"kdigo-2024","baseline-upcr":"3g/g","upcr":"0.3g/g","baseline-egfr":80,"egfr":82,"months":12}`, 200,
			[]string{"response", "--rule", "kdigo-2024", "--baseline-upcr", "3g/g", "--upcr", "0.3g/g", "--baseline-egfr", "80", "--egfr", "82", "--months", "12", "--json"}},
		{"bad-json", "egfr", `{"age":`, 400, nil},
		// Trial-web #21, #13: JSON types are not coerced (400 naming the
		// field and quoting what was sent), and a body that is not an
		// object is worded without Go type names.
		{"egfr-age-string", "egfr", `{"creatinine":"1.2mg/dL","age":"54","sex":"female"}`, 400, nil},
		{"egfr-creatinine-number", "egfr", `{"creatinine":1.2,"age":54,"sex":"female"}`, 400, nil},
		{"kfre-diabetes-string", "kfre", `{"age":62,"sex":"female","egfr":22,"acr":"800mg/g","diabetes":"yes"}`, 400, nil},
		{"body-array", "egfr", `[1,2]`, 400, nil},
		{"body-syntax", "egfr", `{"age":54,}`, 400, nil},
		// convert, listed with the calculators in the README.
		{"convert", "convert", `{"quantity":"1.2mg/dL","to":"umol/L","analyte":"creatinine"}`, 200, []string{"convert", "1.2mg/dL", "--to", "umol/L", "--analyte", "creatinine", "--json"}},
		{"json-flag", "egfr", `{"json":true}`, 422, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/calc/"+tc.calc, strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			body := w.Body.Bytes()
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, body)
			}
			golden.Assert(t, "serve/calc-"+tc.name+".json", body)
			if bytes.Contains(body, []byte("Go value")) || bytes.Contains(body, []byte("json.RawMessage")) {
				t.Errorf("the error exposes Go internals: %s", body)
			}
			if tc.cli != nil {
				var out, errOut bytes.Buffer
				if code := run(context.Background(), tc.cli, &out, &errOut); code != 0 {
					t.Fatalf("CLI exit %d: %s", code, errOut.String())
				}
				if !bytes.Equal(out.Bytes(), body) {
					t.Errorf("API and CLI differ:\nAPI %s\nCLI %s", body, out.Bytes())
				}
			}
		})
	}
}

// TestServeImport: POST /api/import gives the summary of "renalwatch
// import --json" for the same file, and a bad CSV header is a 422.
func TestServeImport(t *testing.T) {
	h := newServeTest(t)
	csv := "patient_id,birth_date,sex\np1,1980-05-17,female\np2,1975-01-02,male\n"
	r := httptest.NewRequest("POST", "/api/import?name=patients.csv", strings.NewReader(csv))
	r.Header.Set("Content-Type", "text/csv")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	golden.Assert(t, "serve/import-csv.json", w.Body.Bytes())
	dir := t.TempDir()
	f := filepath.Join(dir, "patients.csv")
	if err := os.WriteFile(f, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"import", f, "--db", filepath.Join(dir, "c.db"), "--json"}, &out, &errOut); code != 0 {
		t.Fatalf("CLI exit %d %s", code, errOut.String())
	}
	// The CLI prints "rejected": null when nothing was rejected; the API
	// gives the empty list its OpenAPI schema promises.
	cli := strings.ReplaceAll(strings.ReplaceAll(out.String(), f, "patients.csv"), `"rejected": null`, `"rejected": []`)
	if got, want := cli, w.Body.String(); got != want {
		t.Errorf("API and CLI summaries differ:\nAPI %s\nCLI %s", want, got)
	}
	// Again: everything unchanged.
	r = httptest.NewRequest("POST", "/api/import?name=patients.csv", strings.NewReader(csv))
	r.Header.Set("Content-Type", "text/csv")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var sum importSummary
	if err := json.Unmarshal(w.Body.Bytes(), &sum); err != nil || sum.Totals.Unchanged != 2 || sum.Totals.Imported != 0 {
		t.Errorf("second import: %v %+v", err, sum.Totals)
	}
	r = httptest.NewRequest("POST", "/api/import", strings.NewReader("foo,bar\n1,2\n"))
	r.Header.Set("Content-Type", "text/csv")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 422 || !strings.Contains(w.Body.String(), `"field": "file"`) {
		t.Errorf("bad header: %d %s", w.Code, w.Body)
	}
	// An upload that stores nothing is 422 with its summary, as the CLI
	// exits 2 (trial 7 #1: every row rejected, a cut-off Bundle, a strict
	// refusal answered 200); one that stores something with a rejection
	// beside it is 200.
	for _, tc := range []struct {
		name, ctype, query, body string
		want                     int
	}{
		{"every row rejected", "text/csv", "?name=obs.csv", "patient_id,time,analyte,value,unit\np1,2024-01-01,creatinine,abc,mg/dL\np1,2024-01-02,creatinine,1.2,mg/furlong\n", 422},
		{"cut-off Bundle", "application/fhir+json", "", `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"x"`, 422},
		{"strict with a rejection", "text/csv", "?name=obs.csv&strict=true", "patient_id,time,analyte,value,unit\np1,2024-01-01,creatinine,1.1,mg/dL\np1,2024-01-02,creatinine,abc,mg/dL\n", 422},
		{"one stored, one rejected", "text/csv", "?name=obs.csv", "patient_id,time,analyte,value,unit\np1,2024-01-03,creatinine,1.1,mg/dL\np1,2024-01-04,creatinine,abc,mg/dL\n", 200},
	} {
		r = httptest.NewRequest("POST", "/api/import"+tc.query, strings.NewReader(tc.body))
		r.Header.Set("Content-Type", tc.ctype)
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var sum importSummary
		if err := json.Unmarshal(w.Body.Bytes(), &sum); w.Code != tc.want || err != nil || sum.Totals.Rejected == 0 {
			t.Errorf("%s: %d %v %s; want %d with the summary", tc.name, w.Code, err, w.Body, tc.want)
		}
	}
}

func TestServeFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--db", filepath.Join(t.TempDir(), "x.db")}, "--token-file FILE is required"},
		{[]string{"serve", "--token-file", "/nonexistent/tokens"}, "--token-file"},
		{[]string{"serve", "--token-file", tokenFile(t), "--db", filepath.Join(t.TempDir(), "missing.db")}, "no database there"},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), tc.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
	}
}

// lockedBuffer lets the test read what the server goroutine writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeDemoShutdown runs "serve --demo" on a free loopback port, reads
// a page and the API, then cancels (as SIGINT does) and expects a clean
// stop. The access log names routes, never the patient id.
func TestServeDemoShutdown(t *testing.T) {
	demoNow(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, logs lockedBuffer
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, []string{"--demo", "--db", db, "--addr", "0.0.0.0:0"}, &out, &logs) }()
	addr := regexp.MustCompile(`on (127\.0\.0\.1:\d+) only`)
	// The demo loads 205 patients before it announces its address: allow
	// a loaded CI machine a minute, and stop at once if serve returns.
	var base string
	for deadline := time.Now().Add(time.Minute); base == "" && time.Now().Before(deadline); {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = "http://" + m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned before announcing its address: %v; stdout %q stderr %q", err, out.String(), logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if base == "" {
		t.Fatalf("no address announced; stdout %q stderr %q", out.String(), logs.String())
	}
	for _, p := range []string{"/", "/patients/ln-class-iv-g4", "/api/patients/ln-class-iv-g4/assessment", "/readyz"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(out.String(), "RenalWatch stopped.") || !strings.Contains(out.String(), "127.0.0.1") {
		t.Errorf("stdout %q", out.String())
	}
	if l := logs.String(); strings.Contains(l, "ln-class-iv-g4") || !strings.Contains(l, `"route":"GET /patients/{id}"`) {
		t.Errorf("access log:\n%s", l)
	}
}

func tokenFile(t *testing.T) string {
	f := filepath.Join(t.TempDir(), "tokens.txt")
	if err := os.WriteFile(f, []byte("# test\nalice alice-0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// demoServer imports the demonstration patients into a new SQLite store
// and serves it in-process; it returns the store's path and the server.
func demoServer(t *testing.T) (string, *server.Server) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--db", db, "--json"}, &out, &errOut); code != 0 {
		t.Fatalf("demo: %s", errOut.String())
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := server.New(server.Config{Store: st, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return db, s
}

// TestServeReportParity: the API's assessment and FHIR routes give
// byte for byte what "report --json" and "report --fhir" print, so the
// two cannot drift apart when the report changes.
func TestServeReportParity(t *testing.T) {
	demoNow(t)
	db, s := demoServer(t)
	var out, errOut bytes.Buffer
	for _, id := range []string{"ln-class-iv-g4", "dialysis", "child-ln"} {
		for route, flag := range map[string]string{"assessment": "--json", "fhir": "--fhir"} {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest("GET", "/api/patients/"+id+"/"+route+"?as_of="+demoAsOf, nil))
			out.Reset()
			if code := run(context.Background(), []string{"report", id, "--db", db, "--as-of", demoAsOf, flag}, &out, &errOut); code != 0 {
				t.Fatalf("report: %s", errOut.String())
			}
			if w.Code != 200 || w.Body.String() != out.String() {
				t.Errorf("%s %s: API (%d) and 'report %s' differ", id, route, w.Code, flag)
			}
		}
	}
}

// TestServeImportAudit: an upload's audit row gives the counts of the CLI's
// import row, not a bare "ok" (an upload that rejected every row was
// logged "ok"), and the patient whose record it changed has a row of its
// own, by the same who at the same time.
func TestServeImportAudit(t *testing.T) {
	demoNow(t)
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h, err := server.New(server.Config{Store: db, Import: serveImport, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	csv := "patient_id,birth_date,sex\np1,1980-05-17,female\np2,17/05/1980,male\n"
	r := httptest.NewRequest("POST", "/api/import?name=patients.csv", strings.NewReader(csv))
	r.Header.Set("Content-Type", "text/csv")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	log, err := db.AuditLog(context.Background(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := "ok: 1 file, read 2, imported 1, unchanged 0, duplicates 0, rejected 1, unmapped 0, per-patient rows 1"
	if len(log) != 2 || log[1].Action != "import" || log[1].Outcome != want || log[1].PatientID != "" {
		t.Fatalf("audit %+v, want p1's row, then the import row %q", log, want)
	}
	if p := log[0]; p.Action != "import" || p.PatientID != "p1" || p.Outcome != "ok: new patient" || p.Who != log[1].Who || !p.Time.Equal(log[1].Time) {
		t.Errorf("p1's audit row %+v, want import, ok: new patient, by %s at %s", p, log[1].Who, log[1].Time)
	}
}
