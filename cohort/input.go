package cohort

import (
	"io"
	"os"
	"strings"

	"renalwatch/internal/inputs"
)

// The cohort finds and opens its files with internal/inputs, as the import
// does: folders of a Bulk Data export, gzip by its magic bytes, errors in
// plain words (*inputs.Error).

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
	gz   bool  // named .gz: its size is estimated
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
// Data NDJSON files of bulkTypes (by name, sorted), a file itself.
func expandInputs(paths []string) ([]input, error) {
	files, _, err := inputs.BulkFolders(paths, bulkTypes)
	if err != nil {
		return nil, err
	}
	out := make([]input, 0, len(files))
	for _, p := range files {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		out = append(out, input{path: p, size: st.Size(), gz: strings.HasSuffix(p, ".gz")})
	}
	return out, nil
}

// open opens one input, gunzipped when it is gzip.
func (in input) open() (io.ReadCloser, error) {
	return inputs.OpenStream(in.path)
}
