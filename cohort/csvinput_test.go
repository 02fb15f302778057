package cohort

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/synth"
)

// csvRows reads a cohort CSV output into rows by patient_id.
func csvRows(t *testing.T, path string) ([]string, map[string]map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]map[string]string{}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, c := range recs[0] {
			row[c] = r[i]
		}
		rows[row["patient_id"]] = row
	}
	return recs[0], rows
}

// therapyIndex is the position of a therapy course in a report
// ("therapies[3]"), which missing_items paths name.
var therapyIndex = regexp.MustCompile(`therapies\[\d+\]`)

// TestCSVEqualsNDJSON: the same synthetic patients as NDJSON and as the
// CSV layouts (same seed) give the same cohort rows and summary. Two
// columns differ legitimately, and are compared on what they share:
// synth's therapies.csv has no id column, so csvio derives each course's
// id from its content (record.DeriveID) where the NDJSON has
// "MedicationRequest/syn…-m3"; the timeline orders courses that start on
// the same day by id (record.NewTimeline), so such courses come in
// another order. response_therapies (the judged course's classes in that
// order) is then compared as a multiset, and missing_items (paths such as
// therapies[2].effect.response) with the course index left out. The CSV
// is read gzipped, spilled, and from its files as well as its folder.
func TestCSVEqualsNDJSON(t *testing.T) {
	const n, seed = 120, 5
	nd, _ := writeCohortAs(t, n, seed, synth.NDJSON)
	cs, _ := writeCohortAs(t, n, seed, synth.CSVFormat)
	run := func(opt Options) (*Summary, Stats, string) {
		t.Helper()
		opt.Out = filepath.Join(t.TempDir(), "rows.csv")
		opt.Format = CSV{}
		opt.Day = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		opt.Now = opt.Day
		opt.Config = assess.DefaultConfig()
		opt.Problem = func(p Problem) { t.Errorf("problem: %v", p) }
		sum, st, err := Run(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		return sum, st, opt.Out
	}
	ndSum, _, ndOut := run(Options{Inputs: []string{nd}})
	cols, want := csvRows(t, ndOut)
	if len(want) != n {
		t.Fatalf("NDJSON: %d rows, want %d", len(want), n)
	}
	wantSum, _ := json.Marshal(ndSum)

	// The CSV files gzipped, named one by one.
	gz := t.TempDir()
	var gzFiles []string
	for _, name := range synth.CSVFiles() {
		b, err := os.ReadFile(filepath.Join(cs, name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(gz, name+".gz")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		zw.Write(b)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		gzFiles = append(gzFiles, p)
	}
	for name, opt := range map[string]Options{
		"folder":         {Inputs: []string{cs}},
		"gzip files":     {Inputs: gzFiles},
		"spilled, 1 cpu": {Inputs: []string{cs}, Memory: 4 << 20, Workers: 1, TempDir: t.TempDir()},
	} {
		sum, st, out := run(opt)
		if name == "spilled, 1 cpu" && (!st.Spilled || st.Buckets < 2) {
			t.Errorf("%s: spilled %v, %d buckets: want a spilled partition", name, st.Spilled, st.Buckets)
		}
		gotCols, got := csvRows(t, out)
		if !slices.Equal(gotCols, cols) {
			t.Fatalf("%s: columns %v, want %v", name, gotCols, cols)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d rows, want %d", name, len(got), len(want))
		}
		reordered := 0
		for id, w := range want {
			g := got[id]
			if g == nil {
				t.Errorf("%s: no row for %s", name, id)
				continue
			}
			for _, c := range cols {
				a, b := g[c], w[c]
				if a != b {
					reordered++
				}
				switch c {
				case "response_therapies":
					a, b = sortedList(a), sortedList(b)
				case "missing_items":
					a, b = sortedList(therapyIndex.ReplaceAllString(a, "therapies[]")), sortedList(therapyIndex.ReplaceAllString(b, "therapies[]"))
				}
				if a != b {
					t.Errorf("%s: %s %s = %q from CSV, %q from NDJSON", name, id, c, g[c], w[c])
				}
			}
		}
		if reordered == 0 {
			t.Logf("%s: no course reordered: the test does not see the id difference it allows for", name)
		}
		// Sums of floats (patient-years) are added bucket by bucket:
		// another number of buckets adds them in another order (last
		// bits), so numbers are compared to 1e-9.
		b, _ := json.Marshal(sum)
		var g, w any
		json.Unmarshal(b, &g)
		json.Unmarshal(wantSum, &w)
		if !nearlyEqual(g, w) {
			t.Errorf("%s: summary from CSV\n%s\nfrom NDJSON\n%s", name, b, wantSum)
		}
	}
}

func sortedList(s string) string {
	l := strings.Split(s, ";")
	slices.Sort(l)
	return strings.Join(l, ";")
}

// csvFolderOf writes files into a new folder.
func csvFolderOf(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCSV(t *testing.T, inputs []string, strict bool) ([]Problem, Stats, string, error) {
	var probs []Problem
	out := filepath.Join(t.TempDir(), "rows.csv")
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, st, err := Run(context.Background(), Options{Inputs: inputs, Out: out, Format: CSV{}, Day: day, Now: day,
		Config: assess.DefaultConfig(), Strict: strict, Problem: func(p Problem) { probs = append(probs, p) }})
	return probs, st, out, err
}

// TestCSVBadRows: malformed and refused rows are reported with their file
// and line (a quoted row over two lines counts both), the run goes on and
// the other rows are assessed; --strict stops at the first and writes
// nothing.
func TestCSVBadRows(t *testing.T) {
	dir := csvFolderOf(t, map[string]string{
		"patients.csv": "patient_id,birth_date,sex\np1,1980-05-14,female\np2,1990-01-01,male\n",
		"observations.csv": "patient_id,time,analyte,value,unit\n" +
			"p1,2025-01-01,creatinine,1.1,mg/dL\n" + // 2
			"p1,2025-01-01,creatinine,\"1\n.2\",mg/dL\n" + // 3-4: a quote open at the end of line 3; line 4 a bare quote
			"p1,2025-02-01,creatinine,1.2\n" + // 5: 4 fields
			"p1,2025-03-01,creatinine,1.3,furlongs\n" + // 6: unknown unit
			"p1,2025-04-01,creatinine,\"1.4,mg/dL\n" + // 7: a stray quote, read to the end of the file before trial 13 F4
			"p1,2025-05-01,creatinine,1.5,mg/dL\n" + // 8: read
			"p1,2025-06-01,creatinine,1.6,furlongs\n", // 9: reported
		"findings.csv": "patient_id,time,finding,present\np2,2025-01-01,arthritis,yes\np2,2025-01-01,arthritis,perhaps\n",
		"rows.csv":     "patient_id,egfr\nx,1\n", // not a layout, not a layout's name: not read
	})
	probs, st, out, err := runCSV(t, []string{dir}, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, strings.TrimPrefix(p.Error(), dir+string(filepath.Separator)))
	}
	want := []string{
		"findings.csv:3: bad value",
		"observations.csv:3: malformed CSV: a quoted field is not closed on this line",
		"observations.csv:4: malformed CSV: bare \"",
		"observations.csv:5: malformed CSV: 4 fields, the header has 5",
		"observations.csv:6: bad value: unit \"furlongs\"",
		"observations.csv:7: malformed CSV: a quoted field is not closed on this line",
		"observations.csv:9: bad value: unit \"furlongs\"",
	}
	slices.Sort(got)
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s\nwant %d", strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %q, want it to start %q", got[i], want[i])
		}
	}
	if st.Files != 3 || st.Patients != 2 || st.Problems != int64(len(want)) {
		t.Errorf("stats %+v: want 3 files, 2 patients, %d problems", st, len(want))
	}
	if _, rows := csvRows(t, out); rows["p1"]["egfr"] == "" || rows["p2"] == nil {
		t.Errorf("rows %v: want p1 with an eGFR and p2", rows)
	}
	if st.Resources != 8 { // 2 patients, 2 findings and the observations of lines 2, 6, 8 and 9 (mapped, 6 and 9 then refused)
		t.Errorf("stats %+v: want 8 resources", st)
	}

	probs, _, out, err = runCSV(t, []string{dir}, true)
	if !errors.Is(err, ErrStrict) || len(probs) != 1 {
		t.Errorf("strict: err %v, %d problems; want ErrStrict at the first", err, len(probs))
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("strict: %s written", out)
	}
}

