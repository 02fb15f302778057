package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"renalwatch/internal/labtext"
	"renalwatch/synth"
)

const synthExample = `  renalwatch synth --patients 1000 --seed 42 --out synth-cohort
  renalwatch import synth-cohort/Patient.ndjson synth-cohort/Condition.ndjson synth-cohort/Procedure.ndjson \
      synth-cohort/MedicationRequest.ndjson synth-cohort/Observation.ndjson --db cohort.db
  renalwatch synth --patients 200 --seed 7 --out synth-cohort-csv --format csv --gzip

The patients are invented by a model (synth/doc.go); no value comes from a real
person. synth-cohort/truth.ndjson holds each patient's true story (nephritis class,
arm, response and its date, flares, kidney failure, stem cell infusion and its
true effect, which is none). The same seed and version give the same bytes.
renalwatch import and renalwatch cohort read the .gz files as they are.`

// maxSynthPatients bounds --patients (ten million patients is about three
// billion observations).
const maxSynthPatients = 10_000_000

type synthSummary struct {
	Out          string   `json:"out"`
	Format       string   `json:"format"`
	Seed         uint64   `json:"seed"`
	Version      string   `json:"version"`
	Patients     int      `json:"patients"`
	Observations int      `json:"observations"`
	Bytes        int64    `json:"bytes"` // uncompressed
	Files        []string `json:"files"`
	// Records counts what each file holds, in the order of Files: its
	// lines as written, less a CSV file's header row (trial #12: the
	// summary is checked against the files).
	Records []synthRecords `json:"records"`
}

// synthRecords is the number of records (NDJSON lines, CSV rows after the
// header) one file holds.
type synthRecords struct {
	File    string `json:"file"`
	Records int    `json:"records"`
}

// runSynth implements "renalwatch synth --patients N --seed S --out DIR
// [--format ndjson|csv] [--gzip] [--json]".
func runSynth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("synth", "synth --patients N --seed S --out DIR [--format ndjson|csv] [--gzip] [--json]", synthExample, stderr)
	patients := fs.Int("patients", 100, "number of patients `N` (1 to 10,000,000)")
	seed := fs.Uint64("seed", 1, "random `SEED`: the same seed and version give the same bytes")
	out := fs.String("out", "", "output `DIR`: created if missing; it may hold only files synth writes, which are replaced")
	format := fs.String("format", "ndjson", "`FORMAT`: ndjson (FHIR Bulk Data) or csv (the import CSV layouts)")
	gz := fs.Bool("gzip", false, "gzip every file (name.gz)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("synth takes no arguments, got %q (give the output folder with --out DIR)", strings.Join(pos, " "))
	}
	if *out == "" {
		return badInputf("synth: --out DIR is required (run 'renalwatch synth --help')")
	}
	if *patients < 1 || *patients > maxSynthPatients {
		return badInputf("synth: --patients %d is out of range (accepted: 1 to %d)", *patients, maxSynthPatients)
	}
	f := synth.Format(*format)
	if f != synth.NDJSON && f != synth.CSVFormat {
		return badInputf("synth: --format %q is not known (accepted: ndjson, csv)", *format)
	}
	if err := checkSynthDir(*out); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return badInputf("synth: --out %s: %v", *out, err)
	}
	opt := synth.Options{Patients: *patients, Seed: *seed, Format: f, Workers: runtime.GOMAXPROCS(0)}
	sum := synthSummary{Out: *out, Format: *format, Seed: *seed, Version: synth.Version}
	st, files, records, err := writeSynth(ctx, opt, *out, *gz)
	if err != nil {
		return err
	}
	sum.Patients, sum.Observations, sum.Bytes, sum.Files, sum.Records = st.Patients, st.Observations, st.Bytes, files, records
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	what := "FHIR Observation resources"
	if f == synth.CSVFormat {
		what = "rows of observations.csv"
	}
	fmt.Fprintf(stdout, "Wrote %d synthetic %s (%d %s, %d bytes uncompressed) to %s, seed %d, generator version %s:\n",
		st.Patients, labtext.Noun(st.Patients, "patient", "patients"), st.Observations, what, st.Bytes, *out, *seed, synth.Version)
	width := 0
	for _, name := range files {
		width = max(width, len(name))
	}
	for _, r := range records {
		unit := labtext.Noun(r.Records, "record", "records")
		switch {
		case strings.HasPrefix(filepath.Base(r.File), synth.FileTruth):
			unit = labtext.Noun(r.Records, "patient", "patients")
		case f == synth.CSVFormat:
			unit = labtext.Noun(r.Records, "row", "rows")
		}
		fmt.Fprintf(stdout, "  %-*s %9d %s\n", width, r.File, r.Records, unit)
	}
	fmt.Fprintln(stdout, "The patients are invented; truth.ndjson holds each one's true course.")
	if f == synth.CSVFormat {
		// Its per-patient "observations" is the FHIR count, the same in
		// both formats: a blood pressure panel is one resource there, two
		// rows here, and findings.csv rows are Observations there.
		fmt.Fprintln(stdout, "Its \"observations\" field is each patient's count of FHIR Observation resources in either format: a blood pressure panel is one, findings are Observations.")
	}
	return nil
}

