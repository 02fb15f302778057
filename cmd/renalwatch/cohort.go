package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"renalwatch/cohort"
	"renalwatch/internal/inputs"
	"renalwatch/internal/labtext"
)

const cohortExample = `  renalwatch synth --patients 1000 --seed 42 --out synth-cohort
  renalwatch cohort synth-cohort --out cohort.csv --as-of 2026-01-01
  renalwatch cohort synth-cohort/Patient.ndjson synth-cohort/Observation.ndjson.gz ... --out rows.ndjson --format ndjson
  renalwatch cohort synth-cohort --out cohort.parquet   (then: duckdb -c "SELECT stage_g, count(*) FROM 'cohort.parquet' GROUP BY 1")
  renalwatch cohort synth-cohort --out cohort.csv --min-cell 10   (summary for sharing: counts below 10 withheld)
  renalwatch cohort synth-cohort --out cohort.csv --summary summary.json   (exact counts, for merging shards)
  renalwatch synth --patients 1000 --seed 42 --out synth-csv --format csv
  renalwatch cohort synth-csv --out cohort.csv   (the CSV layouts of 'import': a folder, or the files, .csv.gz too)

Reads FHIR Bulk Data NDJSON (folders, files, .gz) or the CSV layouts of 'import'
(patients, observations, therapies, diagnoses, findings, biopsies, events: a
folder of them or the files, .csv.gz too; one kind per run, patients file needed)
and writes one row per patient with the same assessment as 'renalwatch report
--json' (unrounded). The summary (counts by stage and risk, best renal response
by therapy class with Wilson 95% intervals, the landmark comparison, confirmed
renal flares per 100 lupus nephritis patient-years) goes to stderr, or as JSON
to --summary. The JSON keeps exact counts (to merge shards; not for sharing): with
--min-cell as well, the suppressed summary for sharing is printed to stderr
beside it. Exit status 2 when any line or row was malformed or rejected (listed
on stderr with file and line): the rows of everything else and the summary are
still written (with --strict nothing is). Exit 2 also for an input with no
resource (nothing written); 130 when interrupted (Ctrl-C: nothing written,
temporary files removed).`

