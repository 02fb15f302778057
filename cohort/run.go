package cohort

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
)

// Options configure a run.
type Options struct {
	Inputs []string      // files and folders
	Out    string        // output file, written atomically
	Format Format        // row encoding
	Day    time.Time     // the as-of day (UTC midnight): the record as it stood at its end
	Now    time.Time     // reading time: resources dated after it are rejected
	Config assess.Config // as for report
	// Workers assess buckets in parallel (0: GOMAXPROCS).
	Workers int
	// Memory is the budget in bytes for the input held in memory (0:
	// 512 MiB). Above half of it, the partition spills to temporary files
	// in TempDir (default os.TempDir()).
	Memory  int64
	TempDir string
	// Strict stops at the first malformed line or rejected resource.
	Strict bool
	// noIndex takes the partition path for uncompressed files too (tests).
	noIndex   bool
	scanChunk int64 // bytes a scan task reads (0: scanChunk)
	scanSlack int64 // bytes a scan task maps past its range (0: scanSlack)
	// Problem is told of every rejected line or resource (may be nil).
	Problem func(Problem)
	// Warning is told of what is read but not refused (may be nil): a
	// Patient sent again with other details, as import lists it. Calls
	// may come from several goroutines at once.
	Warning func(string)
	// Progress is told how far the run is (may be nil); calls come from
	// one goroutine at a time.
	Progress func(Progress)
}

// Problem is a line or resource that was not taken, with where it was.
type Problem struct {
	File         string
	Line         int
	ResourceType string
	ID           string
	Err          error
}

func (p Problem) Error() string {
	if p.ResourceType != "" {
		return fmt.Sprintf("%s:%d: %s: %v", p.File, p.Line, fhir.Rejection{ResourceType: p.ResourceType, ID: p.ID}.Label(), p.Err)
	}
	return fmt.Sprintf("%s:%d: %v", p.File, p.Line, p.Err)
}

func (p Problem) Unwrap() error { return p.Err }

// Progress is the state of a run: Phase "partition" counts input bytes
// read (Done of Total; Total 0 when unknown, for gzip input), Phase
// "assess" counts buckets.
type Progress struct {
	Phase       string
	Done, Total int64
	Patients    int64
}

// ErrStrict wraps the first problem when Options.Strict stops a run.
var ErrStrict = errors.New("stopped at the first problem (--strict)")

// ErrNothing is returned, and the output not written, when the inputs hold
// no resource and no problem (empty files): a header-only output and exit 0
// read as a clean run of an empty export (trial 12 F8; import exits 2).
var ErrNothing = errors.New("nothing was read: the input holds no resource (an empty file or folder)")

// Stats are the counts of a run.
type Stats struct {
	Files     int
	Lines     int64
	Resources int64 // resources read by the FHIR mapping, or CSV rows read by csvio's (CSV)
	CSV       bool  // the inputs are CSV layout files
	Patients  int64 // rows written
	Problems  int64
	Buckets   int
	Spilled   bool
	// byPatient counts the buckets read patient by patient (the index
	// path without a fallback to the whole bucket; tests).
	byPatient int64
}

// Unit names what Resources counts: "row" for CSV input (trial 13 F10c:
// "from 1249324 resources" for CSV rows), else "resource".
func (st Stats) Unit() string {
	if st.CSV {
		return "row"
	}
	return "resource"
}