// TestCSVRefused: a CSV file that is none of the layouts is an error that
// names its header, before anything is read; NDJSON and CSV in one run are
// refused, in one folder or as files; CSV without a patients file is
// refused once rather than with a problem for every patient; a folder
// with neither says so.
func TestCSVRefused(t *testing.T) {
	dir := csvFolderOf(t, map[string]string{
		"patients.csv":     "patient_id,birth_date,sex\np1,1980-05-14,female\n",
		"labs.csv":         "pid,when,what\np1,2025-01-01,creatinine\n",
		"observations.csv": "patient_id,time,analyte,value,units\np1,2025-01-01,creatinine,1.1,mg/dL\n",
		"findings.csv":     "patient_id,time,finding,present\np1,2025-01-01,arthritis,yes\n",
		"Patient.ndjson":   `{"resourceType":"Patient","id":"p1"}` + "\n",
	})
	in := func(name string) string { return filepath.Join(dir, name) }
	for _, c := range []struct {
		inputs []string
		want   string
	}{
		{[]string{in("labs.csv")}, `unrecognised header "pid,when,what"`},
		{[]string{in("patients.csv"), in("observations.csv")}, `the observations layout has no column "units"`},
		{[]string{in("patients.csv"), in("Patient.ndjson")}, "is CSV and " + in("Patient.ndjson") + " is NDJSON"},
		{[]string{dir}, "holds both CSV layout files"},
		{[]string{in("findings.csv")}, "no patients file among the CSV inputs (" + in("findings.csv") + ": findings)"},
		{[]string{t.TempDir()}, "no FHIR Bulk Data files (Patient.ndjson, Observation.ndjson, ...) and no CSV layout files"},
	} {
		_, _, out, err := runCSV(t, c.inputs, false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v; want it to contain %q", c.inputs, err, c.want)
		}
		if _, serr := os.Stat(out); !os.IsNotExist(serr) {
			t.Errorf("%v: %s written", c.inputs, out)
		}
	}
}

