package inputs

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Skipped is a file of a folder that is not read, and why.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Folders replaces each folder among args by the files of the FHIR Bulk
// Data export it holds: its *.ndjson and *.ndjson.gz files, in name order.
// The export's log (log.ndjson) and OperationOutcome files are its error
// and status reports, not data, and anything else (a LICENSE, a README, a
// sub-folder) is not an export file: each is skipped with a note, not
// rejected; so is an NDJSON file whose first line is an OperationOutcome
// or has no resourceType (another program's NDJSON, such as a synthetic
// cohort's truth.ndjson). A folder without a file to read is an error; a
// file among args is kept as it is.
func Folders(args []string) ([]string, []Skipped, error) {
	return expand(args, nil)
}

// BulkFolders is Folders for a reader of the given resource types only: a
// folder's NDJSON files are those named by one of types (Observation.ndjson,
// Observation_2.ndjson, Observation.000.ndjson.gz); the others are skipped
// too. A file among args is kept whatever its name.
func BulkFolders(args []string, types []string) ([]string, []Skipped, error) {
	return expand(args, types)
}

func expand(args, types []string) ([]string, []Skipped, error) {
	var files []string
	var skipped []Skipped
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, openError(a, err)
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, openError(a, err)
		}
		n := len(files)
		for _, e := range ents { // ReadDir sorts by name
			p, lname := filepath.Join(a, e.Name()), strings.ToLower(e.Name())
			base := strings.TrimSuffix(strings.TrimSuffix(lname, ".gz"), ".ndjson")
			switch {
			case e.IsDir():
				skipped = append(skipped, Skipped{p, "a folder inside the export folder; not read"})
			case !strings.HasSuffix(lname, ".ndjson") && !strings.HasSuffix(lname, ".ndjson.gz"):
				skipped = append(skipped, Skipped{p, "not an NDJSON file (*.ndjson, *.ndjson.gz)"})
			case base == "log":
				skipped = append(skipped, Skipped{p, "the export's log, not patient data"})
			case strings.HasPrefix(base, "operationoutcome"):
				skipped = append(skipped, Skipped{p, "OperationOutcome: the export's error report, not patient data"})
			case types != nil && !isBulkName(e.Name(), types):
				skipped = append(skipped, Skipped{p, "not a resource type that is read (" + strings.Join(types, ", ") + ")"})
			default:
				if why := notFHIR(p); why != "" {
					skipped = append(skipped, Skipped{p, why})
					continue
				}
				files = append(files, p)
			}
		}
		switch {
		case len(files) > n:
		case types != nil:
			return nil, nil, errorf(a, "%s: no FHIR Bulk Data files (Patient.ndjson, Observation.ndjson, ...)", a)
		default:
			return nil, nil, errorf(a, "folder %s has no *.ndjson or *.ndjson.gz file to read", a)
		}
	}
	return slices.Clip(files), skipped, nil
}

// isBulkName reports whether a file name in a folder is a Bulk Data file
// of one of types: the type, then nothing or a part number after ".", "_"
// or "-", then .ndjson or .ndjson.gz.
func isBulkName(name string, types []string) bool {
	base := strings.TrimSuffix(name, ".gz")
	if !strings.HasSuffix(base, ".ndjson") {
		return false
	}
	base = strings.TrimSuffix(base, ".ndjson")
	for _, t := range types {
		if rest, ok := strings.CutPrefix(base, t); ok && (rest == "" || rest[0] == '.' || rest[0] == '_' || rest[0] == '-') {
			return true
		}
	}
	return false
}

// notFHIR says why an NDJSON file of an export folder is not read when its
// first line is an OperationOutcome or has no resourceType; "" when it is
// to be read. A file that cannot be peeked at is read, so that its reader
// reports why.
func notFHIR(name string) string {
	head, err := Head(name)
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
