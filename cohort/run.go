package cohort

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/record"
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
	// Problem is told of every rejected line or resource (may be nil).
	Problem func(Problem)
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
		return fmt.Sprintf("%s:%d: %s/%s: %v", p.File, p.Line, p.ResourceType, p.ID, p.Err)
	}
	return fmt.Sprintf("%s:%d: %v", p.File, p.Line, p.Err)
}

func (p Problem) Unwrap() error { return p.Err }

// Progress is the state of a run: Phase "partition" counts input bytes
// read (Done of Total, estimated for gzip), Phase "assess" counts buckets.
type Progress struct {
	Phase       string
	Done, Total int64
	Patients    int64
}

// ErrStrict wraps the first problem when Options.Strict stops a run.
var ErrStrict = errors.New("stopped at the first problem (--strict)")

// Stats are the counts of a run.
type Stats struct {
	Files     int
	Lines     int64
	Resources int64 // resources read by the FHIR mapping
	Patients  int64 // rows written
	Problems  int64
	Buckets   int
	Spilled   bool
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
	ins, err := expandInputs(opt.Inputs)
	if err != nil {
		return nil, st, err
	}
	st.Files = len(ins)
	var total int64
	for _, in := range ins {
		total += in.estimate()
	}
	// Plan: a bucket's raw lines are about a quarter of the budget per
	// worker (mapping them costs a few times their size); the buckets stay
	// in memory when the whole input fits in half the budget.
	per := max(opt.Memory/int64(4*opt.Workers), 1<<20)
	nb := int(max(1, min(total/per+1, 1<<16)))
	spill := total > opt.Memory/2
	flushAt := int(max(64<<10, min(opt.Memory/int64(4*nb), 4<<20)))
	st.Buckets, st.Spilled = nb, spill
	part := newPartitioner(nb, spill, opt.TempDir, flushAt)
	defer part.close()

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

	// Phase 1: partition.
	var read int64
	for fi, in := range ins {
		if err := ctx.Err(); err != nil {
			return nil, st, err
		}
		rc, err := in.open()
		if err != nil {
			return nil, st, err
		}
		cr := &countReader{r: rc}
		err = readLines(cr, func(n int, line []byte, long bool) error {
			st.Lines++
			if n&0xffff == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				if opt.Progress != nil {
					opt.Progress(Progress{Phase: "partition", Done: read + cr.n*in.estimate()/max(in.size, 1), Total: total})
				}
			}
			if long {
				return report(Problem{File: in.path, Line: n, Err: fmt.Errorf("%w: longer than %d MiB; not read", fhir.ErrTooLong, fhir.MaxLine>>20)})
			}
			if len(bytes.TrimSpace(line)) == 0 {
				return nil
			}
			return part.add(line, mkOrigin(fi, n))
		})
		rc.Close()
		if err != nil {
			return nil, st, err
		}
		read += in.estimate()
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
	var resources atomic.Int64
	var wg sync.WaitGroup
	var errOnce sync.Once
	var runErr error
	fail := func(err error) {
		errOnce.Do(func() { runErr = err; cancel() })
	}
	var partMu sync.Mutex // partition.load touches files; one load at a time
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{opt: &opt, ins: ins, report: report, enc: opt.Format.NewEncoder()}
			for {
				i := int(next.Add(1) - 1)
				if i >= nb || ctx.Err() != nil {
					return
				}
				partMu.Lock()
				data, org, err := part.load(i, w.data)
				partMu.Unlock()
				if err != nil {
					fail(err)
					return
				}
				res, err := w.bucket(i, data, org, nb)
				if err != nil {
					fail(err)
					return
				}
				w.data = data // nothing read from it refers to it: reused for the next spilled bucket
				resources.Add(res.resources)
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
	st.Problems = problems.Load()
	if runErr != nil {
		return nil, st, runErr
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

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// worker maps and assesses buckets.
type worker struct {
	opt    *Options
	ins    []input
	report func(Problem) error
	enc    Encoder
	data   []byte // the last bucket's lines
}

// bucketResult is one bucket's encoded rows and summary.
type bucketResult struct {
	rows      []byte
	sum       *Summary
	resources int64
}

// bucket maps a bucket's lines, groups them by patient, assesses each
// patient and encodes the rows (by patient id).
func (w *worker) bucket(bi int, data []byte, org []origin, nb int) (*bucketResult, error) {
	res := &bucketResult{sum: newSummary()}
	if len(org) == 0 {
		return res, nil
	}
	where := func(line int) (string, int) {
		if line < 1 || line > len(org) {
			return "(cohort bucket)", line
		}
		o := org[line-1]
		return w.ins[o.file()].path, o.line()
	}
	// The bucket is read in place, in chunks, each chunk's items going to
	// their patient's group at once (no batch of the whole bucket).
	rd := fhir.Reader{Now: w.opt.Now}
	gs := map[string]*group{}
	r, err := rd.ReadBytes("bucket", data, 4096, func(b *record.Batch, rejected []fhir.Rejection) error {
		for _, rj := range rejected {
			f, l := where(rj.Line)
			if err := w.report(Problem{File: f, Line: l, ResourceType: rj.ResourceType, ID: rj.ID, Err: rj.Err}); err != nil {
				return err
			}
		}
		addToGroups(gs, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.resources = int64(r.Read)
	groups, err := w.group(gs, bi, nb)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var buf []byte
	for _, id := range ids {
		g := groups[id]
		tl := record.NewTimelineOwned(g.patient, g.b)
		a := assess.Assess(tl, w.opt.Day.Add(24*time.Hour-time.Nanosecond), w.opt.Config)
		rep := a.Report(w.opt.Day)
		if buf, err = w.enc.Append(buf, &rep); err != nil {
			return nil, err
		}
		res.sum.add(&rep, tl)
		delete(groups, id)
	}
	res.rows = buf
	return res, nil
}

type group struct {
	patient record.Patient
	has     bool
	b       record.Batch
}

// addToGroups adds a batch's items to their patients' groups.
func addToGroups(gs map[string]*group, b *record.Batch) {
	get := func(id string) *group {
		g := gs[id]
		if g == nil {
			g = &group{}
			gs[id] = g
		}
		return g
	}
	for _, p := range b.Patients {
		g := get(p.ID)
		g.patient, g.has = p, true
	}
	for _, x := range b.Observations {
		g := get(x.PatientID)
		g.b.Observations = append(g.b.Observations, x)
	}
	for _, x := range b.Conditions {
		g := get(x.PatientID)
		g.b.Conditions = append(g.b.Conditions, x)
	}
	for _, x := range b.Findings {
		g := get(x.PatientID)
		g.b.Findings = append(g.b.Findings, x)
	}
	for _, x := range b.Biopsies {
		g := get(x.PatientID)
		g.b.Biopsies = append(g.b.Biopsies, x)
	}
	for _, x := range b.Therapies {
		g := get(x.PatientID)
		g.b.Therapies = append(g.b.Therapies, x)
	}
	for _, x := range b.Replacements {
		g := get(x.PatientID)
		g.b.Replacements = append(g.b.Replacements, x)
	}
}

// group checks a bucket's groups (addToGroups): duplicate observations
// are dropped, and items of a patient with no Patient resource are
// rejected, as the store rejects them.
func (w *worker) group(gs map[string]*group, bi, nb int) (map[string]*group, error) {
	seen, ids := map[measurement]struct{}{}, map[string]measurement{}
	for id, g := range gs {
		var errs []error
		g.b.Observations, errs = dedupe(g.b.Observations, seen, ids)
		for _, e := range errs {
			if err := w.report(Problem{File: "(cohort)", ResourceType: "Observation", ID: id, Err: e}); err != nil {
				return nil, err
			}
		}
		var why error
		switch {
		case bucketOf(id, nb) != bi:
			why = fmt.Errorf("its patient reference could not be read before mapping (escaped characters?); patient %q not assessed", id)
		case !g.has:
			why = fmt.Errorf("no Patient resource %q in the cohort; %d items not assessed", id, g.b.Len())
		}
		if why != nil {
			delete(gs, id)
			if err := w.report(Problem{File: "(cohort)", ResourceType: "Patient", ID: id, Err: why}); err != nil {
				return nil, err
			}
		}
	}
	return gs, nil
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