// runCohort implements "renalwatch cohort INPUT... --out FILE [--format
// csv|ndjson|parquet] [--as-of DATE] [--workers N] [--memory SIZE] [--strict]
// [--min-cell K] [--summary FILE]".
func runCohort(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("cohort", "cohort INPUT... --out FILE [--format csv|ndjson|parquet] [--as-of YYYY-MM-DD] [--workers N] [--memory 512MB] [--strict] [--min-cell K] [--summary FILE] [--config FILE] [settings flags]", cohortExample, stderr)
	out := fs.String("out", "", "output `FILE` (written whole or not at all)")
	format := fs.String("format", "", "output `FORMAT`: csv, ndjson (one report --json document per line) or parquet (default from the --out extension: .csv or none, .ndjson or .jsonl, .parquet; another is refused)")
	asOfText := fs.String("as-of", "", "assess every record as it stood at the end of `DATE` (YYYY-MM-DD; default today, UTC)")
	workers := fs.Int("workers", 0, "patients assessed in parallel by `N` workers (default: all cores)")
	memText := fs.String("memory", "512MB", "memory `SIZE` (KB, MB, GB, KiB, MiB, GiB): the buckets of input held at once are planned in it, larger input spills to temporary files, and the Go heap is held to it (unless GOMEMLIMIT is set); peak RSS measured SIZE plus 15-50 MB (the runtime, mapped input pages; docs/cohort.md, Memory)")
	strict := fs.Bool("strict", false, "stop at the first malformed line or row, or rejected resource (the output is then not written)")
	minCell := fs.Int64("min-cell", 0, "in the summary, show counts below `K` (0 included; every category is listed) as <K and withhold rates built on them, and withhold (\"withheld\") any other count or rate that would give one back by subtraction from the counts shown: a line's total, the rows of the response and landmark tables that add up (complementary suppression; docs/cohort.md) (for sharing)")
	sumFile := fs.String("summary", "", "write the summary as JSON to `FILE` instead of text on stderr")
	cf := addConfigFlags(fs)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	cfg, _, err := cf.resolve()
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return badInputf("cohort: give at least one INPUT (a Bulk Data folder or NDJSON files, or the CSV layout files or their folder)")
	}
	if *out == "" {
		return badInputf("cohort: give the output file with --out FILE")
	}
	f, err := cohortFormat(*format, *out)
	if err != nil {
		return err
	}
	mem, err := parseSize(*memText)
	if err != nil {
		return badInputf("cohort: --memory %q: %v", *memText, err)
	}
	if *workers < 0 {
		return badInputf("cohort: --workers %d: give 0 (all cores) or more", *workers)
	}
	if *minCell < 0 {
		return badInputf("cohort: --min-cell %d: give 0 (no suppression) or more", *minCell)
	}
	day := now().UTC().Truncate(24 * time.Hour)
	if *asOfText != "" {
		if day, err = time.Parse(time.DateOnly, *asOfText); err != nil {
			return badInputf("cohort: --as-of %q is not a date; write YYYY-MM-DD, for example 2024-06-01", *asOfText)
		}
	}
	warnFutureAsOf(stderr, "cohort", day)
	// The files first, and the outputs checked against them before anything
	// is read or written (trial 12 F4: --out cp/Patient.ndjson replaced the
	// patients of the export).
	list, err := cohort.Inputs(pos)
	if err != nil {
		return badInputf("cohort: %v", err)
	}
	if err := cohort.CheckOutputs(list, map[string]string{"--out": *out, "--summary": *sumFile}); err != nil {
		return badInputf("cohort: %v; nothing was read or written", err)
	}
	for _, t := range list.Twice {
		what := "is given twice"
		if t.Again != t.First {
			what = "is the same file as " + safeText(t.First)
		}
		fmt.Fprintf(stderr, "renalwatch: cohort: warning: %s %s; it is read once\n", safeText(t.Again), what)
	}
	var mu sync.Mutex
	opt := cohort.Options{Inputs: pos, Out: *out, Format: f, Day: day, Now: now(), Config: cfg,
		Workers: *workers, Memory: mem, Strict: *strict,
		Problem: func(p cohort.Problem) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(stderr, "renalwatch: cohort: %s\n", safeText(p.Error()))
		},
		Warning: func(s string) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(stderr, "renalwatch: cohort: warning: %s\n", safeText(s))
		}}
	var bar *progressBar
	if isTerminal(stderr) {
		bar = &progressBar{w: stderr, start: time.Now()}
		opt.Progress = func(p cohort.Progress) {
			mu.Lock()
			defer mu.Unlock()
			bar.show(p)
		}
	}
	if p := os.Getenv("RENALWATCH_CPUPROFILE"); p != "" { // bench/cohort PROFILE=1
		stop, err := startCPUProfile(p)
		if err != nil {
			return err
		}
		defer stop()
	}
	defer cohortGC(mem, os.LookupEnv)()
	sum, st, err := cohort.Run(ctx, opt)
	if bar != nil {
		bar.clear()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			// Ctrl-C: a plain line, no "context canceled" (trial 12 F14).
			return &interruptedError{fmt.Sprintf("cohort: interrupted; %s not written (the temporary files were removed)", safeText(*out))}
		}
		if errors.Is(err, cohort.ErrNothing) {
			return badInputf("cohort: %v; %s not written", err, safeText(*out))
		}
		if errors.Is(err, cohort.ErrStrict) {
			// The problem is printed above (trial 13 F10f: it was
			// printed again here).
			return badInputf("cohort: stopped at the first problem, above (--strict); %s not written", safeText(*out))
		}
		var pe *os.PathError
		var ie *inputs.Error
		if errors.As(err, &pe) || errors.As(err, &ie) {
			return badInputf("cohort: %v", outError(*out, err))
		}
		return fmt.Errorf("cohort: %w", err)
	}
	// A plain line, not "renalwatch: cohort: …", the prefix of an error
	// (trial #31).
	listSkipped(stderr, list.Skipped)
	fmt.Fprintf(stderr, "Wrote the rows of %s from %s in %s (%s; %s) to %s\n",
		patientCount(st.Patients, *minCell), count(st.Resources, st.Unit()), count(st.Files, "file"), count(st.Lines, "line"), count(st.Problems, "problem"), safeText(*out))
	if *sumFile != "" {
		err = writeAtomic(*sumFile, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(newSummaryJSON(sum, st, day, cfg, *minCell))
		})
		if err != nil {
			return badInputf("cohort: --summary: %v", outError(*sumFile, err))
		}
		if *minCell > 0 {
			// The JSON is for merging shards and keeps every count; the
			// summary to share is the one printed (trial 5 #2: with the
			// help's own example, the file held counts of 1 and 3 and no
			// word said --min-cell had not touched it).
			fmt.Fprintf(stderr, "%s holds the exact counts (to merge shards; not for sharing). ", safeText(*sumFile))
			fmt.Fprintf(stderr, sharingLine, *minCell)
			err = sum.Write(stderr, *minCell)
		}
	} else {
		if *minCell > 0 {
			fmt.Fprintf(stderr, sharingLine, *minCell)
		}
		err = sum.Write(stderr, *minCell)
	}
	if err == nil && st.Problems > 0 {
		// Exit 2 as import does for rejected lines (trial-cli #17): a
		// pipeline that checks $? must not read a run with problems as a
		// clean one. The rows and the summary are still written.
		return badInputf("cohort: %s (listed above); the rows of everything else were written", count(st.Problems, "problem"))
	}
	return err
}

