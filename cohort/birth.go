package cohort

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"renalwatch/csvio"
	"renalwatch/internal/inputs"
	"renalwatch/record"
	"renalwatch/store"
)

// resolve resolves the Patient records ps of one patient and checks the
// items of b against the birth date as import does when it reads the
// same files: in import's order of files (inputs.PatientsFirst), a file's
// Patients before its items. The first Patient gives the details; a later
// one with other details replaces them (record.SentAgain, trial 13 F5: a
// Patient given twice was merged without a word), a warning in import's
// words, unless its meta.lastUpdated is older (not applied) or its birth
// date would put an item read from an earlier file before birth
// (record.BirthRefused: refused, a problem); the details replaced become
// the timeline's updates (report --json's patient.updates, dated at the
// reading time). An item dated before the birth date held when its file
// is read (record.Patient.CheckItemAfterBirth) is dropped, a problem in
// import's words. Problems and warnings name the file and line: where
// turns a line of the data b was read from into them; nil when the
// records carry their own (the CSV layouts).
func (w *worker) resolve(ps []record.Patient, b *record.Batch, where func(int) (string, int), report func(Problem) error) (record.Patient, []record.PatientUpdate, error) {
	loc := func(prov record.Provenance) (string, int) {
		if where == nil {
			return prov.File, prov.Line
		}
		return where(prov.Line)
	}
	if len(ps) == 1 { // the common case, without the lists below
		return ps[0], nil, afterBirth(ps[0], b, loc, report)
	}
	type patient struct {
		p    record.Patient
		file string
		line int
		pos  int
	}
	pats := make([]patient, len(ps))
	for i, p := range ps {
		f, l := loc(p.Provenance)
		pats[i] = patient{p, f, l, w.order[f]}
	}
	slices.SortStableFunc(pats, func(a, b patient) int { return cmp.Compare(a.pos, b.pos) })
	items := datedItems(b, loc, w.order)

	cur := pats[0].p
	var us []record.PatientUpdate
	var failed error
	problem := func(kind, id string, prov record.Provenance, file string, line int, err error) {
		if failed == nil {
			failed = report(itemProblem(kind, id, prov, file, line, err))
		}
	}
	checked := 0 // items[:checked] are checked (sorted by pos)
	checkBefore := func(pos int, all bool) {
		for ; checked < len(items) && (all || items[checked].pos < pos); checked++ {
			d := &items[checked]
			if err := cur.CheckItemAfterBirth(d.it.Kind, d.it.Time, d.it.Prec); err != nil {
				d.out = true
				problem(d.it.Kind, d.it.ID, d.prov, d.file, d.line, err)
			}
		}
	}
	for _, pt := range pats[1:] {
		checkBefore(pt.pos, false)
		p := pt.p
		merged, changes, older := record.SentAgain(cur, p)
		if len(changes) == 0 {
			continue
		}
		if !older {
			held := func(yield func(record.DatedItem) bool) {
				for _, d := range items[:checked] {
					if !d.out && !yield(d.it) {
						return
					}
				}
			}
			if err := record.BirthRefused(merged, changes, held); err != nil {
				problem("patient", p.ID, p.Provenance, pt.file, pt.line, err)
				continue
			}
		}
		what := "details updated, as import updates them: the row reads the later details"
		if older {
			what = fmt.Sprintf("older than the details read before (meta.lastUpdated %s, before %s), not applied, as import does",
				p.Updated.UTC().Format("2006-01-02T15:04:05Z"), cur.Updated.UTC().Format("2006-01-02T15:04:05Z"))
		}
		if w.opt.Warning != nil {
			w.opt.Warning(fmt.Sprintf("%s:%d: %s (%s)", pt.file, pt.line, record.ChangesText(p.ID, changes), what))
		}
		if older {
			continue
		}
		us = append(us, record.PatientUpdate{Time: w.opt.Now.UTC(), File: pt.file, Previous: cur})
		cur = merged
	}
	checkBefore(0, true)
	dropOut(b, items)
	return cur, us, failed
}

// importOrder gives each input's place in the order import reads them
// (inputs.PatientsFirst: those that start with Patients first, the order
// otherwise kept). A file whose start cannot be read is placed with the
// others: its lines are problems of their own.
func importOrder(ins []input) map[string]int {
	order := make(map[string]int, len(ins))
	for i, in := range ins {
		first, err := inputs.StartsWithPatients(in.path)
		if err != nil || !first {
			i += len(ins)
		}
		order[in.path] = i
	}
	return order
}

