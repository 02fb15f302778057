package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"renalwatch/fhir/cdshooks"
	"renalwatch/server"
	"renalwatch/store/postgres"
	"renalwatch/store/postgres/pgtest"
	"renalwatch/store/sqlite"
)

// TestMain lets a test run this package's test binary as the renalwatch
// command (RENALWATCH_TEST_AS_CLI=1), to start real import processes.
func TestMain(m *testing.M) {
	if os.Getenv("RENALWATCH_TEST_AS_CLI") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cliProcess is the renalwatch command in a process of its own.
func cliProcess(args ...string) *exec.Cmd {
	c := exec.Command(os.Args[0], args...)
	c.Env = append(os.Environ(), "RENALWATCH_TEST_AS_CLI=1")
	return c
}

// A PostgreSQL URL is accepted wherever --db is, and its password shows
// in no message, whether the server is unreachable or has no store.
func TestPostgresDBFlagHidesPassword(t *testing.T) {
	const secret = "n0t-Sh0wn-pw"
	pat := "../../fhir/testdata/rejections.ndjson"
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "--db", "postgres://u:" + secret + "@127.0.0.1:1/rw?connect_timeout=5", pat}, 1, "postgres://u:xxxxx@127.0.0.1:1/rw"},
		{[]string{"report", "p1", "--db", "postgresql://u:" + secret + "@127.0.0.1:1/rw?connect_timeout=5"}, 1, "connection refused"},
		{[]string{"patients", "--db", "postgres://u@127.0.0.1:1/rw?password=" + secret + "&connect_timeout=5"}, 1, "password=xxxxx"},
		{[]string{"serve", "--demo", "--db", "postgres://u:" + secret + "@127.0.0.1:1/rw?connect_timeout=5"}, 1, "xxxxx"},
	} {
		code, out, errs := runCmd(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) || strings.Contains(out+errs, secret) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d with %q and no password", c.args, code, out, errs, c.code, c.want)
		}
	}
}

func TestPostgresImportReport(t *testing.T) {
	url := pgtest.NewDatabase(t)
	// A read-only command does not create a store in an empty database.
	code, _, errs := runCmd(t, "patients", "--db", url)
	if code != 2 || !strings.Contains(errs, "no RenalWatch store in this database yet") {
		t.Fatalf("patients on an empty database: exit %d, %q", code, errs)
	}
	if code, _, errs := runCmd(t, "demo", "--db", url); code != 0 {
		t.Fatalf("demo: exit %d, %s", code, errs)
	}
	code, pg, errs := runCmd(t, "report", "ln-class-iv-g4", "--db", url, "--json")
	if code != 0 {
		t.Fatalf("report: exit %d, %s", code, errs)
	}
	sq := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errs := runCmd(t, "demo", "--db", sq); code != 0 {
		t.Fatalf("demo: exit %d, %s", code, errs)
	}
	_, lite, _ := runCmd(t, "report", "ln-class-iv-g4", "--db", sq, "--json")
	if pg != lite {
		t.Errorf("report --json from PostgreSQL differs from SQLite's:\n%s\n---\n%s", pg, lite)
	}
}

