package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCohortMinCellWithSummaryFile (trial 5 #2): with --summary FILE and
// --min-cell K, the help's own example, the JSON keeps the exact counts (to
// merge shards) and says nothing of K, so the run prints the suppressed
// summary to stderr beside it and says which is which; a bad --min-cell or
// --workers names its flag and value.
func TestCohortMinCellWithSummaryFile(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "30", "--seed", "11")
	tmp := t.TempDir()
	sumFile := filepath.Join(tmp, "summary.json")
	code, _, errs := runCmd(t, "cohort", dir, "--out", filepath.Join(tmp, "rows.csv"), "--as-of", "2025-12-31", "--summary", sumFile, "--min-cell", "15")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(sumFile)
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Stage map[string]int64 `json:"stage"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	small := false
	for _, n := range sum.Stage {
		small = small || n > 0 && n < 15
	}
	if !small {
		t.Fatalf("the 30-patient cohort has no stage count below 15 to suppress: %v", sum.Stage)
	}
	for _, want := range []string{"summary.json holds the exact counts (to merge shards; not for sharing). --min-cell 15 applies to the summary below", "<15"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs)
		}
	}
	for flag, want := range map[string]string{"--min-cell": "--min-cell -3: give 0 (no suppression) or more", "--workers": "--workers -3: give 0 (all cores) or more"} {
		code, _, errs := runCmd(t, "cohort", dir, "--out", filepath.Join(tmp, "bad.csv"), flag, "-3")
		if code != 2 || !strings.Contains(errs, want) {
			t.Errorf("%s -3: exit %d, %s; want 2 and %q", flag, code, errs, want)
		}
	}
}