// synthNames is every name synth writes, in either format, gzipped or not:
// files a previous run left that this run may replace.
func synthNames() map[string]bool {
	names := map[string]bool{}
	for _, f := range []synth.Format{synth.NDJSON, synth.CSVFormat} {
		for _, n := range (synth.Options{Format: f}).Files() {
			names[n], names[n+".gz"] = true, true
		}
	}
	return names
}

// checkSynthDir refuses an output folder that holds anything synth did not
// write (a source folder, another export), so that a mistyped --out never
// mixes synthetic files into it. A missing or empty folder is fine.
func checkSynthDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return badInputf("synth: --out %s: %v", dir, err)
	}
	known := synthNames()
	var other []string
	for _, e := range entries {
		if !e.Type().IsRegular() || !known[e.Name()] {
			other = append(other, e.Name())
		}
	}
	if len(other) == 0 {
		return nil
	}
	more := ""
	if len(other) > 3 {
		more = fmt.Sprintf(" and %d more", len(other)-3)
		other = other[:3]
	}
	return badInputf("synth: --out %s holds files synth did not write (%s%s): give a new or empty folder",
		dir, strings.Join(other, ", "), more)
}

// synthFile is one output file: written to a temporary name and renamed
// when everything succeeded, so a failed run leaves no half-written file
// under a final name.
type synthFile struct {
	final, tmp string
	f          *os.File
	bw         *bufio.Writer
	gz         *gzip.Writer
	lines      int // newlines written (uncompressed)
}

func (s *synthFile) Write(b []byte) (n int, err error) {
	if s.gz != nil {
		n, err = s.gz.Write(b)
	} else {
		n, err = s.bw.Write(b)
	}
	s.lines += bytes.Count(b[:n], []byte{'\n'})
	return n, err
}

func (s *synthFile) close() error {
	var errs []error
	if s.gz != nil {
		errs = append(errs, s.gz.Close())
	}
	errs = append(errs, s.bw.Flush(), s.f.Close())
	return errors.Join(errs...)
}

// writeSynth writes the files of opt into dir and returns what synth.Write
// counted, the paths written and the records each holds, counted from
// the bytes written.
func writeSynth(ctx context.Context, opt synth.Options, dir string, gz bool) (synth.Stats, []string, []synthRecords, error) {
	var (
		files []*synthFile
		names []string
		ws    = map[string]io.Writer{}
	)
	cleanup := func() {
		for _, f := range files {
			f.f.Close()
			os.Remove(f.tmp)
		}
	}
	for _, name := range opt.Files() {
		final := name
		if gz {
			final += ".gz"
		}
		path := filepath.Join(dir, final)
		fh, err := os.CreateTemp(dir, "."+final+".*.tmp")
		if err != nil {
			cleanup()
			return synth.Stats{}, nil, nil, fmt.Errorf("synth: %w", err)
		}
		if err := fh.Chmod(0o644); err != nil {
			fh.Close()
			os.Remove(fh.Name())
			cleanup()
			return synth.Stats{}, nil, nil, fmt.Errorf("synth: %w", err)
		}
		sf := &synthFile{final: path, tmp: fh.Name(), f: fh, bw: bufio.NewWriterSize(fh, 1<<20)}
		if gz {
			sf.gz, _ = gzip.NewWriterLevel(sf.bw, gzip.BestSpeed)
		}
		files = append(files, sf)
		names = append(names, path)
		ws[name] = sf
	}
	st, err := synth.Write(ctx, opt, ws)
	for _, f := range files {
		if cerr := f.close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		cleanup()
		return st, nil, nil, fmt.Errorf("synth: %w", err)
	}
	for _, f := range files {
		if err := os.Rename(f.tmp, f.final); err != nil {
			cleanup()
			return st, nil, nil, fmt.Errorf("synth: %w", err)
		}
	}
	records := make([]synthRecords, len(files))
	for i, f := range files {
		n := f.lines
		if strings.HasSuffix(strings.TrimSuffix(f.final, ".gz"), ".csv") {
			n-- // the header row
		}
		records[i] = synthRecords{File: names[i], Records: n}
	}
	return st, names, records, nil
}