// TestCSVSemicolon: a semicolon-separated file (a European spreadsheet
// export) is read as import reads it, its decimal comma too: the same rows
// as the comma-separated file with decimal points.
func TestCSVSemicolon(t *testing.T) {
	comma := csvFolderOf(t, map[string]string{
		"patients.csv":     "patient_id,birth_date,sex\np1,1980-05-14,female\n",
		"observations.csv": "patient_id,time,analyte,value,unit\np1,2025-01-01,creatinine,1.4,mg/dL\np1,2025-06-01,creatinine,1.6,mg/dL\n",
	})
	semi := csvFolderOf(t, map[string]string{
		"patients.csv":     "patient_id;birth_date;sex\np1;1980-05-14;female\n",
		"observations.csv": "patient_id;time;analyte;value;unit\np1;2025-01-01;creatinine;1,4;mg/dL\np1;2025-06-01;creatinine;\"1,6\";mg/dL\n",
	})
	var outs []string
	for _, dir := range []string{comma, semi} {
		probs, _, out, err := runCSV(t, []string{dir}, false)
		if err != nil || len(probs) > 0 {
			t.Fatalf("%s: %v %v", dir, err, probs)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(b))
	}
	if outs[0] != outs[1] || !strings.Contains(outs[0], "p1,") {
		t.Errorf("comma-separated:\n%s\nsemicolon-separated:\n%s", outs[0], outs[1])
	}
}

// nearlyEqual compares decoded JSON values, numbers to a relative 1e-9.
func nearlyEqual(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if !nearlyEqual(v, b[k]) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !nearlyEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	case float64:
		b, ok := b.(float64)
		return ok && math.Abs(a-b) <= 1e-9*max(math.Abs(a), math.Abs(b))
	}
	return a == b
}
