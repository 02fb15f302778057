package cohort

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"renalwatch/csvio"
	"renalwatch/internal/inputs"
)

// The CSV layouts (package csvio: patients, observations, therapies,
// diagnoses, findings, biopsies, events) are read as the NDJSON lines are:
// each row is routed to its patient's bucket by its patient_id (the same
// partitioner, spilled when large; each row keeps its file and line), and
// a bucket's rows are mapped by csvio's mapping (Reader.MapRecords, the
// mapping the import uses: one copy of every unit and vocabulary rule),
// grouped by patient and assessed as the NDJSON's are (worker.finish).
// Rows are checked while they are split (csvio.Splitter: CSV syntax, field
// count, text) and mapped in the worker; a row refused by either is a
// Problem with its file and line. The index path (index.go) is for NDJSON
// only: CSV input always takes the partition path.
//
// One run reads NDJSON or CSV, not both: a patient's Patient resource in
// one and rows in the other would be matched by id only, across two
// vocabularies, and the cohort would be the first reader to do so. The
// import reads both into one store.

// csvExpansion is how many times more a CSV byte costs mapped than an
// NDJSON byte: a row holds an item in about a sixth of the bytes of its
// FHIR resource (synth, 2,000 patients, seed 1: 375 MB of NDJSON, 60 MB
// of CSV for the same items), and the mapped items are the same. The
// buckets of a CSV run are planned that many times smaller, so that a
// bucket's mapped patients take what an NDJSON bucket's do (one bucket
// for 60 MB of CSV held 700 MB of items).
const csvExpansion = 6

// csvRun is the CSV side of a run: the header of every input.
type csvRun struct {
	heads []*csvio.Header // by input index
}

// expandAll lists the inputs named by paths (csvPaths, then
// expandInputs) and tells whether they are the CSV layouts: a file is CSV
// when inputs.Sniff, the import's test, says so (a .csv or .csv.gz name,
// or a layout's header). The headers are read now, so that a CSV file that
// is none of the layouts stops the run before anything is read, with an
// error naming its header. csv is nil for NDJSON.
func expandAll(paths []string) ([]input, *csvRun, error) {
	listed, _, err := csvPaths(paths)
	if err != nil {
		return nil, nil, err
	}
	ins, err := expandInputs(listed)
	if err != nil {
		return nil, nil, err
	}
	isCSV := make([]bool, len(ins))
	for i, in := range ins {
		isCSV[i] = sniffCSV(in.path)
	}
	var csvAt, ndAt = -1, -1
	for i, c := range isCSV {
		if c && csvAt < 0 {
			csvAt = i
		}
		if !c && ndAt < 0 {
			ndAt = i
		}
	}
	if csvAt < 0 {
		return ins, nil, nil
	}
	if ndAt >= 0 {
		return nil, nil, inputs.Errorf(ins[csvAt].path, "cohort reads Bulk Data NDJSON or the CSV layouts in a run, not both: %s is CSV and %s is NDJSON; assess them in separate runs (or import both into one store)",
			ins[csvAt].path, ins[ndAt].path)
	}
	run := &csvRun{heads: make([]*csvio.Header, len(ins))}
	patients := false
	for i, in := range ins {
		if err := run.header(i, in); err != nil {
			return nil, nil, err
		}
		patients = patients || run.heads[i].Kind == "patients"
	}
	if !patients {
		// Every row would be refused, one problem per patient (trial 12
		// F7): said once, before reading.
		var names []string
		for i, in := range ins[:min(len(ins), 3)] {
			names = append(names, in.path+": "+run.heads[i].Kind)
		}
		if len(ins) > 3 {
			names = append(names, "…")
		}
		return nil, nil, inputs.Errorf(ins[0].path, "no patients file among the CSV inputs (%s): cohort assesses the patients of a patients file (header patient_id,birth_date,sex); give it as well, or the folder that holds it",
			strings.Join(names, "; "))
	}
	return ins, run, nil
}

