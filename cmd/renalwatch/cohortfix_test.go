package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renalwatch/cohort"
)

// TestCohortOutIsInput (trial 12 F4): an --out or --summary that is one of
// the inputs (by name, inside an input folder, or through a link), or
// --out and --summary naming one file, is refused with exit 2 before
// anything is read or written; the input stays as it was.
func TestCohortOutIsInput(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "5", "--seed", "4")
	pat := filepath.Join(dir, "Patient.ndjson")
	before, err := os.ReadFile(pat)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "obs-link.ndjson")
	if err := os.Symlink(filepath.Join(dir, "Observation.ndjson"), link); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "rows.csv")
	for _, args := range [][]string{
		{dir, "--out", pat},
		{pat, filepath.Join(dir, "Observation.ndjson"), "--out", pat, "--format", "csv"},
		{dir, "--out", other, "--summary", link},
		{dir, "--out", other, "--summary", other},
	} {
		code, _, errs := runCmd(t, append([]string{"cohort"}, args...)...)
		if code != 2 || !strings.Contains(errs, "nothing was read or written") {
			t.Errorf("%v: exit %d, stderr %q; want 2, refused", args, code, errs)
		}
		after, err := os.ReadFile(pat)
		if err != nil || !bytes.Equal(after, before) {
			t.Fatalf("%v: Patient.ndjson changed (%v)", args, err)
		}
		if _, err := os.Stat(other); err == nil {
			t.Errorf("%v: %s written", args, other)
		}
	}
	// A file of the folder that is not read (truth.ndjson) may be replaced.
	if code, _, errs := runCmd(t, "cohort", dir, "--out", filepath.Join(dir, "rows.csv"), "--as-of", "2025-12-31"); code != 0 {
		t.Errorf("--out inside the folder, not an input: exit %d, %s", code, errs)
	}
}

// TestCohortOrphanLine (trial 12 F6): the items of a patient with no
// Patient resource are reported at the file and line of the first, with
// their number in words that agree ("1 item"), on the index and the
// partition (gzip) paths, and under --strict.
func TestCohortOrphanLine(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "5", "--seed", "4")
	obs := filepath.Join(dir, "Observation.ndjson")
	data, err := os.ReadFile(obs)
	if err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(data, []byte("\n"))
	orphan := `{"resourceType":"Observation","id":"orph1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/nobody-here"},"effectiveDateTime":"2024-01-01","valueQuantity":{"value":1.1,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}` + "\n"
	data = append(data, orphan...)
	if err := os.WriteFile(obs, data, 0o644); err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(t.TempDir(), "Observation.ndjson.gz")
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(data)
	zw.Close()
	if err := os.WriteFile(gz, zb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rows.csv")
	pat := filepath.Join(dir, "Patient.ndjson")
	for _, c := range []struct{ file, where string }{{obs, obs}, {gz, gz}} {
		for _, strict := range []bool{false, true} {
			args := []string{"cohort", pat, c.file, "--out", out, "--as-of", "2025-12-31"}
			if strict {
				args = append(args, "--strict")
			}
			code, _, errs := runCmd(t, args...)
			want := c.where + ":" + itoa(n+1) + `: Patient/nobody-here: no Patient resource "nobody-here" in the cohort; 1 item not assessed`
			if code != 2 || !strings.Contains(errs, want) || strings.Contains(errs, "(cohort)") {
				t.Errorf("%s strict %v: exit %d, stderr:\n%.1500s\nwant %q", c.file, strict, code, errs, want)
			}
		}
	}
}

