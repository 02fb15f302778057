package cohort

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/record"
)

// worker maps and assesses buckets.
type worker struct {
	opt    *Options
	ins    []input
	report func(Problem) error
	enc    Encoder
	data   []byte               // the last bucket's lines
	batch  record.Batch         // indexed: the arrays a patient's items are read into, reused
	sorted []record.Observation // indexed: the patient's observations in the timeline's order, reused
	sess   *fhir.Session        // indexed: the decoder's tables, kept from patient to patient
	dedupe deduper              // indexed: its tables, reused
	order  map[string]int       // each input's place in import's order of files (resolve)
}

// partitioned loads bucket i of the partition (one load at a time: loads
// touch the spill files) and assesses it.
func (w *worker) partitioned(part *partitioner, mu *sync.Mutex, i, nb int) (*bucketResult, error) {
	mu.Lock()
	data, org, err := part.load(i, w.data)
	mu.Unlock()
	if err != nil {
		return nil, err
	}
	res, err := w.bucket(i, data, org, nb)
	w.data = data // nothing read from it refers to it: reused for the next spilled bucket
	return res, err
}

// bucketResult is one bucket's encoded rows and summary.
type bucketResult struct {
	rows      []byte
	sum       *Summary
	resources int64
	byPatient bool // read patient by patient (indexed)
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
	var notResources int64
	r, err := rd.ReadBytes("bucket", data, 4096, func(b *record.Batch, rejected []fhir.Rejection) error {
		for _, rj := range rejected {
			notResources += notResource(rj)
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
	res.resources = int64(r.Read) - notResources
	return w.finish(res, gs, bi, nb, where)
}

// notResource is 1 for a rejected line that is not a resource (not JSON,
// or no resourceType), which the reader counts as read: the counts of a
// run are of resources (trial 12 F10: "from 2 resources ... 2 problems"
// for two lines of text).
func notResource(rj fhir.Rejection) int64 {
	if rj.ResourceType == "" {
		return 1
	}
	return 0
}

// finish checks a bucket's groups (group), assesses each patient in the
// order of their ids and encodes the rows and the summary into res.
func (w *worker) finish(res *bucketResult, gs map[string]*group, bi, nb int, where func(int) (string, int)) (*bucketResult, error) {
	groups, err := w.group(gs, bi, nb, where)
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
		p, us, err := w.resolve(g.patients, &g.b, where, w.report) // birth.go
		if err != nil {
			return nil, err
		}
		tl := record.NewTimelineOwned(p, g.b)
		if us != nil {
			tl.SetUpdates(us)
		}
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
	patients []record.Patient // in the order read (resolve)
	b        record.Batch
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
		g.patients = append(g.patients, p)
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
	for _, x := range b.Retractions {
		g := get(x.PatientID)
		g.b.Retractions = append(g.b.Retractions, x)
	}
}

// group checks a bucket's groups (addToGroups): duplicate observations
// are dropped, and items of a patient with no Patient resource are
// rejected, as the store rejects them (at the line of the first, where).
func (w *worker) group(gs map[string]*group, bi, nb int, where func(int) (string, int)) (map[string]*group, error) {
	seen, ids := map[measurement]struct{}{}, map[string]measurement{}
	for id, g := range gs {
		var errs []error
		g.b.Observations, errs = dedupe(g.b.Observations, seen, ids)
		for _, e := range errs {
			if err := w.report(Problem{File: "(cohort)", ResourceType: "Observation", ID: id, Err: e}); err != nil {
				return nil, err
			}
		}
		var p *Problem
		switch {
		case bucketOf(id, nb) != bi:
			p = &Problem{File: "(cohort)", ResourceType: "Patient", ID: id,
				Err: fmt.Errorf("its patient reference could not be read before mapping (escaped characters?); patient %q not assessed", id)}
		case len(g.patients) == 0:
			o := orphan(id, &g.b, where)
			p = &o
		}
		if p != nil {
			delete(gs, id)
			if err := w.report(*p); err != nil {
				return nil, err
			}
		}
	}
	return gs, nil
}