// afterBirth drops the items of b dated before p's birth, each a problem
// (resolve for a patient given once); loc gives an item's file and line.
func afterBirth(p record.Patient, b *record.Batch, loc func(record.Provenance) (string, int), report func(Problem) error) error {
	if p.BirthDate.IsZero() {
		return nil
	}
	// An item on or after the earliest day the birth date can stand for
	// passes record.CheckItemAfterBirth at once: almost every item, so
	// check tests that first (the call copies p and reads its birth range
	// for each item: +2% of a cohort run's instructions).
	earliest, _ := p.BirthRange()
	check := func(kind string, t time.Time, prec record.DatePrecision) error {
		if !earliest.IsZero() && !t.Before(earliest) {
			return nil
		}
		return p.CheckItemAfterBirth(kind, t, prec)
	}
	var failed error
	ok := func(kind, id string, prov *record.Provenance, err error) bool {
		if err != nil && failed == nil {
			f, l := loc(*prov)
			failed = report(itemProblem(kind, id, *prov, f, l, err))
		}
		return err == nil
	}
	b.Observations = keep(b.Observations, func(o *record.Observation) bool {
		err := check("observation", o.Time, o.TimePrecision)
		if err == nil {
			return true
		}
		pv := o.Provenance()
		return ok("observation", o.ID, &pv, err)
	})
	b.Conditions = keep(b.Conditions, func(x *record.Condition) bool {
		return ok("condition", x.ID, &x.Provenance, check("condition", x.Onset, record.PrecisionDay))
	})
	b.Findings = keep(b.Findings, func(x *record.Finding) bool {
		return ok("finding", x.ID, &x.Provenance, check("finding", x.Time, record.PrecisionDay))
	})
	b.Biopsies = keep(b.Biopsies, func(x *record.Biopsy) bool {
		return ok("biopsy", x.ID, &x.Provenance, check("biopsy", x.Time, record.PrecisionDay))
	})
	b.Therapies = keep(b.Therapies, func(x *record.Therapy) bool {
		return ok("therapy", x.ID, &x.Provenance, check("therapy", x.Start, record.PrecisionDay))
	})
	b.Replacements = keep(b.Replacements, func(x *record.Replacement) bool {
		return ok("replacement", x.ID, &x.Provenance, check("replacement", x.Start, record.PrecisionDay))
	})
	return failed
}

// dated is one item of a patient as resolve checks it.
type dated struct {
	it         record.DatedItem
	prov       record.Provenance
	file       string
	line, pos  int // pos: its file's place in import's order
	out        bool
	kindsIndex int // the order datedItems read it in
}

// datedItems lists b's dated items (observations, conditions, findings,
// biopsies, therapies, replacements) sorted by the import position of
// their file (stably: kindsIndex keeps datedItems' order).
func datedItems(b *record.Batch, loc func(record.Provenance) (string, int), order map[string]int) []dated {
	var out []dated
	add := func(kind, id string, prov record.Provenance, t time.Time, prec record.DatePrecision) {
		f, l := loc(prov)
		out = append(out, dated{it: record.DatedItem{Kind: kind, ID: id, Time: t, Prec: prec}, prov: prov, file: f, line: l, pos: order[f], kindsIndex: len(out)})
	}
	for i := range b.Observations {
		o := &b.Observations[i]
		add("observation", o.ID, o.Provenance(), o.Time, o.TimePrecision)
	}
	for _, x := range b.Conditions {
		add("condition", x.ID, x.Provenance, x.Onset, record.PrecisionDay)
	}
	for _, x := range b.Findings {
		add("finding", x.ID, x.Provenance, x.Time, record.PrecisionDay)
	}
	for _, x := range b.Biopsies {
		add("biopsy", x.ID, x.Provenance, x.Time, record.PrecisionDay)
	}
	for _, x := range b.Therapies {
		add("therapy", x.ID, x.Provenance, x.Start, record.PrecisionDay)
	}
	for _, x := range b.Replacements {
		add("replacement", x.ID, x.Provenance, x.Start, record.PrecisionDay)
	}
	slices.SortStableFunc(out, func(a, b dated) int { return cmp.Compare(a.pos, b.pos) })
	return out
}

// dropOut removes from b the items resolve rejected (items, as datedItems
// listed them).
func dropOut(b *record.Batch, items []dated) {
	out := make([]bool, len(items))
	any := false
	for _, d := range items {
		out[d.kindsIndex] = d.out
		any = any || d.out
	}
	if !any {
		return
	}
	i := 0
	next := func() bool { i++; return !out[i-1] }
	b.Observations = keep(b.Observations, func(*record.Observation) bool { return next() })
	b.Conditions = keep(b.Conditions, func(*record.Condition) bool { return next() })
	b.Findings = keep(b.Findings, func(*record.Finding) bool { return next() })
	b.Biopsies = keep(b.Biopsies, func(*record.Biopsy) bool { return next() })
	b.Therapies = keep(b.Therapies, func(*record.Therapy) bool { return next() })
	b.Replacements = keep(b.Replacements, func(*record.Replacement) bool { return next() })
}

// itemProblem is the problem for a patient or item that import rejects
// as invalid (err), labelled as import labels it (a CSV row by its id).
func itemProblem(kind, id string, prov record.Provenance, file string, line int, err error) Problem {
	err = fmt.Errorf("%w: %w", store.ErrInvalid, err)
	if rt := prov.ResourceType; rt != "" && rt != "csv" {
		return Problem{File: file, Line: line, ResourceType: rt, ID: strings.TrimPrefix(id, rt+"/"), Err: err}
	}
	return csvProblem(csvio.Rejection{File: file, Line: line, ID: id, Err: err}) // a CSV row: its id, as import writes it
}

// keep returns the elements of xs for which ok is true, in place.
func keep[T any](xs []T, ok func(*T) bool) []T {
	n := 0
	for i := range xs {
		if ok(&xs[i]) {
			if n != i { // nothing is copied while nothing is dropped
				xs[n] = xs[i]
			}
			n++
		}
	}
	return xs[:n]
}
