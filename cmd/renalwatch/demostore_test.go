package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renalwatch/store/sqlite"
)

// 'demo' and 'serve --demo' refuse a store that holds imported patients
// (trial 9 F-g: demo added synthetic patients to it without an audit row,
// and serve --demo served the imported patients without a token), naming
// the store and how many, and store nothing; a store of the demonstration
// patients alone is still accepted.
func TestDemoRefusesImportedStore(t *testing.T) {
	demoNow(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	pat, labs := writeCSV(t, dir, "p1", 2)
	if code, _, errs := runCmd(t, "import", "--db", db, pat, labs); code != 0 {
		t.Fatal(errs)
	}
	runDemoRefused(t, db, func(cmd, errs string) bool {
		return strings.Contains(errs, cmd+": "+db+" holds 1 patient that is not among the synthetic demonstration patients") &&
			strings.Contains(errs, "--token-file") && strings.Contains(errs, "new file") && !strings.Contains(errs, "p1")
	})
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ps, err := st.Patients(context.Background()); err != nil || len(ps) != 1 {
		t.Errorf("patients after the refusals: %v, %d; want p1 alone", err, len(ps))
	}

	demoDB := filepath.Join(dir, "d.db")
	for range 2 { // a demonstration store is accepted, again and again
		if code, _, errs := runCmd(t, "demo", "--db", demoDB); code != 0 {
			t.Fatalf("demo on a demonstration store: exit %d, %s", code, errs)
		}
	}
}

// 'demo' and 'serve --demo' refuse a store whose audit trail lists an
// import even when every patient in it has a demonstration id (trial 11
// F1: a CSV row imported for stem-cell, a potassium of 6.9, was served
// without a token under the "synthetic patients only" banner), and store
// nothing; the demonstration loads write no import rows, so a store they
// made is accepted again.
func TestDemoRefusesImportUnderDemoID(t *testing.T) {
	demoNow(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	if code, _, errs := runCmd(t, "demo", "--db", db); code != 0 {
		t.Fatalf("demo on a new store: exit %d, %s", code, errs)
	}
	labs := filepath.Join(dir, "labs.csv")
	if err := os.WriteFile(labs, []byte("patient_id,time,analyte,value,unit\nstem-cell,2026-11-01T08:00:00Z,potassium,6.9,mmol/L\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCmd(t, "import", "--db", db, labs); code != 0 {
		t.Fatalf("import: exit %d, %s", code, errs)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.Patients(context.Background())
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	runDemoRefused(t, db, func(cmd, errs string) bool {
		return strings.Contains(errs, cmd+": "+db+" holds imported records (its audit trail lists 2 import rows)") &&
			strings.Contains(errs, "nothing was added") && strings.Contains(errs, "--token-file") && !strings.Contains(errs, "stem-cell")
	})
	st, err = sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ps, err := st.Patients(context.Background()); err != nil || len(ps) != len(before) {
		t.Errorf("patients after the refusals: %v, %d; want %d", err, len(ps), len(before))
	}
}

// runDemoRefused runs 'demo' and 'serve --demo' on db and fails t unless
// each exits 2 with nothing on stdout and a stderr that ok accepts (cmd is
// the command's name as its message starts).
func runDemoRefused(t *testing.T, db string, ok func(cmd, errs string) bool) {
	t.Helper()
	for _, c := range []struct {
		cmd  string
		args []string
	}{
		{"demo", []string{"demo", "--db", db}},
		{"serve --demo", []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--db", db}},
	} {
		// A guard, not a timing: a server that does start (the old
		// behaviour) serves until its context ends.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var outb, errb bytes.Buffer
		code := run(ctx, c.args, &outb, &errb)
		cancel()
		out, errs := outb.String(), errb.String()
		if code != 2 || out != "" || !ok(c.cmd, errs) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", strings.Join(c.args, " "), code, out, errs)
		}
	}
}
