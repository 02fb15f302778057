package cohort

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"renalwatch/assess"

	"renalwatch/fhir"
	"renalwatch/record"
)

// The index path assesses a bucket in parts (Options.Workers and the
// number of buckets decide how many), so that the workers stay busy to the
// end of a run of a few large buckets: each part assesses a slice of the
// bucket's patients (indexedPart), and the worker that finishes the last
// part puts them together in the order of the patient ids (combine), which
// gives the bytes and the summary one worker would give.

// bucketPlan is a bucket of the index path: its runs grouped by patient
// key hash, in order of first appearance, and the parts assessed so far.
type bucketPlan struct {
	once  sync.Once
	runs  []run
	order []int32 // run indexes, group by group, each group's in input order
	ends  []int32 // group g's runs are order[ends[g-1]:ends[g]] (0 for g = 0)
	parts []*partResult
	left  atomic.Int32 // parts not finished yet
}

// group computes p.order and p.ends (a counting sort of the runs by group).
func (p *bucketPlan) group() {
	slot := map[uint32]int32{}
	gi := make([]int32, len(p.runs))
	var count []int32
	for k, r := range p.runs {
		g, ok := slot[r.h]
		if !ok {
			g = int32(len(count))
			slot[r.h] = g
			count = append(count, 0)
		}
		gi[k] = g
		count[g]++
	}
	ends := make([]int32, len(count))
	var sum int32
	for g, c := range count {
		sum += c
		ends[g] = sum
	}
	next := slices.Clone(ends)
	order := make([]int32, len(p.runs))
	for k := len(p.runs) - 1; k >= 0; k-- {
		g := gi[k]
		next[g]--
		order[next[g]] = int32(k)
	}
	p.order, p.ends = order, ends
}

// groupRuns returns the run indexes of group g.
func (p *bucketPlan) groupRuns(g int) []int32 {
	from := int32(0)
	if g > 0 {
		from = p.ends[g-1]
	}
	return p.order[from:p.ends[g]]
}

// partResult is what a part of a bucket found: its patients' rows, the
// problems to report once the bucket is known to be read patient by
// patient, and whether it must be read whole instead.
type partResult struct {
	rows      []patientRow
	pending   []Problem
	resources int64
	whole     bool
}

// patientRow is one patient's encoded row and summary.
type patientRow struct {
	id  string
	row []byte
	sum *Summary
}

// indexedPart assesses part k of n of bucket bi (the index path): each
// patient's runs are read from the files and decoded at once into that
// patient's batch, with no copy of the bucket and no regrouping of its
// items. A part whose batches turn out not to be one patient each (a key
// the raw line gave that is not the decoded patient, two patients whose
// keys share a hash) stops and asks for the bucket to be read whole.
func (w *worker) indexedPart(x *index, p *bucketPlan, bi, nb, k, n int) (*partResult, error) {
	p.once.Do(p.group)
	res := &partResult{}
	ng := len(p.ends)
	var buf []byte
	if w.sess == nil {
		w.sess = (&fhir.Reader{Now: w.opt.Now}).NewSession()
	}
	asOf := w.opt.Day.Add(24*time.Hour - time.Nanosecond)
	for g := k * ng / n; g < (k+1)*ng/n; g++ {
		grp := p.groupRuns(g)
		data, err := w.read(x, p.runs, grp)
		if err != nil {
			return nil, err
		}
		b := &w.batch
		*b = record.Batch{Patients: b.Patients[:0], Observations: b.Observations[:0], Conditions: b.Conditions[:0],
			Findings: b.Findings[:0], Biopsies: b.Biopsies[:0], Therapies: b.Therapies[:0], Replacements: b.Replacements[:0],
			Retractions: b.Retractions[:0]}
		r, err := w.sess.ReadBytesTo("bucket", data, b)
		if err != nil {
			return nil, err
		}
		if w.sess.TypeTwice() {
			return &partResult{whole: true}, nil // as the scan sends a Bundle's bucket
		}
		res.resources += int64(r.Read)
		for _, rj := range r.Rejected {
			res.resources -= notResource(rj)
			f, l := x.where(p.runs, grp, rj.Line)
			res.pending = append(res.pending, Problem{File: f, Line: l, ResourceType: rj.ResourceType, ID: rj.ID, Err: rj.Err})
		}
		id, ok := onePatient(b, p.runs[grp[0]].h, bi, nb)
		if !ok {
			return &partResult{whole: true}, nil
		}
		if id == "" {
			continue // nothing mapped
		}
		// As group does for the partition path.
		var errs []error
		b.Observations, errs = w.dedupe.dedupe(b.Observations)
		for _, e := range errs {
			res.pending = append(res.pending, Problem{File: "(cohort)", ResourceType: "Observation", ID: id, Err: e})
		}
		np := len(b.Patients)
		if np == 0 {
			res.pending = append(res.pending, orphan(id, b, func(l int) (string, int) { return x.where(p.runs, grp, l) }))
			continue
		}
		items := *b
		items.Patients = nil
		w.sorted = sortObservations(b.Observations, w.sorted)
		items.Observations = w.sorted
		at := func(l int) (string, int) { return x.where(p.runs, grp, l) }
		pt, us, _ := w.resolve(b.Patients, &items, at, func(e Problem) error { res.pending = append(res.pending, e); return nil })
		tl := record.NewTimelineOwned(pt, items)
		if us != nil {
			tl.SetUpdates(us)
		}
		a := assess.Assess(tl, asOf, w.opt.Config)
		rep := a.Report(w.opt.Day)
		start := len(buf)
		if buf, err = w.enc.Append(buf, &rep); err != nil {
			return nil, err
		}
		sum := newSummary()
		sum.add(&rep, tl)
		res.rows = append(res.rows, patientRow{id: id, row: buf[start:len(buf):len(buf)], sum: sum})
	}
	return res, nil
}