// Two import processes on the same files at once store each item once:
// the store holds what one import alone stores, their imported counts add
// up to it, and neither reports an error.
func TestPostgresTwoImportProcesses(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/data/synthea-r4-kidney/*.ndjson")
	if len(files) == 0 {
		t.Skip("no ../shared/data/synthea-r4-kidney beside the repository")
	}
	ref, both := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	imported := func(out []byte) int {
		var s struct {
			Totals struct{ Imported, Rejected int }
		}
		if err := json.Unmarshal(out, &s); err != nil {
			t.Fatalf("import --json: %v: %s", err, out)
		}
		return s.Totals.Imported
	}
	c := cliProcess(append([]string{"import", "--json", "--db", ref}, files...)...)
	out, err := c.Output()
	if err != nil {
		t.Fatalf("reference import: %v", err)
	}
	want := imported(out)
	var (
		wg   sync.WaitGroup
		outs [2]bytes.Buffer
		errs [2]bytes.Buffer
		res  [2]error
	)
	for i := range 2 {
		wg.Go(func() {
			c := cliProcess(append([]string{"import", "--json", "--db", both}, files...)...)
			c.Stdout, c.Stderr = &outs[i], &errs[i]
			res[i] = c.Run()
		})
	}
	wg.Wait()
	got := 0
	for i := range 2 {
		if res[i] != nil {
			t.Fatalf("import %d: %v: %s", i, res[i], errs[i].String())
		}
		got += imported(outs[i].Bytes())
	}
	if got != want {
		t.Errorf("the two imports stored %d items together, one import alone %d", got, want)
	}
	if a, b := tableCounts(t, ref), tableCounts(t, both); a != b {
		t.Errorf("rows after two concurrent imports %s, after one %s", b, a)
	}
}

func tableCounts(t *testing.T, url string) string {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var p, o, i int
	if err := c.QueryRow(ctx, `SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM observations), (SELECT count(*) FROM items)`).Scan(&p, &o, &i); err != nil {
		t.Fatal(err)
	}
	if p == 0 || o == 0 {
		t.Errorf("%d patients, %d observations stored", p, o)
	}
	return fmt.Sprintf("patients %d, observations %d, items %d", p, o, i)
}

// Two servers on one PostgreSQL database hold nothing of their own: a
// patient imported through one is on the other's list at once, although
// that server had just listed (and cached) the patients without them.
func TestPostgresTwoServers(t *testing.T) {
	demoNow(t)
	url := pgtest.NewDatabase(t)
	tokens, err := server.ParseTokens("t", strings.NewReader("ivan importer-token-0123456789 importer\n"))
	if err != nil {
		t.Fatal(err)
	}
	var srv [2]http.Handler
	for i := range srv {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if srv[i], err = server.New(server.Config{Store: db, Tokens: tokens, Import: serveImport, Now: now}); err != nil {
			t.Fatal(err)
		}
	}
	auth := map[string]string{"Authorization": "Bearer importer-token-0123456789"}
	list := func(h http.Handler) int {
		r := httptest.NewRequest("GET", "/api/patients", nil)
		r.Header.Set("Authorization", auth["Authorization"])
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var l struct{ Total int }
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &l) != nil {
			t.Fatalf("list: %d %s", w.Code, w.Body)
		}
		return l.Total
	}
	if n := list(srv[1]); n != 0 {
		t.Fatalf("%d patients before the import", n)
	}
	pat, _ := writeCSV(t, t.TempDir(), "p1", 0)
	body, err := os.ReadFile(pat)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/api/import", bytes.NewReader(body))
	r.Header.Set("Authorization", auth["Authorization"])
	r.Header.Set("Content-Type", "text/csv")
	w := httptest.NewRecorder()
	srv[0].ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("import through server 0: %d %s", w.Code, w.Body)
	}
	if n := list(srv[1]); n != 1 {
		t.Errorf("server 1 lists %d patients after the import through server 0, want 1", n)
	}
}

// A CDS client's JWT id recorded through one server's store is seen by
// another server's: the replay cache is in PostgreSQL, not in memory.
func TestPostgresReplayAcrossServers(t *testing.T) {
	url := pgtest.NewDatabase(t)
	var caches [2]cdshooks.ReplayCache
	for i := range caches {
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		caches[i] = replayOf(db)
	}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	if seen(t, caches[0], "iss\x00jti-1", now.Add(5*time.Minute), now) {
		t.Fatal("a new jti was seen")
	}
	if !seen(t, caches[1], "iss\x00jti-1", now.Add(5*time.Minute), now.Add(time.Minute)) {
		t.Error("the other server accepted a replayed jti")
	}
	if seen(t, caches[1], "iss\x00jti-1", now.Add(20*time.Minute), now.Add(6*time.Minute)) {
		t.Error("an expired jti still counts as seen")
	}
}

// seen is c.Seen, failing the test on an error.
func seen(t *testing.T, c cdshooks.ReplayCache, key string, until, now time.Time) bool {
	t.Helper()
	ok, err := c.Seen(key, until, now)
	if err != nil {
		t.Fatalf("Seen(%q): %v", key, err)
	}
	return ok
}

// The same with SQLite: two stores on one file, keys holding the NUL
// byte the cdshooks package puts between iss and jti.
func TestSQLiteReplayAcrossStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	var caches [2]cdshooks.ReplayCache
	for i := range caches {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		caches[i] = replayOf(db)
	}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	if seen(t, caches[0], "iss\x00jti-1", now.Add(5*time.Minute), now) || seen(t, caches[0], "iss\x00jti-2", now.Add(5*time.Minute), now) {
		t.Fatal("a new jti was seen")
	}
	if !seen(t, caches[1], "iss\x00jti-1", now.Add(5*time.Minute), now.Add(time.Minute)) {
		t.Error("the other store accepted a replayed jti")
	}
}
