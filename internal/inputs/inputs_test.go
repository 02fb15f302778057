package inputs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	patientLine = `{"resourceType":"Patient","id":"p1"}` + "\n"
	bundle      = ` {"resourceType":"Bundle","type":"collection","entry":[]}`
	labsCSV     = "patient_id,time,analyte,value,unit\np1,2024-05-01,creatinine,1.1,mg/dL\n"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// write writes files (name → content) below dir, making folders as needed.
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		name, content string
		want          Format
		wantErr       string
	}{
		{"a.ndjson", patientLine + patientLine, FHIR, ""},
		{"bundle.json", bundle, FHIR, ""},
		{"bom.json", "\ufeff" + bundle, FHIR, ""},
		{"labs.csv", labsCSV, CSV, ""},
		{"labs.export", labsCSV, CSV, ""},                              // a known header, whatever the name
		{"other.csv", "a,b\n1,2\n", CSV, ""},                           // the CSV reader lists the layouts
		{"empty.csv", "", CSV, ""},                                     // the CSV reader says it is empty
		{"empty.ndjson", "  \n", FHIR, ""},                             // the FHIR reader says it is empty
		{"gz.ndjson.gz", string(gz(t, []byte(patientLine))), FHIR, ""}, // gzip by name and content
		{"packed.export", string(gz(t, []byte(labsCSV))), CSV, ""},     // gzip by content only
		{"array.json", ` [{"resourceType":"Patient"}]`, "", `array.json is a JSON array; give a FHIR Bundle (one JSON object with resourceType "Bundle" and its resources in entry) or NDJSON (one resource per line, as a Bulk Data export writes it)`},
		{"notes.txt", "hello\n", "", `notes.txt is neither FHIR JSON or NDJSON (which start with "{") nor CSV with a known header (first line "hello"); CSV layouts: ` + CSVLayouts()},
		{"bad.gz", "\x1f\x8bnot gzip", "", "bad.gz: starts like a gzip file but is not one: "},
	} {
		r, f, err := Sniff(tt.name, strings.NewReader(tt.content))
		if tt.wantErr != "" {
			var ie *Error
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) || !errors.As(err, &ie) || ie.Path != tt.name {
				t.Errorf("Sniff(%s): %v (%T); want an *Error starting %q", tt.name, err, err, tt.wantErr)
			}
			continue
		}
		if err != nil || f != tt.want {
			t.Errorf("Sniff(%s) = %q, %v; want %q", tt.name, f, err, tt.want)
			continue
		}
		got, _ := io.ReadAll(r)
		want := tt.content
		if tt.name == "gz.ndjson.gz" {
			want = patientLine
		} else if tt.name == "packed.export" {
			want = labsCSV
		}
		if string(got) != want {
			t.Errorf("Sniff(%s) reads %q; want %q", tt.name, got, want)
		}
	}
	if len(CSVLayouts()) == 0 || !strings.Contains(CSVLayouts(), "patient_id") {
		t.Errorf("CSVLayouts() = %q", CSVLayouts())
	}
}

// A long first line is quoted to 60 bytes in the message.
func TestSniffQuotesLongHead(t *testing.T) {
	_, _, err := Sniff("long.txt", strings.NewReader(strings.Repeat("x", 100)))
	if err == nil || !strings.Contains(err.Error(), `(first line "`+strings.Repeat("x", 60)+`"…)`) {
		t.Errorf("error %v; want the first line cut at 60 bytes", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.ndjson")
	for _, tt := range []struct {
		name, want string
		is         error
	}{
		{missing, missing + ": no such file or folder", fs.ErrNotExist},
		{dir, dir + " is a folder, not a file; give the folder as an argument of its own to read the *.ndjson files of a Bulk Data export", nil},
	} {
		for _, open := range []func(string) error{
			func(n string) error { _, err := Open(n); return err },
			func(n string) error { _, _, _, err := OpenSniffed(n); return err },
			func(n string) error { _, err := OpenStream(n); return err },
			func(n string) error { _, err := Head(n); return err },
		} {
			err := open(tt.name)
			var ie *Error
			if err == nil || err.Error() != tt.want || !errors.As(err, &ie) || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Errorf("open %s: %v; want %q", tt.name, err, tt.want)
			}
		}
	}
}

// OpenStream gunzips by content and hands a plain file back unwrapped.
func TestOpenStream(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"plain.ndjson": patientLine, "packed.ndjson": string(gz(t, []byte(patientLine))), "bad.ndjson.gz": "\x1f\x8bnot gzip"})
	for _, name := range []string{"plain.ndjson", "packed.ndjson"} {
		rc, err := OpenStream(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != patientLine {
			t.Errorf("%s reads %q", name, b)
		}
		if _, ok := rc.(*os.File); ok != (name == "plain.ndjson") {
			t.Errorf("%s: reader %T", name, rc)
		}
	}
	if _, err := OpenStream(filepath.Join(dir, "bad.ndjson.gz")); err == nil || !strings.Contains(err.Error(), "starts like a gzip file but is not one") {
		t.Errorf("bad gzip: %v", err)
	}
}