// combine puts the parts of bucket bi together: the problems in the order
// of the bucket's groups, then the rows and the summary in the order of
// the patient ids, as finish writes and adds them. A bucket a part could
// not read patient by patient is read whole in input order and assessed
// as the partition path assesses it.
func (w *worker) combine(x *index, p *bucketPlan, bi, nb int) (*bucketResult, error) {
	var rows []patientRow
	res := &bucketResult{byPatient: true, sum: newSummary()}
	for _, pr := range p.parts {
		if pr.whole {
			return w.whole(x, p.runs, bi, nb)
		}
	}
	n := 0
	for _, pr := range p.parts {
		for _, e := range pr.pending {
			if err := w.report(e); err != nil {
				return nil, err
			}
		}
		rows = append(rows, pr.rows...)
		res.resources += pr.resources
		for _, r := range pr.rows {
			n += len(r.row)
		}
	}
	slices.SortFunc(rows, func(a, b patientRow) int { return strings.Compare(a.id, b.id) })
	res.rows = make([]byte, 0, n)
	for _, r := range rows {
		res.rows = append(res.rows, r.row...)
		res.sum.merge(r.sum)
	}
	return res, nil
}

// onePatient returns the one patient every item of b belongs to, and
// false when they are several, or one whose key hash is not h or whose
// bucket is not bi ("" and true when b is empty). (It reads the items in
// place: a range loop's copy of each 176-byte observation cost more than
// the comparison.)
func onePatient(b *record.Batch, h uint32, bi, nb int) (string, bool) {
	id, seen := "", false
	same := func(p string) bool {
		if !seen {
			id, seen = p, true
			return true
		}
		return p == id
	}
	for i := range b.Patients {
		if !same(b.Patients[i].ID) {
			return "", false
		}
	}
	for i := range b.Observations {
		if !same(b.Observations[i].PatientID) {
			return "", false
		}
	}
	for i := range b.Conditions {
		if !same(b.Conditions[i].PatientID) {
			return "", false
		}
	}
	for i := range b.Findings {
		if !same(b.Findings[i].PatientID) {
			return "", false
		}
	}
	for i := range b.Biopsies {
		if !same(b.Biopsies[i].PatientID) {
			return "", false
		}
	}
	for i := range b.Therapies {
		if !same(b.Therapies[i].PatientID) {
			return "", false
		}
	}
	for i := range b.Replacements {
		if !same(b.Replacements[i].PatientID) {
			return "", false
		}
	}
	for i := range b.Retractions {
		if !same(b.Retractions[i].PatientID) {
			return "", false
		}
	}
	if !seen {
		return "", true
	}
	h64 := fnv64([]byte(id))
	return id, uint32(h64>>32) == h && int(h64%uint64(nb)) == bi
}

// read reads the runs runs[grp[k]] into the worker's buffer, each ending
// in a newline.
func (w *worker) read(x *index, runs []run, grp []int32) ([]byte, error) {
	var n int
	for _, k := range grp {
		n += int(runs[k].n) + 1
	}
	if cap(w.data) < n {
		w.data = make([]byte, 0, n+n/4)
	}
	buf := w.data[:0]
	for _, k := range grp {
		r := runs[k]
		at := len(buf)
		buf = buf[:at+int(r.n)]
		if _, err := x.files[r.file()].ReadAt(buf[at:], r.offset()); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF // the file shrank since the scan
			}
			return nil, fmt.Errorf("%s: %w", x.files[r.file()].Name(), err)
		}
		if buf[len(buf)-1] != '\n' {
			buf = append(buf, '\n') // the file's last line
		}
	}
	return buf, nil
}

// where returns the file and line of line k (1-based) of the batch that
// read runs[grp[...]].
func (x *index) where(runs []run, grp []int32, k int) (string, int) {
	for _, i := range grp {
		r := runs[i]
		if k >= 1 && k <= int(r.lines) {
			return x.files[r.file()].Name(), int(r.line) + k - 1
		}
		k -= int(r.lines)
	}
	return "(cohort bucket)", k
}

// whole reads all of a bucket's runs in input order and assesses it as the
// partition path does.
func (w *worker) whole(x *index, runs []run, bi, nb int) (*bucketResult, error) {
	grp := make([]int32, len(runs))
	var org []origin
	for k, r := range runs {
		grp[k] = int32(k)
		for l := range r.lines {
			org = append(org, mkOrigin(r.file(), int(r.line+l)))
		}
	}
	data, err := w.read(x, runs, grp)
	if err != nil {
		return nil, err
	}
	return w.bucket(bi, data, org, nb)
}
