package cohort

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	path  string
	size  int64   // bytes on disk
	gz    bool    // named .gz: its size is estimated
	ratio float64 // gz: uncompressed bytes per compressed byte (gzipRatio)
}

// estimate is the uncompressed size guessed for the memory plan: a gzip
// file's size times the ratio measured on its start (gzipRatio).
func (in input) estimate() int64 {
	if in.gz {
		return int64(float64(in.size) * in.ratio)
	}
	return in.size
}

// gzipSample is how much of a gzip file gzipRatio decompresses.
const gzipSample = 256 << 10

// gzipRatio measures how much a gzip file grows when decompressed, on its
// first gzipSample compressed bytes (the whole of a smaller file): the
// memory plan sizes its buckets from it. A fixed 8x (FHIR NDJSON
// compresses about 8-15x) made 7.5 MB of synth output compressed 26x
// buckets three times the planned size, and --memory 64MB peaked at 160 MB
// RSS with one worker (trial 12 F9). 8 when the file cannot be read (its
// reader then says why).
func gzipRatio(path string) float64 {
	f, err := os.Open(path)
	if err != nil {
		return 8
	}
	defer f.Close()
	cr := &countReader{r: io.LimitReader(f, gzipSample)}
	zr, err := gzip.NewReader(bufio.NewReaderSize(cr, 32<<10))
	if err != nil {
		return 8
	}
	n, _ := io.Copy(io.Discard, zr)
	if n <= 0 || cr.n <= 0 {
		return 8
	}
	return max(1, float64(n)/float64(cr.n))
}

// expandInputs lists the files named by paths: a folder gives its Bulk
// Data NDJSON files of bulkTypes (by name, sorted), a file itself. A file
// named twice (or named and found in a folder) is read once (Inputs).
func expandInputs(paths []string) ([]input, error) {
	l, err := Inputs(paths)
	if err != nil {
		return nil, err
	}
	out := make([]input, 0, len(l.Files))
	for _, p := range l.Files {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		in := input{path: p, size: st.Size(), gz: strings.HasSuffix(p, ".gz")}
		if in.gz {
			in.ratio = gzipRatio(p)
		}
		out = append(out, in)
	}
	return out, nil
}

// InputList is what the inputs of a run name: the files read, the files
// of a folder that are not read (as import lists them), and the files
// named more than once.
type InputList struct {
	Files   []string
	Skipped []inputs.Skipped
	// Twice are the files given again under another name or path, each
	// with the one read (Files holds it once: the same lines read twice
	// would be taken once by the deduplication anyway, trial 12 F10).
	Twice []Twice
}

// Twice is a file given again (Again) after the one read (First).
type Twice struct{ First, Again string }

// Inputs lists the files the inputs name (expandInputs), the same file
// (os.SameFile: also through another path or a link) only once.
func Inputs(paths []string) (InputList, error) {
	paths, csvSkipped, err := csvPaths(paths) // a folder of CSV layout files: its files
	if err != nil {
		return InputList{}, err
	}
	files, skipped, err := inputs.BulkFolders(paths, bulkTypes)
	if err != nil {
		return InputList{}, err
	}
	l := InputList{Skipped: append(csvSkipped, skipped...)}
	var seen []os.FileInfo
next:
	for _, p := range files {
		st, err := os.Stat(p)
		if err != nil {
			return InputList{}, err
		}
		for k, o := range seen {
			if os.SameFile(o, st) {
				l.Twice = append(l.Twice, Twice{First: l.Files[k], Again: p})
				continue next
			}
		}
		seen = append(seen, st)
		l.Files = append(l.Files, p)
	}
	return l, nil
}

// CheckOutputs refuses output files (--out, --summary) that are one of
// the files the run reads, or the same file twice, before anything is read
// or written: the output is renamed over its path at the end, and an
// --out naming Patient.ndjson replaced the export's patients with rows
// (trial 12 F4: the next run then found no Patient resource at all).
func CheckOutputs(l InputList, outs map[string]string) error {
	type named struct {
		flag, path string
		abs        string      // absolute, cleaned
		st         os.FileInfo // nil when it does not exist yet
	}
	var taken []named
	for _, flag := range []string{"--out", "--summary"} {
		p, ok := outs[flag]
		if !ok || p == "" {
			continue
		}
		n := named{flag: flag, path: p}
		if a, err := filepath.Abs(p); err == nil {
			n.abs = filepath.Clean(a)
		}
		if st, err := os.Stat(p); err == nil {
			n.st = st
			for _, f := range l.Files {
				if fst, err := os.Stat(f); err == nil && os.SameFile(st, fst) {
					same := ""
					if filepath.Clean(f) != filepath.Clean(p) {
						same = " (" + f + ")"
					}
					return fmt.Errorf("%s %s is one of the inputs%s: the output would replace it; write it to another file", flag, p, same)
				}
			}
		}
		for _, o := range taken {
			if o.abs == n.abs || o.st != nil && n.st != nil && os.SameFile(o.st, n.st) {
				return fmt.Errorf("%s %s and %s %s are the same file: give them different names", o.flag, o.path, flag, p)
			}
		}
		taken = append(taken, n)
	}
	return nil
}

// open opens one input, gunzipped when it is gzip.
func (in input) open() (io.ReadCloser, error) {
	return inputs.OpenStream(in.path)
}