// TestCohortEmptyInput (trial 12 F8): an input with no resource exits 2
// with a plain line, as import does, and writes no output.
func TestCohortEmptyInput(t *testing.T) {
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "empty.ndjson")
	if err := os.WriteFile(empty, []byte("\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "e.csv")
	code, _, errs := runCmd(t, "cohort", empty, "--out", out)
	if code != 2 || !strings.Contains(errs, "nothing was read") || strings.Contains(errs, "By KDIGO") {
		t.Errorf("exit %d, stderr %q; want 2, nothing was read", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output was written for an empty input")
	}
}

// TestCohortInputCounts (trial 12 F10): a file given twice is read once
// with a warning; a line that is not JSON is a problem, not a resource;
// the files of a folder that are not read are listed.
func TestCohortInputCounts(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "5", "--seed", "4")
	out := filepath.Join(t.TempDir(), "rows.csv")
	_, _, once := runCmd(t, "cohort", dir, "--out", out, "--as-of", "2025-12-31")
	code, _, twice := runCmd(t, "cohort", dir, filepath.Join(dir, "Observation.ndjson"), "--out", out, "--as-of", "2025-12-31")
	wrote := func(s string) string {
		i := strings.Index(s, "Wrote the rows")
		if i < 0 {
			return ""
		}
		l, _, _ := strings.Cut(s[i:], "\n")
		return l
	}
	if code != 0 || wrote(once) == "" || wrote(once) != wrote(twice) || !strings.Contains(twice, "Observation.ndjson is given twice; it is read once") {
		t.Errorf("twice: exit %d\n%s\nonce:\n%s", code, twice, once)
	}
	if !strings.Contains(once, "Files of the folder not read (1):") || !strings.Contains(once, "truth.ndjson") {
		t.Errorf("skipped files not listed:\n%s", once)
	}
	bad := filepath.Join(t.TempDir(), "bad.ndjson")
	os.WriteFile(bad, []byte("not json\nneither\n"), 0o644)
	_, _, errs := runCmd(t, "cohort", filepath.Join(dir, "Patient.ndjson"), bad, "--out", out, "--as-of", "2025-12-31")
	if !strings.Contains(errs, "from 5 resources in 2 files (7 lines; 2 problems)") {
		t.Errorf("non-JSON lines counted as resources:\n%s", errs)
	}
}

// TestCohortSummaryRun (trial 12 F12): the --summary JSON says what run
// made it (as_of, version, settings, what was read and rejected), beside
// its fields of before, unchanged.
func TestCohortSummaryRun(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "5", "--seed", "4")
	tmp := t.TempDir()
	sum := filepath.Join(tmp, "s.json")
	code, _, errs := runCmd(t, "cohort", dir, "--out", filepath.Join(tmp, "r.csv"), "--as-of", "2025-12-31", "--summary", sum, "--min-cell", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, _ := os.ReadFile(sum)
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"patients", "stage", "risk", "response", "landmark", "flares", "lupus_patients", "renalwatch_version", "config"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in %s", k, data)
		}
	}
	if fl, _ := got["flares"].(map[string]any); fl["patient_years"] == nil {
		t.Errorf("no flares.patient_years in %s", data)
	}
	in, _ := got["input"].(map[string]any)
	if got["as_of"] != "2025-12-31" || got["min_cell"] != 3.0 || in["problems"] != 0.0 || in["files"] != 5.0 || in["resources"] == 0.0 {
		t.Errorf("run fields: %s", data)
	}
	if cfg, _ := got["config"].(map[string]any); cfg["adult_equation"] == nil {
		t.Errorf("config: %v", got["config"])
	}
}

// TestCohortMinCellStderr (trial 12 F13): under --min-cell K, no line of
// stderr gives the number of patients the summary withholds, and the
// summary to share is set apart from the operator's lines.
func TestCohortMinCellStderr(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "8", "--seed", "5")
	code, _, errs := runCmd(t, "cohort", dir, "--out", filepath.Join(t.TempDir(), "r.csv"), "--as-of", "2025-12-31", "--min-cell", "10")
	if code != 0 || strings.Contains(errs, "8 patients") || !strings.Contains(errs, "Wrote the rows of <10 patients") ||
		!strings.Contains(errs, "--min-cell 10 applies to the summary below") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
}

// TestCohortInterrupted (trial 12 F14): Ctrl-C (a cancelled context) is a
// plain line and exit 130, with nothing written and no temporary file.
func TestCohortInterrupted(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "5", "--seed", "4")
	tmp := t.TempDir()
	out := filepath.Join(tmp, "r.csv")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := run(ctx, []string{"cohort", dir, "--out", out, "--as-of", "2025-12-31"}, &o, &e)
	if code != 130 || !strings.Contains(e.String(), "interrupted; "+out+" not written") || strings.Contains(e.String(), "context canceled") {
		t.Errorf("exit %d, stderr %q", code, e.String())
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("left in the output folder: %v", left)
	}
}

// TestProgressBarShows (trial 12 F14): the partition bar read 100% "ETA
// 0s" from the start. With an unknown total (gzip) it shows the bytes read
// and their rate, no share; with a known one, no ETA before it means
// anything.
func TestProgressBarShows(t *testing.T) {
	var b bytes.Buffer
	bar := &progressBar{w: &b, start: time.Now().Add(-2 * time.Second)}
	bar.show(cohort.Progress{Phase: "partition", Done: 50e6})
	if s := b.String(); !strings.Contains(s, "50 MB read (") || strings.Contains(s, "%") || strings.Contains(s, "ETA") {
		t.Errorf("unknown total: %q", s)
	}
	b.Reset()
	bar = &progressBar{w: &b, start: time.Now()}
	bar.show(cohort.Progress{Phase: "partition", Done: 8e6, Total: 40e6})
	if s := b.String(); !strings.Contains(s, " 20%") || strings.Contains(s, "ETA 0s") {
		t.Errorf("known total, at once: %q", s)
	}
}