// csvPaths replaces each folder among paths that holds CSV layout files
// (csvFolder) by those files, and keeps every other path (a file, or a
// Bulk Data folder for expandInputs), and lists the other files of those
// folders (not read). A folder holding both CSV layout files and Bulk Data
// NDJSON files is refused, and so is a folder holding neither, naming
// both kinds.
func csvPaths(paths []string) ([]string, []inputs.Skipped, error) {
	var out []string
	var skipped []inputs.Skipped
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			out = append(out, p) // expandInputs says why it cannot be read
			continue
		}
		files, skip, err := csvFolder(p)
		if err != nil {
			return nil, nil, err
		}
		nd, _, ndErr := inputs.BulkFolders([]string{p}, bulkTypes)
		switch {
		case len(files) > 0 && ndErr == nil && len(nd) > 0:
			return nil, nil, inputs.Errorf(p, "%s holds both CSV layout files (%s) and Bulk Data NDJSON files (%s); cohort reads one or the other in a run: give the files of one kind (or import both into one store)",
				p, filepath.Base(files[0]), filepath.Base(nd[0]))
		case len(files) > 0:
			out = append(out, files...)
			skipped = append(skipped, skip...)
		case ndErr != nil:
			var ie *inputs.Error
			if errors.As(ndErr, &ie) && ie.Path == p {
				// A folder read without an error that holds neither kind.
				return nil, nil, inputs.Errorf(p, "%s: no FHIR Bulk Data files (Patient.ndjson, Observation.ndjson, ...) and no CSV layout files (patients.csv, observations.csv, ...)", p)
			}
			return nil, nil, ndErr
		default:
			out = append(out, p)
		}
	}
	return out, skipped, nil
}

// sniffCSV reports whether a file is CSV by inputs.Sniff (what import
// reads it as). A file Sniff refuses or cannot open is left to the NDJSON
// reader, which says why.
func sniffCSV(path string) bool {
	_, f, c, err := inputs.OpenSniffed(path)
	if err != nil {
		return false
	}
	c.Close()
	return f == inputs.CSV
}

// csvFolder lists the CSV layout files of a folder, in name order: the
// *.csv and *.csv.gz files whose header is one of the layouts, and those
// named after a layout (observations.csv, observations_2.csv.gz), whose
// header is then checked. Other CSV files (a cohort's own rows.csv) are
// not read, nor are other files (truth.ndjson) and sub-folders: they are
// listed with the reason (trial 13 F9: they went unmentioned, where a Bulk
// Data folder lists them).
func csvFolder(dir string) ([]string, []inputs.Skipped, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	var files []string
	var skipped []inputs.Skipped
	for _, e := range ents {
		lname := strings.ToLower(e.Name())
		base, ok := strings.CutSuffix(strings.TrimSuffix(lname, ".gz"), ".csv")
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir():
			skipped = append(skipped, inputs.Skipped{File: p, Reason: "a folder inside the CSV folder; not read"})
			continue
		case !ok:
			skipped = append(skipped, inputs.Skipped{File: p, Reason: "not a CSV file (*.csv, *.csv.gz)"})
			continue
		}
		if layoutName(base) {
			files = append(files, p)
			continue
		}
		head, err := inputs.Head(p)
		if err != nil {
			return nil, nil, err
		}
		first, _, _ := bytes.Cut(head, []byte("\n"))
		if csvio.KnownHeader(string(first)) {
			files = append(files, p)
			continue
		}
		skipped = append(skipped, inputs.Skipped{File: p, Reason: "its header is none of the CSV layouts (" + layoutKinds() + ") and its name is none of theirs"})
	}
	return files, skipped, nil
}

// layoutKinds lists the layouts' names: "patients, observations, …".
func layoutKinds() string {
	var ks []string
	for _, l := range csvio.Layouts() {
		ks = append(ks, l[0])
	}
	return strings.Join(ks, ", ")
}

// layoutName reports whether a file name (lower case, without .csv) is a
// layout's kind, then nothing or a part number after ".", "_" or "-".
func layoutName(base string) bool {
	for _, l := range csvio.Layouts() {
		if rest, ok := strings.CutPrefix(base, l[0]); ok && (rest == "" || strings.ContainsRune("._-", rune(rest[0]))) {
			return true
		}
	}
	return false
}

