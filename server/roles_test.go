package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"renalwatch/store"
)

const (
	readerToken   = "reader-token-0123456789"
	importerToken = "importer-token-0123456789"
	adminToken    = "admin-token-0123456789"
)

func roleTokens(t *testing.T) *Tokens {
	t.Helper()
	tk, err := ParseTokens("tokens.txt", strings.NewReader(
		"rita "+readerToken+"\nivan "+importerToken+" importer\nada "+adminToken+" ADMIN\n"))
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestParseTokensRoles(t *testing.T) {
	tk := roleTokens(t)
	for tok, want := range map[string]Role{readerToken: RoleReader, importerToken: RoleImporter, adminToken: RoleAdmin} {
		if _, got, ok := tk.LookupRole(tok); !ok || got != want {
			t.Errorf("role of %s = %v (%v), want %v", tok[:6], got, ok, want)
		}
	}
	_, err := ParseTokens("f", strings.NewReader("eve "+readerToken+" root\n"))
	if err == nil || !strings.Contains(err.Error(), `f:1: role "root" of "eve" is not reader, importer or admin`) || strings.Contains(err.Error(), readerToken) {
		t.Errorf("unknown role: %v", err)
	}
}

// fakeImport stands for the CLI's import: the role check is what is tested.
func fakeImport(ctx context.Context, db store.Store, name string, r io.Reader, strict bool) (any, error) {
	return map[string]int{"imported": 0}, nil
}

// A reader reads, an importer also imports; every read of a record and
// every import, allowed or not, leaves an audit row naming the token's
// name and the patient, and the access log names no patient.
func TestRolesAndAudit(t *testing.T) {
	db := openDemo(t)
	s, logs := newTestServer(t, Config{Store: db, Tokens: roleTokens(t), Import: fakeImport})
	bearer := func(tok string) map[string]string {
		return map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/fhir+ndjson"}
	}
	for _, c := range []struct {
		method, path, token string
		want                int
	}{
		{"GET", "/api/patients/ln-class-iv-g4/assessment?as_of=" + testAsOf, readerToken, 200},
		{"GET", "/api/patients/nobody/assessment", readerToken, 404},
		{"POST", "/api/import", readerToken, 403},
		{"GET", "/import", readerToken, 403},
		{"POST", "/api/import", importerToken, 200},
		{"GET", "/patients/dialysis", adminToken, 200},
	} {
		res := do(t, s, c.method, c.path, strings.NewReader("{}\n"), bearer(c.token))
		if res.StatusCode != c.want {
			t.Errorf("%s %s as %s: %d, want %d: %s", c.method, c.path, c.token[:6], res.StatusCode, c.want, readAll(t, res))
		}
	}
	rows, err := db.(store.Auditor).AuditLog(context.Background(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rows {
		got = append(got, e.Who+"|"+e.Action+"|"+e.PatientID+"|"+e.Outcome)
		if !e.Time.Equal(testNow) {
			t.Errorf("audit time %v, want the server clock %v", e.Time, testNow)
		}
	}
	want := []string{
		"rita|read assessment|ln-class-iv-g4|ok",
		"rita|read assessment|nobody|not found",
		"rita|import||denied",
		"ivan|import||ok",
		"ada|read patient page|dialysis|ok",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, phi := range []string{"ln-class-iv-g4", "nobody", "dialysis", readerToken} {
		if strings.Contains(logs.String(), phi) {
			t.Errorf("the log names %q", phi)
		}
	}
}

// failingAudit is a store whose audit trail cannot be written.
type failingAudit struct{ store.Store }

func (failingAudit) Audit(context.Context, store.AuditEntry) error { return errors.New("disk full") }
func (failingAudit) AuditLog(context.Context, store.AuditQuery) ([]store.AuditEntry, error) {
	return nil, nil
}

// A read that cannot be audited is not served.
func TestUnauditedReadRefused(t *testing.T) {
	s, _ := newTestServer(t, Config{Store: failingAudit{openDemo(t)}, Tokens: roleTokens(t)})
	res := do(t, s, "GET", "/api/patients/ln-class-iv-g4/assessment", nil, map[string]string{"Authorization": "Bearer " + adminToken})
	body := string(readAll(t, res))
	if res.StatusCode != http.StatusInternalServerError || strings.Contains(body, "ln-class-iv-g4") || strings.Contains(body, "eGFR") {
		t.Errorf("status %d, body %s; want 500 without the record", res.StatusCode, body)
	}
}

// A server with tokens refuses a store without an audit trail.
func TestServerNeedsAuditor(t *testing.T) {
	type plain struct{ store.Store }
	if _, err := New(Config{Store: plain{openDemo(t)}, Tokens: roleTokens(t)}); err == nil {
		t.Error("New accepted a store without an audit trail")
	}
}

// An upload whose client goes away after the import was stored still
// leaves the import's audit row (trial 9 F-f: the row was written with the
// request's cancelled context and lost, while the import's per-patient
// rows were kept).
func TestImportAuditedAfterDisconnect(t *testing.T) {
	db := openDemo(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stored := func(ctx context.Context, db store.Store, name string, r io.Reader, strict bool) (any, error) {
		cancel() // the client disconnects once the upload was committed
		return map[string]int{"imported": 1}, nil
	}
	s, _ := newTestServer(t, Config{Store: db, Tokens: roleTokens(t), Import: stored})
	r := httptest.NewRequestWithContext(ctx, "POST", "/api/import", strings.NewReader("{}\n"))
	r.Header.Set("Authorization", "Bearer "+importerToken)
	r.Header.Set("Content-Type", "application/fhir+ndjson")
	s.ServeHTTP(httptest.NewRecorder(), r)
	rows, err := db.(store.Auditor).AuditLog(context.Background(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Who != "ivan" || rows[0].Action != "import" || rows[0].Outcome != "ok" {
		t.Errorf("audit rows after the client went away: %+v; want ivan's import", rows)
	}
}
