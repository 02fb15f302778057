package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"renalwatch/csvio"
)

// Input formats, as sniffed from a file's content.
const (
	formatFHIR = "fhir"
	formatCSV  = "csv"
)

// gzipMagic starts every gzip stream (RFC 1952 §2.3.1: ID1 31, ID2 139).
var gzipMagic = []byte{0x1f, 0x8b}

// sniffInput returns a reader of r's content, gunzipped when it starts with
// the gzip magic bytes (whatever the file's name), and the format its
// content shows: FHIR JSON or NDJSON when the first byte other than white
// space and a byte-order mark is "{", CSV otherwise (the CSV reader then
// names the layouts it knows when the header is none of them). A JSON
// array is an error that says what to give instead. Nothing is read ahead
// beyond a peek: the file is still streamed.
func sniffInput(name string, r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(2); bytes.Equal(head, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, "", badInputf("import: %s: starts like a gzip file but is not one: %v", name, err)
		}
		zr.Multistream(true)
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", badInputf("import: %s: %v", name, err)
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	switch {
	case len(t) == 0 && isCSV(strings.TrimSuffix(strings.ToLower(name), ".gz")):
		return br, formatCSV, nil // the CSV reader says the file is empty
	case len(t) == 0:
		return br, formatFHIR, nil // the FHIR reader says the file is empty
	case t[0] == '{':
		return br, formatFHIR, nil
	case t[0] == '[':
		return nil, "", badInputf("import: %s is a JSON array; give a FHIR Bundle (one JSON object with resourceType \"Bundle\" and its resources in entry) or NDJSON (one resource per line, as a Bulk Data export writes it)", name)
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if isCSV(strings.TrimSuffix(strings.ToLower(name), ".gz")) || csvio.KnownHeader(string(first)) {
		return br, formatCSV, nil // a .csv file with a wrong header gets the CSV reader's list of layouts
	}
	return nil, "", badInputf("import: %s is neither FHIR JSON or NDJSON (which start with \"{\") nor CSV with a known header (first line %s); CSV layouts: %s",
		name, quoteHead(first), csvLayouts())
}

// quoteHead quotes the start of a line for an error message.
func quoteHead(b []byte) string {
	if len(b) > 60 {
		return fmt.Sprintf("%q…", b[:60])
	}
	return fmt.Sprintf("%q", b)
}

// csvLayouts lists the CSV layouts' headers.
func csvLayouts() string {
	var s []string
	for _, l := range csvio.Layouts() {
		s = append(s, l[0]+": "+l[1])
	}
	return strings.Join(s, "; ")
}

// openFile opens a file for import; a missing file or a folder is an
// input error in plain words (exit 2).
func openFile(name string) (*os.File, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, plainOpenError(name, err)
	}
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		fh.Close()
		return nil, badInputf("import: %s is a folder, not a file; give the folder as an argument of its own to read the *.ndjson files of a Bulk Data export", name)
	}
	return fh, nil
}

// openInput opens a file for import and sniffs it (sniffInput).
func openInput(name string) (io.Reader, string, io.Closer, error) {
	fh, err := openFile(name)
	if err != nil {
		return nil, "", nil, err
	}
	r, format, err := sniffInput(name, fh)
	if err != nil {
		fh.Close()
		return nil, "", nil, err
	}
	return r, format, fh, nil
}

// plainOpenError says in plain words why a file cannot be opened.
func plainOpenError(name string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return badInputf("import: %s: no such file or folder", name)
	case errors.Is(err, fs.ErrPermission):
		return badInputf("import: %s: permission denied", name)
	}
	return badInputf("import: %w", err)
}

// skippedFile is a file of a folder that import did not read.
type skippedFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// expandFolders replaces each folder among args by the files of a FHIR
// Bulk Data export it holds: its *.ndjson and *.ndjson.gz files, in name
// order (importOrder then puts the Patient files first). The export's log
// (log.ndjson) and OperationOutcome files are its error and status
// reports, not data, and anything else (a LICENSE, a README, a
// sub-folder) is not an export file: each is skipped with a note, not
// rejected. A folder without an NDJSON file is an error.
func expandFolders(args []string) ([]string, []skippedFile, error) {
	var files []string
	var skipped []skippedFile
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, plainOpenError(a, err)
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, plainOpenError(a, err)
		}
		n := len(files)
		for _, e := range ents { // ReadDir sorts by name
			p, lname := filepath.Join(a, e.Name()), strings.ToLower(e.Name())
			base := strings.TrimSuffix(strings.TrimSuffix(lname, ".gz"), ".ndjson")
			switch {
			case e.IsDir():
				skipped = append(skipped, skippedFile{p, "a folder inside the export folder; not read"})
			case !strings.HasSuffix(lname, ".ndjson") && !strings.HasSuffix(lname, ".ndjson.gz"):
				skipped = append(skipped, skippedFile{p, "not an NDJSON file (*.ndjson, *.ndjson.gz)"})
			case base == "log":
				skipped = append(skipped, skippedFile{p, "the export's log, not patient data"})
			case strings.HasPrefix(base, "operationoutcome"):
				skipped = append(skipped, skippedFile{p, "OperationOutcome: the export's error report, not patient data"})
			default:
				if why := notFHIR(p); why != "" {
					skipped = append(skipped, skippedFile{p, why})
					continue
				}
				files = append(files, p)
			}
		}
		if len(files) == n {
			return nil, nil, badInputf("import: folder %s has no *.ndjson or *.ndjson.gz file to read", a)
		}
	}
	return slices.Clip(files), skipped, nil
}

// notFHIR says why an NDJSON file of an export folder is not read when its
// first line is an OperationOutcome or has no resourceType (another
// program's NDJSON, such as a synthetic cohort's truth.ndjson); "" when it
// is to be read. A file that cannot be peeked at is read, so that the
// import reports why.
func notFHIR(name string) string {
	head, err := headPeek(name)
	if err != nil {
		return ""
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	first = bytes.ReplaceAll(first, []byte(" "), nil)
	switch {
	case len(bytes.TrimSpace(first)) == 0:
		return ""
	case bytes.Contains(first, []byte(`"resourceType":"OperationOutcome"`)):
		return "OperationOutcome: the export's error report, not patient data"
	case !bytes.Contains(first, []byte(`"resourceType"`)) && len(first) < len(head):
		return "not FHIR: its first line has no resourceType"
	}
	return ""
}

// headPeek returns the first bytes of a file's content, gunzipped, for
// importOrder; an error opening it is returned as openInput's.
func headPeek(name string) ([]byte, error) {
	r, _, c, err := openInput(name)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	br, ok := r.(*bufio.Reader)
	if !ok {
		return nil, fmt.Errorf("import: %s: unexpected reader", name)
	}
	head, _ := br.Peek(4096)
	return head, nil
}