// header reads input i's header.
func (c *csvRun) header(i int, in input) error {
	rc, err := in.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	sp, err := csvio.NewSplitter(in.path, rc)
	if err != nil {
		return inputs.Errorf(in.path, "%w", err)
	}
	c.heads[i] = sp.Header()
	return nil
}

// partition routes the rows of every input to part's buckets by
// patient_id; a row the Splitter refuses is reported with its file and
// line. It returns the rows read.
func (c *csvRun) partition(ctx context.Context, opt *Options, ins []input, total int64, part *partitioner, report func(Problem) error) (int64, error) {
	var read, rows int64
	nb := len(part.b)
	for fi, in := range ins {
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		rc, err := in.open()
		if err != nil {
			return rows, err
		}
		cr := &countReader{r: rc}
		err = c.split(ctx, in, cr, func(line int, patient, rec []byte) error {
			rows++
			if rows&0xffff == 0 && opt.Progress != nil {
				opt.Progress(Progress{Phase: "partition", Done: read + cr.n*in.estimate()/max(in.size, 1), Total: total})
			}
			return part.addTo(bucketOf(patient, nb), rec, mkOrigin(fi, line))
		}, func(p Problem) error {
			rows++
			return report(p)
		})
		rc.Close()
		if err != nil {
			return rows, err
		}
		read += in.estimate()
	}
	return rows, nil
}

// split calls add with each checked row of one input, and bad with each
// row the Splitter refuses.
func (c *csvRun) split(ctx context.Context, in input, r io.Reader, add func(line int, patient, rec []byte) error, bad func(Problem) error) error {
	sp, err := csvio.NewSplitter(in.path, r)
	if err != nil {
		return inputs.Errorf(in.path, "%w", err)
	}
	for n := 1; ; n++ {
		if n&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, patient, rec, err := sp.Next()
		if err == io.EOF {
			return nil
		}
		var rj csvio.Rejection
		if errors.As(err, &rj) {
			if err := bad(csvProblem(rj)); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in.path, err)
		}
		if err := add(line, patient, rec); err != nil {
			return err
		}
	}
}

// csvProblem is a csvio rejection as a Problem: file, line, the row's id
// when it has one, and the reason.
func csvProblem(rj csvio.Rejection) Problem {
	err := rj.Err
	if rj.ID != "" {
		err = fmt.Errorf("%s: %w", rj.ID, err)
	}
	return Problem{File: rj.File, Line: rj.Line, Err: err}
}

// csvPartitioned loads bucket i of the partition (one load at a time, as
// worker.partitioned) and maps its rows with csvio, file by file in the
// order they were read, in chunks of csvChunk rows; the patients' groups
// are then assessed as the NDJSON's are (finish).
func (w *worker) csvPartitioned(c *csvRun, part *partitioner, mu *sync.Mutex, i, nb int) (*bucketResult, error) {
	mu.Lock()
	data, org, err := part.load(i, w.data)
	mu.Unlock()
	if err != nil {
		return nil, err
	}
	res := &bucketResult{sum: newSummary()}
	gs := map[string]*group{}
	rd := csvio.Reader{Now: w.opt.Now}
	rest := data
	for k := 0; k < len(org); {
		f := org[k].file()
		end := k + 1
		for end < len(org) && end-k < csvChunk && org[end].file() == f {
			end++
		}
		recs := func(yield func(int, []byte) bool) {
			for j := k; j < end; j++ {
				rec, after, _ := bytes.Cut(rest, []byte{'\n'})
				rest = after
				if !yield(org[j].line(), rec) {
					return
				}
			}
		}
		r := rd.MapRecords(c.heads[f], w.ins[f].path, recs)
		for _, rj := range r.Rejected {
			if err := w.report(csvProblem(rj)); err != nil {
				return nil, err
			}
		}
		addToGroups(gs, &r.Batch)
		res.resources += int64(r.Read)
		k = end
	}
	w.data = data // the items hold copies: reused for the next spilled bucket
	// where nil: CSV items carry their own file and line.
	return w.finish(res, gs, i, nb, nil)
}

// csvChunk is how many rows are mapped at a time.
const csvChunk = 4096