// count is "1 patient" or "2 patients".
func count[N int | int64](n N, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func cohortFormat(name, out string) (cohort.Format, error) {
	if name == "" {
		// The format from the extension; an unknown one is refused rather
		// than written as CSV under its name (trial #31: --out s50.xlsx).
		switch ext := strings.ToLower(filepath.Ext(out)); ext {
		case ".ndjson", ".jsonl":
			name = "ndjson"
		case ".parquet":
			name = "parquet"
		case ".csv", "":
			name = "csv"
		default:
			return nil, badInputf("cohort: --out %s: the extension %s is not a format cohort writes (csv, ndjson, parquet: .csv, .ndjson or .jsonl, .parquet); give one of them, or --format", safeText(out), safeText(ext))
		}
	}
	switch name {
	case "csv":
		return cohort.CSV{}, nil
	case "ndjson":
		return cohort.NDJSON{}, nil
	case "parquet":
		return cohort.Parquet{}, nil
	}
	return nil, badInputf("cohort: --format %q: want csv, ndjson or parquet", name)
}

// parseSize reads a memory size: a number with KB, MB, GB (powers of
// 1000), KiB, MiB, GiB (powers of 1024), or bytes.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}} {
		if v, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(v), u.m
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n <= 0 || n*float64(mult) > 1<<50 {
		return 0, errors.New("want a size such as 512MB or 2GiB")
	}
	if v := int64(n * float64(mult)); v >= 16<<20 {
		return v, nil
	}
	return 0, errors.New("want at least 16MiB")
}

// progressBar is a one-line progress display on a terminal (rows/s, ETA).
// Hand-rolled (30 lines) rather than github.com/schollz/progressbar/v3: the
// cohort has two phases with different units, and a dependency for one
// line of output is not worth its weight.
type progressBar struct {
	w     io.Writer
	start time.Time // of the current phase
	phase string
	last  time.Time
	shown bool
}

func (b *progressBar) show(p cohort.Progress) {
	t := time.Now()
	if p.Phase != b.phase {
		if b.phase != "" { // the first phase is timed from the bar's start
			b.start = t
		}
		b.phase = p.Phase
	}
	if t.Sub(b.last) < 200*time.Millisecond {
		return
	}
	b.last = t
	el := t.Sub(b.start).Seconds()
	rate := ""
	switch {
	case el <= 0:
	case p.Phase == "assess":
		rate = fmt.Sprintf(" %s (%.0f/s)", labtext.Count(p.Patients, "patient"), float64(p.Patients)/el)
	default: // partition: bytes read
		rate = fmt.Sprintf(" %.0f MB read (%.0f MB/s)", float64(p.Done)/1e6, float64(p.Done)/1e6/el)
	}
	if p.Total <= 0 {
		// gzip input: its size once decompressed is not known, so no
		// share and no ETA, only how much was read and how fast.
		fmt.Fprintf(b.w, "\r%-9s%s\x1b[K", p.Phase, rate)
		b.shown = true
		return
	}
	frac := min(1, float64(p.Done)/float64(p.Total))
	const width = 30
	n := int(frac * width)
	eta := ""
	if frac > 0.01 && el > 0.5 {
		eta = fmt.Sprintf(" ETA %s", time.Duration(el*(1-frac)/frac*float64(time.Second)).Round(time.Second))
	}
	fmt.Fprintf(b.w, "\r%-9s [%s%s] %3.0f%%%s%s\x1b[K", p.Phase, strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*frac, rate, eta)
	b.shown = true
}

func (b *progressBar) clear() {
	if b.shown {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
}

// writeAtomic writes a file through a temporary file renamed over it.
func writeAtomic(path string, fn func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// startCPUProfile writes a CPU profile to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// cohortGC sets the garbage collector for a cohort run with a --memory
// budget of mem bytes and returns the function that restores the previous
// settings. A GOGC or GOMEMLIMIT the user set in the environment (looked up
// with lookup) is kept as the runtime read it.
//
// Without GOMEMLIMIT: a soft limit of mem on the memory the Go runtime
// manages (heap, stacks, its own structures). The buckets are sized so that
// the live heap stays well below mem (about half of it, mem/4 of raw lines
// at a time in all); the limit makes the collector collect garbage before
// the heap passes mem. It was 1.5 × mem, which let a run with --memory 64MB
// reach 102-172 MB RSS (trial 12 F9); at mem, 1,000 synthetic patients as
// gzip (7.5 MB) peak at 79-80 MB RSS instead of 112-114 MB, for about 25%
// more CPU in that run (docs/cohort.md "Memory"). What the limit cannot
// hold is listed there (the runtime and binary, the pages of mapped input).
//
// Without GOGC: collect when the heap is 11 times what survived the last
// collection rather than twice (GOGC 1000). Reading uncompressed files, the
// live heap is a few patients and the line index (tens of MB), so GOGC 100
// collects every few MB decoded, and the collector (with its write barriers
// in the sorts) cost a quarter of the CPU. The limit still bounds the heap
// (1,000 patients: 30 -> 80 MiB RSS, CPU -25%; bench/README.md).
func cohortGC(mem int64, lookup func(string) (string, bool)) func() {
	var restore []func()
	if _, set := lookup("GOMEMLIMIT"); !set {
		limit := debug.SetMemoryLimit(mem)
		restore = append(restore, func() { debug.SetMemoryLimit(limit) })
	}
	if _, set := lookup("GOGC"); !set {
		percent := debug.SetGCPercent(1000)
		restore = append(restore, func() { debug.SetGCPercent(percent) })
	}
	return func() {
		for _, f := range restore {
			f()
		}
	}
}
