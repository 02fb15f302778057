package main

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/internal/golden"
)

// gzipTo writes src gzipped to dst.
func gzipTo(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Gzipped files, FHIR and CSV, are read as their plain copies are,
// whatever their name says: the format comes from the content.
func TestImportGzipAndSniffing(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	plain := []string{"../../fhir/testdata/transaction-bundle.json", "../../fhir/testdata/rejections.ndjson", "testdata/import/labs.csv", "testdata/import/patients.csv"}
	packed := []string{
		filepath.Join(dir, "bundle.json.gz"),
		filepath.Join(dir, "rejections.ndjson.gz"),
		filepath.Join(dir, "labs.csv.gz"),
		filepath.Join(dir, "patients.export"), // gzipped CSV with neither extension
	}
	for i := range plain {
		gzipTo(t, plain[i], packed[i])
	}
	_, want := importJSON(t, filepath.Join(dir, "plain.db"), plain...)
	_, got := importJSON(t, filepath.Join(dir, "packed.db"), packed...)
	if got.Totals != want.Totals || len(got.Files) != len(want.Files) {
		t.Fatalf("gzipped totals %+v, plain %+v", got.Totals, want.Totals)
	}
	for i, f := range got.Files {
		if f.Format != want.Files[i].Format || f.importTotals != want.Files[i].importTotals {
			t.Errorf("%s: %s %+v; plain %s: %s %+v", f.File, f.Format, f.importTotals, want.Files[i].File, want.Files[i].Format, want.Files[i].importTotals)
		}
	}
	at := map[string]int{}
	for i, f := range got.Files {
		at[f.File] = i
	}
	if at[packed[3]] > at[packed[2]] {
		t.Errorf("files read in the order %+v; want the gzipped patients CSV before the labs", got.Files)
	}
}

func TestImportFileErrors(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	write("empty/LICENSE", "CC0")
	db := filepath.Join(dir, "rw.db")
	for _, tt := range []struct {
		file, want string
	}{
		{write("array.json", ` [{"resourceType":"Patient","id":"a"}]`), "is a JSON array; give a FHIR Bundle"},
		{filepath.Join(dir, "missing.ndjson"), "missing.ndjson: no such file or folder"},
		{empty, "has no *.ndjson or *.ndjson.gz file"},
		{write("notes.txt", "hello\n"), `neither FHIR JSON or NDJSON (which start with "{") nor CSV with a known header (first line "hello")`},
		{write("bad.gz", "\x1f\x8bnot gzip"), "starts like a gzip file but is not one"},
		{write("tabs.csv", "patient_id\ttime\tanalyte\tvalue\tunit\n"), "tab-separated"},
	} {
		code, out, errs := runCmd(t, "import", "--db", db, tt.file)
		if code != 2 || out != "" || !strings.Contains(errs, tt.want) {
			t.Errorf("import %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", filepath.Base(tt.file), code, out, errs, tt.want)
		}
	}
}

// A Bulk Data export folder given as one argument: its NDJSON files are
// read, Patient first, and its log and LICENSE are skipped with a note.
func TestImportBulkFolder(t *testing.T) {
	fixedNow(t)
	dir := filepath.Join("..", "..", "..", "shared", "data", "bulk-export-10-patients")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared test data not found at %s: %v", dir, err)
	}
	tmp := t.TempDir()
	code, got := importJSON(t, filepath.Join(tmp, "folder.db"), dir)
	if code != 0 {
		t.Fatalf("import of the folder: exit %d", code)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "[A-Z]*.ndjson"))
	_, want := importJSON(t, filepath.Join(tmp, "files.db"), files...)
	if got.Totals != want.Totals || got.Totals.Imported == 0 {
		t.Errorf("folder totals %+v; the same files named one by one %+v", got.Totals, want.Totals)
	}
	if len(got.Files) == 0 || filepath.Base(got.Files[0].File) != "Patient.000.ndjson" {
		t.Errorf("files read %+v, want Patient.000.ndjson first", got.Files)
	}
	skipped := map[string]string{}
	for _, s := range got.SkippedFiles {
		skipped[filepath.Base(s.File)] = s.Reason
	}
	if !strings.Contains(skipped["log.ndjson"], "log") || !strings.Contains(skipped["LICENSE"], "not an NDJSON file") {
		t.Errorf("skipped %v, want log.ndjson and LICENSE with a reason", skipped)
	}
	_, text, _ := runCmd(t, "import", "--db", filepath.Join(tmp, "folder.db"), dir)
	if !strings.Contains(text, "Files of the folder not read (2):") {
		t.Errorf("text summary does not list the skipped files:\n%s", text)
	}
}

// A registry that has only CSV files gets the lupus rules: diagnoses,
// a biopsy, SLEDAI-2K findings and therapies by drug name, with a
// semicolon-separated patients file and a year-month birth date.
func TestCSVOnlyLupusRegistry(t *testing.T) {
	fixedNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	files, _ := filepath.Glob("testdata/csvregistry/*.csv")
	code, s := importJSON(t, db, files...)
	if code != 0 || s.Totals.Imported != 15 || s.Totals.Rejected != 0 {
		t.Fatalf("import: exit %d, totals %+v; want 15 rows imported (one per data row of the files)", code, s.Totals)
	}
	code, out, errs := runCmd(t, "report", "reg-1", "--db", db, "--as-of", "2024-08-01")
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errs)
	}
	golden.Assert(t, "csvregistry/report.golden", []byte(out))
}

// A folder's NDJSON files are judged by their first line: an
// OperationOutcome and an NDJSON file that is not FHIR (a synthetic
// cohort's truth.ndjson) are skipped with a note; a gzipped one is read.
func TestImportFolderSkipsByContent(t *testing.T) {
	fixedNow(t)
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	if err := os.Mkdir(export, 0o700); err != nil {
		t.Fatal(err)
	}
	gzipTo(t, "../../fhir/testdata/rejections.ndjson", filepath.Join(export, "Mixed.ndjson.gz"))
	for name, text := range map[string]string{
		"errors.ndjson": `{"resourceType": "OperationOutcome", "issue": []}` + "\n",
		"truth.ndjson":  `{"patient_id":"x","class":"IV"}` + "\n",
		"README.md":     "# export\n",
	} {
		if err := os.WriteFile(filepath.Join(export, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, got := importJSON(t, filepath.Join(dir, "a.db"), export)
	_, want := importJSON(t, filepath.Join(dir, "b.db"), "../../fhir/testdata/rejections.ndjson")
	if len(got.Files) != 1 || got.Totals != want.Totals {
		t.Errorf("files %+v, totals %+v; want the gzipped file alone, read as its plain copy %+v", got.Files, got.Totals, want.Totals)
	}
	reasons := map[string]string{}
	for _, s := range got.SkippedFiles {
		reasons[filepath.Base(s.File)] = s.Reason
	}
	for name, want := range map[string]string{"errors.ndjson": "OperationOutcome", "truth.ndjson": "not FHIR", "README.md": "not an NDJSON file"} {
		if !strings.Contains(reasons[name], want) {
			t.Errorf("%s skipped with %q, want %q", name, reasons[name], want)
		}
	}
}
