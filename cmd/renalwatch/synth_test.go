package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/synth"
)

// synthCohort writes a cohort with "renalwatch synth" into a temporary
// folder and returns it.
func synthCohort(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cohort")
	code, out, errs := runCmd(t, append([]string{"synth", "--out", dir}, args...)...)
	if code != 0 {
		t.Fatalf("synth exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "synthetic patients") {
		t.Errorf("synth summary: %q", out)
	}
	return dir
}

func synthImport(t *testing.T, db string, files ...string) importSummary {
	t.Helper()
	code, out, errs := runCmd(t, append([]string{"import", "--db", db, "--json"}, files...)...)
	var sum importSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("import exit %d: %v\n%s", code, err, errs)
	}
	if code != 0 {
		t.Errorf("import exit %d: %s", code, errs)
	}
	return sum
}

// TestSynthImports: a generated cohort imports with no rejection and no
// code RenalWatch does not read, in both formats.
func TestSynthImports(t *testing.T) {
	fixedNow(t)
	for _, format := range []string{"ndjson", "csv"} {
		t.Run(format, func(t *testing.T) {
			dir := synthCohort(t, "--patients", "40", "--seed", "3", "--format", format)
			var files []string
			names := synth.FHIRFiles()
			if format == "csv" {
				names = synth.CSVFiles()
			}
			for _, n := range names {
				files = append(files, filepath.Join(dir, n))
			}
			sum := synthImport(t, filepath.Join(t.TempDir(), "rw.db"), files...)
			if sum.Totals.Rejected != 0 || sum.Totals.Unmapped != 0 || len(sum.Unmapped) != 0 || len(sum.Ignored) != 0 {
				t.Errorf("rejected %d, unmapped %d (%v), ignored %v; first rejection: %v", sum.Totals.Rejected,
					sum.Totals.Unmapped, sum.Unmapped, sum.Ignored, sum.Rejected)
			}
			if sum.Totals.Imported < 1000 {
				t.Errorf("imported %d items from 40 patients", sum.Totals.Imported)
			}
			for _, s := range sum.Skipped {
				if !strings.Contains(s.Reason, "dataAbsentReason") {
					t.Errorf("skipped: %+v", s)
				}
			}
		})
	}
}

// TestSynthReportResponse: "report" of generated lupus nephritis patients
// with a true complete response (adults, no flare, no kidney failure) shows a
// complete response one year after induction under the default rule
// (kdigo-2024: UPCR < 0.5 g/g, eGFR within 10% of baseline); true
// non-responders are never complete.
func TestSynthReportResponse(t *testing.T) {
	fixedNow(t)
	dir := synthCohort(t, "--patients", "120", "--seed", "42")
	var files []string
	for _, n := range synth.FHIRFiles() {
		files = append(files, filepath.Join(dir, n))
	}
	db := filepath.Join(t.TempDir(), "rw.db")
	synthImport(t, db, files...)
	fh, err := os.Open(filepath.Join(dir, synth.FileTruth))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	checked := map[synth.Response]int{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var tr synth.Truth
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatal(err)
		}
		clean := tr.LupusNephritis && !tr.Child && len(tr.Flares) == 0 && tr.KidneyFailureDate == "" && tr.MSCInfusion == ""
		if !clean || (tr.Response != synth.Complete && tr.Response != synth.None) || checked[tr.Response] >= 3 {
			continue
		}
		ind, _ := synth.ParseDate(tr.InductionStart)
		asOf := synth.Date(ind + 365)
		code, out, errs := runCmd(t, "report", tr.PatientID, "--db", db, "--as-of", asOf, "--json")
		if code != 0 {
			t.Fatalf("report %s exit %d: %s", tr.PatientID, code, errs)
		}
		var rep struct {
			Lupus struct {
				Response *struct {
					Response *string `json:"response"`
				} `json:"response"`
			} `json:"lupus"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Lupus.Response == nil || rep.Lupus.Response.Response == nil {
			t.Errorf("%s (true response %s on %s): no response in the report as of %s", tr.PatientID, tr.Response, tr.ResponseDate, asOf)
			continue
		}
		got := *rep.Lupus.Response.Response
		switch tr.Response {
		case synth.Complete:
			if got != "complete" {
				t.Errorf("%s: true complete response on %s; report as of %s says %q", tr.PatientID, tr.ResponseDate, asOf, got)
			}
		case synth.None:
			if got == "complete" {
				t.Errorf("%s: true non-responder; report as of %s says complete", tr.PatientID, asOf)
			}
		}
		checked[tr.Response]++
	}
	if checked[synth.Complete] == 0 || checked[synth.None] == 0 {
		t.Fatalf("checked %v: want complete and non-responders in 120 patients", checked)
	}
}

func TestSynthBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"synth", "--patients", "10"},
		{"synth", "--patients", "0", "--out", dir},
		{"synth", "--patients", "20000000", "--out", dir},
		{"synth", "--format", "xml", "--out", dir},
		{"synth", "--seed", "-1", "--out", dir},
		{"synth", "extra", "--out", dir},
	} {
		code, _, errs := runCmd(t, args...)
		if code != 2 || !strings.Contains(errs, "synth") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errs)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
	code, out, _ := runCmd(t, "synth", "--help")
	if code != 0 || !strings.Contains(out, "Example:") || !strings.Contains(out, "--gzip") {
		t.Errorf("synth --help: exit %d\n%s", code, out)
	}
	// Trial #30: import reads .gz files; the help said it did not.
	if strings.Contains(out, "does not read .gz") || !strings.Contains(out, "read the .gz files") {
		t.Errorf("synth --help on .gz files:\n%s", out)
	}
}

// TestSynthGzip: --gzip writes .gz files that decompress to the same bytes
// as the plain run.
func TestSynthGzip(t *testing.T) {
	plain := synthCohort(t, "--patients", "15", "--seed", "9")
	gz := synthCohort(t, "--patients", "15", "--seed", "9", "--gzip")
	for _, n := range (synth.Options{Format: synth.NDJSON}).Files() {
		want, err := os.ReadFile(filepath.Join(plain, n))
		if err != nil {
			t.Fatal(err)
		}
		got := gunzipFile(t, filepath.Join(gz, n+".gz"))
		if string(got) != string(want) {
			t.Errorf("%s.gz does not decompress to %s", n, n)
		}
	}
	if entries, _ := os.ReadDir(gz); len(entries) != 6 {
		t.Errorf("gzip folder holds %d entries, want 6 (no temporary files left)", len(entries))
	}
}

func gunzipFile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSynthRefusesForeignFolder: synth refuses a folder holding files it did
// not write (trial #7: the README's --out cohort wrote into the Go package
// cohort/), leaves it untouched, and replaces its own files on a rerun.
func TestSynthRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "doc.go")
	if err := os.WriteFile(src, []byte("package cohort\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCmd(t, "synth", "--patients", "3", "--out", dir)
	if code != 2 || !strings.Contains(errs, "doc.go") || !strings.Contains(errs, "did not write") {
		t.Errorf("synth into a source folder: exit %d, stderr %q; want 2 naming doc.go", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("refused run wrote files: %v", entries)
	}
	// Its own files, in any format, may be replaced.
	own := synthCohort(t, "--patients", "3", "--seed", "1")
	for _, args := range [][]string{{"--seed", "2"}, {"--format", "csv"}, {"--gzip"}} {
		code, _, errs := runCmd(t, append([]string{"synth", "--patients", "3", "--out", own}, args...)...)
		if code != 0 {
			t.Errorf("rerun %v into synth's own folder: exit %d, %s", args, code, errs)
		}
	}
}
