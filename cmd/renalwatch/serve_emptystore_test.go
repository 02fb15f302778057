package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/store"
	"renalwatch/store/postgres/pgtest"
)

// importerTokens is a token file with one importer.
func importerTokens(t *testing.T) string {
	f := filepath.Join(t.TempDir(), "tokens.txt")
	if err := os.WriteFile(f, []byte("ivan importer-token-0123456789 importer\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// upload POSTs a CSV to the server at addr's /api/import and returns the
// status.
func upload(t *testing.T, addr, csv string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/import?name=labs.csv", strings.NewReader(csv))
	req.Header.Set("Authorization", "Bearer importer-token-0123456789")
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// importRows are the outcomes of the import rows without a patient (each
// import's own row) in db's audit trail.
func importRows(t *testing.T, db string) []string {
	t.Helper()
	st, err := openStore(context.Background(), db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.(store.Auditor).AuditLog(context.Background(), store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		if r.Action == "import" && r.PatientID == "" {
			out = append(out, r.Outcome)
		}
	}
	return out
}

const (
	headerOnlyCSV = "patient_id,birth_date,sex\n"
	onePatientCSV = "patient_id,birth_date,sex\np1,1980-05-17,female\n"
)

// TestServeEmptyStore (trial 10 F5): serve starts on an existing, empty
// database (an empty SQLite file; a PostgreSQL database without tables),
// creating the schema, as a server for imports through the API; a
// missing SQLite file is still refused (a mistyped --db), saying how to
// start an empty store.
func TestServeEmptyStore(t *testing.T) {
	demoNow(t)
	missing := filepath.Join(t.TempDir(), "missing.db")
	code, _, errs := runCmd(t, "serve", "--db", missing, "--token-file", importerTokens(t), "--addr", "127.0.0.1:0")
	if _, err := os.Stat(missing); code != 2 || !strings.Contains(errs, "create an empty file") || err == nil {
		t.Errorf("serve on a missing file: exit %d, %q, stat %v: want exit 2, the file not created", code, errs, err)
	}

	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	pg := pgtest.NewDatabase(t)
	for _, db := range []string{empty, pg} {
		_, addr, stop := startServe(t, "--db", db, "--token-file", importerTokens(t))
		if st := upload(t, addr, headerOnlyCSV); st != http.StatusUnprocessableEntity {
			t.Errorf("%s: header-only upload: %d, want 422", db, st)
		}
		if st := upload(t, addr, onePatientCSV); st != http.StatusOK {
			t.Errorf("%s: upload: %d, want 200", db, st)
		}
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/api/patients", nil)
		req.Header.Set("Authorization", "Bearer importer-token-0123456789")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var l struct{ Total int }
		json.NewDecoder(resp.Body).Decode(&l)
		resp.Body.Close()
		if l.Total != 1 {
			t.Errorf("%s: %d patients listed after the upload, want 1", db, l.Total)
		}
		if err := stop(); err != nil {
			t.Errorf("%s: serve returned %v", db, err)
		}
		rows := importRows(t, db)
		if len(rows) != 2 || !strings.HasPrefix(rows[0], "nothing imported: 1 file, read 0, imported 0") || !strings.HasPrefix(rows[1], "ok: 1 file, read 1, imported 1") {
			t.Errorf("%s: import rows %q: want the header-only upload's 'nothing imported', then 'ok'", db, rows)
		}
	}
}

// TestImportNothingAuditRow (trial 10 F5): 'renalwatch import' of a
// header-only CSV exits 2 "nothing was imported", and its audit row says
// so instead of "ok".
func TestImportNothingAuditRow(t *testing.T) {
	dir := t.TempDir()
	csv, db := filepath.Join(dir, "labs.csv"), filepath.Join(dir, "rw.db")
	if err := os.WriteFile(csv, []byte(headerOnlyCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCmd(t, "import", csv, "--db", db)
	if code != 2 || !strings.Contains(errs, "nothing was imported") {
		t.Fatalf("import: exit %d, %q", code, errs)
	}
	want := "nothing imported: 1 file, read 0, imported 0, unchanged 0, duplicates 0, rejected 0, unmapped 0, per-patient rows 0"
	if rows := importRows(t, db); len(rows) != 1 || rows[0] != want {
		t.Errorf("import rows %q, want [%q]", rows, want)
	}
}
