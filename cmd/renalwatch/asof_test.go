package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAsOfFutureWarns is the regression test of issue 7 item 15: an --as-of
// after today (the command clock, fixed at 2026-01-01) warns on stderr in
// report and patients, and the output itself is unchanged; today and the
// past do not warn.
func TestAsOfFutureWarns(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "testdata/patients/status.ndjson"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	for _, c := range []struct {
		day  string
		args []string
	}{
		{"2026-06-01", []string{"patients", "--db", db}},
		{"2026-06-01", []string{"patients", "--db", db, "--json"}},
		{"2026-01-02", []string{"report", "born-2008", "--db", db}},
		{"2030-01-01", []string{"report", "born-2008", "--db", db, "--json"}},
	} {
		args := append(c.args, "--as-of", c.day)
		code, out, errs := runCmd(t, args...)
		if code != 0 || out == "" {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(errs, "warning: --as-of "+c.day+" is in the future (today is 2026-01-01, UTC)") {
			t.Errorf("%v: stderr %q; want the future --as-of warning", args, errs)
		}
	}
	for _, args := range [][]string{
		{"patients", "--db", db, "--as-of", "2026-01-01"},
		{"report", "born-2008", "--db", db, "--as-of", "2025-06-01"},
		{"report", "born-2008", "--db", db},
	} {
		if code, _, errs := runCmd(t, args...); code != 0 || errs != "" {
			t.Errorf("%v: exit %d, stderr %q; want no warning", args, code, errs)
		}
	}
}
