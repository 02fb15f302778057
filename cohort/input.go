package cohort

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// This small opener (folders, files, gzip) is the cohort's own until the
// import's input opener (csvinputs) is on main; then one should go.

// bulkTypes are the resource types whose Bulk Data files a folder
// contributes (file names such as Observation.ndjson, Observation_2.ndjson,
// Observation.000.ndjson.gz). Other files in a folder (truth.ndjson, a
// manifest) are skipped; a file named on the command line is always read.
var bulkTypes = []string{"Patient", "Observation", "Condition", "Procedure",
	"MedicationStatement", "MedicationRequest", "MedicationAdministration"}

// input is one file to read.
type input struct {
	path string
	size int64 // bytes on disk
	gz   bool
}

// estimate is the uncompressed size guessed for the memory plan: a gzip
// file is taken as 8 times its size (FHIR NDJSON compresses about 8-15x).
func (in input) estimate() int64 {
	if in.gz {
		return in.size * 8
	}
	return in.size
}

// expandInputs lists the files named by paths: a folder gives its Bulk
// Data NDJSON files (by name, sorted), a file itself.
func expandInputs(paths []string) ([]input, error) {
	var out []input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, input{path: p, size: st.Size(), gz: strings.HasSuffix(p, ".gz")})
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, e := range ents {
			if !e.IsDir() && isBulkName(e.Name()) {
				names = append(names, e.Name())
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s: no FHIR Bulk Data files (Patient.ndjson, Observation.ndjson, ...)", p)
		}
		slices.Sort(names)
		for _, n := range names {
			fp := filepath.Join(p, n)
			fst, err := os.Stat(fp)
			if err != nil {
				return nil, err
			}
			out = append(out, input{path: fp, size: fst.Size(), gz: strings.HasSuffix(n, ".gz")})
		}
	}
	return out, nil
}

// isBulkName reports whether a file name in a folder is a Bulk Data file
// of a resource type the reader maps.
func isBulkName(name string) bool {
	base := strings.TrimSuffix(name, ".gz")
	if !strings.HasSuffix(base, ".ndjson") {
		return false
	}
	base = strings.TrimSuffix(base, ".ndjson")
	for _, t := range bulkTypes {
		if rest, ok := strings.CutPrefix(base, t); ok && (rest == "" || rest[0] == '.' || rest[0] == '_' || rest[0] == '-') {
			return true
		}
	}
	return false
}

// open opens one input, decompressing gzip.
func (in input) open() (io.ReadCloser, error) {
	f, err := os.Open(in.path)
	if err != nil {
		return nil, err
	}
	if !in.gz {
		return f, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", in.path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, f}, nil
}