// Run reads the inputs, assesses every patient and writes the output
// atomically. It returns the summary of the cohort and the counts.
func Run(ctx context.Context, opt Options) (*Summary, Stats, error) {
	var st Stats
	if opt.Format == nil {
		return nil, st, errors.New("cohort: no output format")
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Memory <= 0 {
		opt.Memory = 512 << 20
	}
	ins, csv, err := expandAll(opt.Inputs) // csvinput.go
	if err != nil {
		return nil, st, err
	}
	st.Files, st.CSV = len(ins), csv != nil
	order := importOrder(ins) // birth.go
	var total int64
	for _, in := range ins {
		total += in.estimate()
	}
	// Plan: a bucket's raw lines are about a quarter of the budget per
	// worker (mapping them costs a few times their size); the buckets stay
	// in memory when the whole input fits in half the budget.
	per := max(opt.Memory/int64(4*opt.Workers), 1<<20)
	if csv != nil {
		per = max(per/csvExpansion, 1<<20) // csvinput.go
	}
	nb := int(max(1, min(total/per+1, 1<<16)))
	spill := total > opt.Memory/2
	flushAt := int(max(64<<10, min(opt.Memory/int64(4*nb), 4<<20)))
	st.Buckets = nb

	var problems atomic.Int64
	var probMu sync.Mutex
	var firstStrict error
	report := func(p Problem) error {
		problems.Add(1)
		probMu.Lock()
		defer probMu.Unlock()
		if opt.Problem != nil {
			opt.Problem(p)
		}
		if opt.Strict && firstStrict == nil {
			firstStrict = fmt.Errorf("%w: %w", ErrStrict, p)
		}
		if opt.Strict {
			return firstStrict
		}
		return nil
	}

	// Phase 1: an index of the lines by patient (uncompressed files), else
	// a partition of the lines into buckets, spilled when large.
	var x *index
	files, err := plainInputs(ins)
	if err != nil {
		return nil, st, err
	}
	if files != nil && !opt.noIndex && csv == nil {
		var progress func(int64)
		if opt.Progress != nil {
			progress = func(d int64) { opt.Progress(Progress{Phase: "partition", Done: d, Total: total}) }
		}
		maxRuns := opt.Memory / 4 / runSize
		chunk := opt.scanChunk
		if chunk <= 0 {
			chunk = scanChunk
		}
		slack := opt.scanSlack
		if slack <= 0 {
			slack = scanSlack
		}
		x, err = scanIndex(ctx, ins, files, nb, opt.Workers, chunk, slack, maxRuns, progress)
		switch {
		case errors.Is(err, errIndexTooBig):
			x = nil
		case err != nil:
			closeFiles(files)
			return nil, st, err
		}
	}
	var part *partitioner
	if x != nil {
		defer x.close()
		st.Lines = x.lines
		for _, p := range x.long {
			if err := report(p); err != nil {
				return nil, st, err
			}
		}
	} else {
		closeFiles(files)
		st.Spilled = spill
		part = newPartitioner(nb, spill, opt.TempDir, flushAt)
		defer part.close()
		if csv != nil {
			st.Lines, err = csv.partition(ctx, &opt, ins, total, part, report)
		} else {
			st.Lines, err = partitionInputs(ctx, &opt, ins, total, files != nil, part, report)
		}
		if err != nil {
			return nil, st, err
		}
	}

	// Phase 2: assess, bucket by bucket on all workers; rows written in
	// bucket order.
	dir := filepath.Dir(opt.Out)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(opt.Out)+".tmp-*")
	if err != nil {
		return nil, st, err
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	out := newOrderedWriter(tmp, opt.Format)
	if err := out.begin(); err != nil {
		return nil, st, err
	}
	sum := newSummary()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var done, assessed atomic.Int64
	var resources, byPatient atomic.Int64
	var wg sync.WaitGroup
	var errOnce sync.Once
	var runErr error
	fail := func(err error) {
		errOnce.Do(func() { runErr = err; cancel() })
	}
	var partMu sync.Mutex // partition.load touches files; one load at a time
	tasks, plans := planTasks(x, nb, opt.Workers)
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{opt: &opt, ins: ins, report: report, enc: opt.Format.NewEncoder(), order: order}
			var err error
			for {
				ti := int(next.Add(1) - 1)
				if ti >= len(tasks) || ctx.Err() != nil {
					return
				}
				t := tasks[ti]
				i := t.bucket
				var res *bucketResult
				switch {
				case csv != nil:
					res, err = w.csvPartitioned(csv, part, &partMu, i, nb)
				case x == nil:
					res, err = w.partitioned(part, &partMu, i, nb)
				case plans[i] == nil:
					res, err = w.whole(x, x.bucket(i), i, nb)
				default:
					p := plans[i]
					var pr *partResult
					if pr, err = w.indexedPart(x, p, i, nb, t.part, len(p.parts)); err == nil {
						p.parts[t.part] = pr
						if p.left.Add(-1) > 0 {
							continue // another worker puts the bucket together
						}
						res, err = w.combine(x, p, i, nb)
						plans[i] = nil
					}
				}
				if err != nil {
					fail(err)
					return
				}
				resources.Add(res.resources)
				if res.byPatient {
					byPatient.Add(1)
				}
				if err := out.put(i, res); err != nil {
					fail(err)
					return
				}
				d := done.Add(1)
				np := assessed.Add(res.sum.Patients)
				if opt.Progress != nil {
					out.progress(func() { opt.Progress(Progress{Phase: "assess", Done: d, Total: int64(nb), Patients: np}) })
				}
			}
		}()
	}
	wg.Wait()
	if runErr == nil {
		runErr = ctx.Err()
	}
	st.Resources = resources.Load()
	st.byPatient = byPatient.Load()
	st.Problems = problems.Load()
	if runErr != nil {
		return nil, st, runErr
	}
	if st.Resources == 0 && st.Problems == 0 {
		return nil, st, ErrNothing
	}
	if err := out.end(); err != nil {
		return nil, st, err
	}
	for _, s := range out.sums {
		sum.merge(s)
	}
	st.Patients = sum.Patients
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600
		return nil, st, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, st, err
	}
	if err := tmp.Close(); err != nil {
		return nil, st, err
	}
	if err := os.Rename(tmp.Name(), opt.Out); err != nil {
		return nil, st, err
	}
	tmp = nil
	return sum, st, nil
}

