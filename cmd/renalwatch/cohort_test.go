package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"renalwatch/cohort"
	"renalwatch/synth"
)

// TestCohortEqualsReport: every NDJSON row of "cohort" is the document
// "report --json" prints for that patient after "import" of the same files,
// and every CSV row is the flat form of it; the output does not depend on
// the memory budget (in memory, or spilled to temporary files) or the
// number of workers.
func TestCohortEqualsReport(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "50", "--seed", "11")
	tmp := t.TempDir()
	outs := map[string]string{}
	for _, run := range [][]string{
		{"--workers", "2", "--memory", "512MB"},
		{"--workers", "1", "--memory", "16MiB"}, // about 10 MB of input: more buckets (spilled on the partition path, which cohort.TestIndexEqualsPartition compares)
	} {
		for _, ext := range []string{"ndjson", "csv"} {
			out := filepath.Join(tmp, strings.Join(run, "")+"."+ext)
			code, _, errs := runCmd(t, append([]string{"cohort", dir, "--out", out, "--as-of", "2025-12-31"}, run...)...)
			if code != 0 {
				t.Fatalf("cohort %v exit %d: %s", run, code, errs)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			// The row order follows the hash buckets, whose number
			// follows the memory budget: compare the rows as sets.
			if prev, ok := outs[ext]; ok && sortedLines(prev) != sortedLines(string(b)) {
				t.Errorf("%s output differs with %v", ext, run)
			}
			outs[ext] = string(b)
		}
	}
	db := filepath.Join(tmp, "rw.db")
	var files []string
	for _, n := range synth.FHIRFiles() {
		files = append(files, filepath.Join(dir, n))
	}
	synthImport(t, db, files...)

	rows := cohortRowsByID(t, outs["ndjson"])
	recs, err := csv.NewReader(strings.NewReader(outs["csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 50 || len(recs) != 51 || !reflect.DeepEqual(recs[0], cohort.Columns) {
		t.Fatalf("%d NDJSON rows, %d CSV rows, header %v", len(rows), len(recs), recs[0])
	}
	byID := map[string][]string{}
	for _, r := range recs[1:] {
		byID[r[0]] = r
	}
	checked := 0
	for i := 0; i < 50; i += 6 {
		id := "syn11-" + itoa(i)
		w := checkCohortRow(t, db, "2025-12-31", id, rows[id])
		checkCSVRow(t, byID[id], w)
		checked++
	}
	if checked < 8 {
		t.Fatalf("checked %d patients", checked)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func sortedLines(s string) string {
	l := strings.Split(s, "\n")
	slices.Sort(l)
	return strings.Join(l, "\n")
}

// checkCSVRow compares the CSV columns the issue names with the report
// document (read as generic JSON, so independently of cohort.Row).
func checkCSVRow(t *testing.T, row []string, rep map[string]any) {
	t.Helper()
	get := func(path ...string) any {
		var v any = rep
		for _, p := range path {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		}
		return v
	}
	str := func(v any) string {
		switch x := v.(type) {
		case nil:
			return ""
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64)
		case string:
			return x
		}
		t.Fatalf("unexpected %T", v)
		return ""
	}
	col := map[string]int{}
	for i, c := range cohort.Columns {
		col[c] = i
	}
	var alerts []string
	for _, a := range get("alerts").([]any) {
		alerts = append(alerts, a.(map[string]any)["code"].(string))
	}
	flares, _ := get("lupus", "flares").([]any)
	want := map[string]string{
		"patient_id":    str(get("patient", "id")),
		"as_of":         str(get("as_of")),
		"egfr":          str(get("kidney", "egfr", "value")),
		"egfr_equation": str(get("kidney", "egfr", "equation")),
		"stage_g":       str(get("kidney", "stage", "g")),
		"stage_suffix":  str(get("kidney", "stage", "suffix")),
		"stage_a":       str(get("kidney", "stage", "a")),
		"risk":          str(get("kidney", "stage", "risk")),
		"kfre_2y":       str(get("kidney", "kfre", "risk_2y")),
		"kfre_5y":       str(get("kidney", "kfre", "risk_5y")),
		"best_response": str(get("lupus", "response", "best", "response")),
		"flares":        strconv.Itoa(len(flares)),
		"alerts":        strings.Join(alerts, ";"),
		"missing":       strconv.Itoa(len(get("missing").([]any))),
	}
	for c, w := range want {
		if row[col[c]] != w {
			t.Errorf("%s: column %s = %q, report --json has %q", row[0], c, row[col[c]], w)
		}
	}
}

func compact(s string) string {
	var b bytes.Buffer
	if json.Compact(&b, []byte(s)) != nil {
		return s
	}
	return b.String()
}

// TestCohortBadLines: malformed lines in a large input are reported with
// file and line and the run goes on, writing the rows and the summary, and
// exits 2 as import does (trial-cli #17: it exited 0, so a pipeline
// checking $? saw success); under --strict the run stops and the output is
// not written (an older output is left as it was).
func TestCohortBadLines(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "30", "--seed", "12")
	obs := filepath.Join(dir, "Observation.ndjson")
	data, err := os.ReadFile(obs)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	n := len(lines) / 2
	bad := append(append(append([]string{}, lines[:n]...), "{\"resourceType\":\"Observation\",\"id\":\"cut\n", "not json at all\n"), lines[n:]...)
	if err := os.WriteFile(obs, []byte(strings.Join(bad, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rows.csv")
	code, _, errs := runCmd(t, "cohort", dir, "--out", out, "--as-of", "2025-12-31")
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errs)
	}
	for _, want := range []string{obs + ":" + itoa(n+1) + ":", obs + ":" + itoa(n+2) + ":", "30 patients", "2 problems", "Renal flares: ",
		"renalwatch: cohort: 2 problems (listed above); the rows of everything else were written"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%.2000s", want, errs)
		}
	}
	good, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(string(good), "\n"); c != 31 {
		t.Errorf("%d lines written, want header + 30", c)
	}
	code, _, errs = runCmd(t, "cohort", dir, "--out", out, "--as-of", "2024-01-01", "--strict")
	if code == 0 || !strings.Contains(errs, obs+":"+itoa(n+1)) || !strings.Contains(errs, "not written") {
		t.Errorf("--strict: exit %d, %s", code, errs)
	}
	if c := strings.Count(errs, obs+":"+itoa(n+1)); c != 1 { // trial 13 F10f: printed twice
		t.Errorf("--strict: the problem printed %d times, want once:\n%s", c, errs)
	}
	after, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(after, good) {
		t.Errorf("--strict changed the earlier output (%v)", err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".rows.csv.tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestCohortOutputLines (trial #31): the success line has no error prefix,
// and an --out extension that is not a format cohort writes is refused
// (exit 2, the formats listed) unless --format is given.
func TestCohortOutputLines(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "8", "--seed", "5")
	tmp := t.TempDir()
	code, _, errs := runCmd(t, "cohort", dir, "--out", filepath.Join(tmp, "rows.csv"), "--as-of", "2025-12-31")
	if code != 0 || strings.Contains(errs, "renalwatch: cohort:") || !strings.Contains(errs, "Wrote the rows of 8 patients") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
	if strings.Contains(errs, ";\n") {
		t.Errorf("a summary line ends with a stray ';':\n%s", errs)
	}
	xlsx := filepath.Join(tmp, "s50.xlsx")
	code, _, errs = runCmd(t, "cohort", dir, "--out", xlsx, "--as-of", "2025-12-31")
	if code != 2 || !strings.Contains(errs, ".xlsx") || !strings.Contains(errs, "parquet") {
		t.Errorf("--out s50.xlsx: exit %d, stderr %q; want 2 listing the formats", code, errs)
	}
	if _, err := os.Stat(xlsx); err == nil {
		t.Error("--out s50.xlsx was written")
	}
	if code, _, errs = runCmd(t, "cohort", dir, "--out", xlsx, "--format", "csv", "--as-of", "2025-12-31"); code != 0 {
		t.Errorf("--format csv --out s50.xlsx: exit %d, %s", code, errs)
	}
}