func exportFolder(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "export")
	write(t, dir, map[string]string{
		"Patient.000.ndjson":        patientLine,
		"Observation.000.ndjson.gz": string(gz(t, []byte(`{"resourceType":"Observation","id":"o1"}`+"\n"))),
		"Encounter.ndjson":          `{"resourceType":"Encounter","id":"e1"}` + "\n",
		"log.ndjson":                `{"resourceType":"OperationOutcome"}` + "\n",
		"OperationOutcome_1.ndjson": `{"resourceType":"OperationOutcome"}` + "\n",
		"errors.ndjson":             `{"resourceType": "OperationOutcome", "issue": []}` + "\n",
		"truth.ndjson":              `{"patient_id":"p1","class":"IV"}` + "\n",
		"LICENSE":                   "CC0",
		"extra/Patient.ndjson":      patientLine,
	})
	return dir
}

func TestFolders(t *testing.T) {
	dir := exportFolder(t)
	file := filepath.Join(t.TempDir(), "named.txt") // a named file is kept whatever it is
	write(t, filepath.Dir(file), map[string]string{"named.txt": "hello"})
	files, skipped, err := Folders([]string{file, dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{file, filepath.Join(dir, "Encounter.ndjson"), filepath.Join(dir, "Observation.000.ndjson.gz"), filepath.Join(dir, "Patient.000.ndjson")}
	if !slices.Equal(files, want) {
		t.Errorf("files %q; want %q", files, want)
	}
	wantSkipped := []Skipped{
		{filepath.Join(dir, "LICENSE"), "not an NDJSON file (*.ndjson, *.ndjson.gz)"},
		{filepath.Join(dir, "OperationOutcome_1.ndjson"), "OperationOutcome: the export's error report, not patient data"},
		{filepath.Join(dir, "errors.ndjson"), "OperationOutcome: the export's error report, not patient data"},
		{filepath.Join(dir, "extra"), "a folder inside the export folder; not read"},
		{filepath.Join(dir, "log.ndjson"), "the export's log, not patient data"},
		{filepath.Join(dir, "truth.ndjson"), "not FHIR: its first line has no resourceType"},
	}
	if !slices.Equal(skipped, wantSkipped) {
		t.Errorf("skipped %q;\nwant %q", skipped, wantSkipped)
	}
}

func TestBulkFolders(t *testing.T) {
	dir := exportFolder(t)
	files, skipped, err := BulkFolders([]string{dir}, []string{"Patient", "Observation"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "Observation.000.ndjson.gz"), filepath.Join(dir, "Patient.000.ndjson")}; !slices.Equal(files, want) {
		t.Errorf("files %q; want %q", files, want)
	}
	if !slices.Contains(skipped, Skipped{filepath.Join(dir, "Encounter.ndjson"), "not a resource type that is read (Patient, Observation)"}) {
		t.Errorf("skipped %q; want Encounter.ndjson with a reason", skipped)
	}
	for _, name := range []string{"Patient.ndjson", "Patient_2.ndjson", "Patient-2.ndjson.gz", "Patient.000.ndjson"} {
		if !isBulkName(name, bulkTestTypes) {
			t.Errorf("isBulkName(%s) = false", name)
		}
	}
	for _, name := range []string{"Patients.ndjson", "Patient.json", "Patient.NDJSON", "truth.ndjson"} {
		if isBulkName(name, bulkTestTypes) {
			t.Errorf("isBulkName(%s) = true", name)
		}
	}
}

var bulkTestTypes = []string{"Patient"}

func TestFolderErrors(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"empty/LICENSE": "CC0", "other/Encounter.ndjson": `{"resourceType":"Encounter"}` + "\n"})
	missing := filepath.Join(dir, "missing")
	for _, tt := range []struct {
		arg   string
		types []string
		want  string
	}{
		{missing, nil, missing + ": no such file or folder"},
		{missing, bulkTestTypes, missing + ": no such file or folder"},
		{filepath.Join(dir, "empty"), nil, "folder " + filepath.Join(dir, "empty") + " has no *.ndjson or *.ndjson.gz file to read"},
		{filepath.Join(dir, "other"), bulkTestTypes, filepath.Join(dir, "other") + ": no FHIR Bulk Data files (Patient.ndjson, Observation.ndjson, ...)"},
	} {
		_, _, err := expand([]string{tt.arg}, tt.types)
		var ie *Error
		if err == nil || err.Error() != tt.want || !errors.As(err, &ie) || ie.Path != tt.arg {
			t.Errorf("expand(%s, %v): %v; want %q", tt.arg, tt.types, err, tt.want)
		}
	}
}