// task is a part of a bucket for a worker to assess.
type task struct{ bucket, part int }

// planTasks splits the buckets of the index path read patient by patient
// into parts, enough for about 16 tasks per worker in all, so that no
// worker waits long for the last large bucket of another (the number of
// buckets depends on the input and the memory budget, not the workers).
// plans[b] is nil for a bucket assessed in one task (the partition path,
// and buckets read whole).
func planTasks(x *index, nb, workers int) ([]task, []*bucketPlan) {
	plans := make([]*bucketPlan, nb)
	n := min(max(1, (16*workers+nb-1)/nb), 64)
	var tasks []task
	for b := range nb {
		if x == nil || x.fallback[b] {
			tasks = append(tasks, task{b, 0})
			continue
		}
		plans[b] = &bucketPlan{runs: x.bucket(b), parts: make([]*partResult, n)}
		plans[b].left.Store(int32(n))
		for k := range n {
			tasks = append(tasks, task{b, k})
		}
	}
	return tasks, plans
}

// orderedWriter writes the buckets' rows in bucket order.
type orderedWriter struct {
	mu      sync.Mutex
	w       io.Writer
	f       Format
	rw      RowWriter
	next    int
	pending map[int]*bucketResult
	sums    []*Summary
	progMu  sync.Mutex
}

func newOrderedWriter(w io.Writer, f Format) *orderedWriter {
	return &orderedWriter{w: w, f: f, pending: map[int]*bucketResult{}}
}

func (o *orderedWriter) begin() error {
	var err error
	o.rw, err = o.f.NewWriter(o.w)
	return err
}

func (o *orderedWriter) put(i int, r *bucketResult) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pending[i] = r
	for {
		r, ok := o.pending[o.next]
		if !ok {
			return nil
		}
		delete(o.pending, o.next)
		o.next++
		if err := o.rw.Write(r.rows); err != nil {
			return err
		}
		o.sums = append(o.sums, r.sum)
	}
}

func (o *orderedWriter) progress(fn func()) {
	o.progMu.Lock()
	defer o.progMu.Unlock()
	fn()
}

func (o *orderedWriter) end() error { return o.rw.Close() }
