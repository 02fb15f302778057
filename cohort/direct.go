package cohort

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"renalwatch/assess"

	"renalwatch/fhir"
	"renalwatch/record"
)

// indexed assesses bucket bi of the index path: each patient's runs are
// read from the files and decoded at once into that patient's batch, with
// no copy of the bucket and no regrouping of its items. A bucket the scan
// marked, or whose batches turn out not to be one patient each (a key the
// raw line gave that is not the decoded patient, two patients whose keys
// share a hash), is read whole in input order and assessed as the
// partition path assesses it.
func (w *worker) indexed(x *index, bi, nb int) (*bucketResult, error) {
	runs := x.bucket(bi)
	if x.fallback[bi] {
		return w.whole(x, runs, bi, nb)
	}
	// Group the runs by key hash, in order of first appearance, each
	// group's runs in input order (a counting sort).
	slot := w.slot
	clear(slot)
	if slot == nil {
		slot = map[uint32]int32{}
		w.slot = slot
	}
	gi := w.gi[:0]
	var count []int32
	for _, r := range runs {
		g, ok := slot[r.h]
		if !ok {
			g = int32(len(count))
			slot[r.h] = g
			count = append(count, 0)
		}
		gi = append(gi, g)
		count[g]++
	}
	w.gi = gi
	ends := make([]int32, len(count))
	var sum int32
	for g, c := range count {
		sum += c
		ends[g] = sum
	}
	order := make([]int32, len(runs))
	for k := len(runs) - 1; k >= 0; k-- {
		g := gi[k]
		ends[g]--
		order[ends[g]] = int32(k)
	}
	// ends[g] is now group g's first place in order.

	res := &bucketResult{}
	var (
		pending []Problem
		rows    []patientRow
		buf     []byte
	)
	if w.sess == nil {
		w.sess = (&fhir.Reader{Now: w.opt.Now}).NewSession()
	}
	asOf := w.opt.Day.Add(24*time.Hour - time.Nanosecond)
	for g := range count {
		grp := order[ends[g] : ends[g]+count[g]]
		data, err := w.read(x, runs, grp)
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
		res.resources += int64(r.Read)
		for _, rj := range r.Rejected {
			f, l := x.where(runs, grp, rj.Line)
			pending = append(pending, Problem{File: f, Line: l, ResourceType: rj.ResourceType, ID: rj.ID, Err: rj.Err})
		}
		id, ok := onePatient(b, runs[grp[0]].h, bi, nb)
		if !ok {
			return w.whole(x, runs, bi, nb)
		}
		if id == "" {
			continue // nothing mapped
		}
		// As group does for the partition path.
		var errs []error
		b.Observations, errs = w.dedupe.dedupe(b.Observations)
		for _, e := range errs {
			pending = append(pending, Problem{File: "(cohort)", ResourceType: "Observation", ID: id, Err: e})
		}
		n := len(b.Patients)
		if n == 0 {
			pending = append(pending, Problem{File: "(cohort)", ResourceType: "Patient", ID: id,
				Err: fmt.Errorf("no Patient resource %q in the cohort; %d items not assessed", id, b.Len())})
			continue
		}
		items := *b
		items.Patients = nil
		w.sorted = sortObservations(b.Observations, w.sorted)
		items.Observations = w.sorted
		tl := record.NewTimelineOwned(b.Patients[n-1], items)
		a := assess.Assess(tl, asOf, w.opt.Config)
		rep := a.Report(w.opt.Day)
		start := len(buf)
		if buf, err = w.enc.Append(buf, &rep); err != nil {
			return nil, err
		}
		sum := newSummary()
		sum.add(&rep, tl)
		rows = append(rows, patientRow{id: id, start: start, end: len(buf), sum: sum})
	}
	for _, p := range pending {
		if err := w.report(p); err != nil {
			return nil, err
		}
	}
	// Rows and summary in the order of the patient ids, as finish writes
	// and adds them.
	slices.SortFunc(rows, func(a, b patientRow) int { return strings.Compare(a.id, b.id) })
	res.byPatient = true
	res.rows = make([]byte, 0, len(buf))
	res.sum = newSummary()
	for _, r := range rows {
		res.rows = append(res.rows, buf[r.start:r.end]...)
		res.sum.merge(r.sum)
	}
	return res, nil
}

// patientRow is one patient's encoded row (buf[start:end]) and summary.
type patientRow struct {
	id         string
	start, end int
	sum        *Summary
}

// onePatient returns the one patient every item of b belongs to, and
// false when they are several, or one whose key hash is not h or whose
// bucket is not bi ("" and true when b is empty).
func onePatient(b *record.Batch, h uint32, bi, nb int) (string, bool) {
	id, seen := "", false
	same := func(p string) bool {
		if !seen {
			id, seen = p, true
			return true
		}
		return p == id
	}
	for _, x := range b.Patients {
		if !same(x.ID) {
			return "", false
		}
	}
	for _, x := range b.Observations {
		if !same(x.PatientID) {
			return "", false
		}
	}
	for _, x := range b.Conditions {
		if !same(x.PatientID) {
			return "", false
		}
	}
	for _, x := range b.Findings {
		if !same(x.PatientID) {
			return "", false
		}
	}
	for _, x := range b.Biopsies {
		if !same(x.PatientID) {
			return "", false
		}
	}
	for _, x := range b.Therapies {
		if !same(x.PatientID) {
			return "", false
		}
	}
	for _, x := range b.Replacements {
		if !same(x.PatientID) {
			return "", false
		}
	}
	for _, x := range b.Retractions {
		if !same(x.PatientID) {
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
