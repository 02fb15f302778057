package assess

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// A course is the records of one drug that follow each other: each
// prescription, refill, dispense or infusion is its own record (a Synthea
// patient on lisinopril has one MedicationRequest a month for decades), and
// a reader, the before/after comparison and the patient list want the
// treatment, not the paperwork.
//
// Rule: a record continues the latest course of the same drug when it
// starts no more than courseGap (93 days) after the course's reach — the
// latest recorded end of its records, or the latest start when a record
// gives no end. It is the gap of the induction course (lupus.go), so that a
// course and an induction episode break at the same records: a monthly
// refill, a 90-day supply and a pause of up to 3 months (infection,
// surgery) stay one course. Same drug: the same class and ingredient name;
// the mycophenolic acid analogues (mycophenolate mofetil, mycophenolic acid
// / sodium) are one drug, MPAA, as KDIGO 2024 LN treats them.
type course struct {
	key     string
	members []int     // indices into the timeline's Therapies, by start
	start   time.Time // the first record's start
	reach   time.Time // latest recorded end, or latest start when that is later
	ended   bool      // reach is a recorded end
	last    bool      // the latest course of its drug at as_of
	graft   bool      // graft immunosuppression after a kidney transplant
	// What concurrent lists of the course, fixed for the assessment and
	// filled once by courseList (concurrent runs for every course and
	// response): the class, the running time (activeUntil) and the entry.
	class string
	until time.Time
	entry Concurrent
}

func courseKey(th record.Therapy) string {
	if th.Class == record.Mycophenolate {
		return th.Class.String()
	}
	return th.Class.String() + "|" + strings.ToLower(strings.TrimSpace(th.Name))
}

// graftClasses are the maintenance immunosuppressants of a kidney
// transplant: a calcineurin inhibitor with an antiproliferative agent
// (mycophenolate or azathioprine), with or without corticosteroids (KDIGO
// 2009 guideline for the care of kidney transplant recipients, chapter 3).
// A glucocorticoid is left out: after a transplant it may as well treat
// extrarenal lupus, and it has no LN response of its own here.
var graftClasses = map[record.TherapyClass]bool{
	record.Mycophenolate: true, record.CalcineurinInhibitor: true, record.Azathioprine: true,
}

// courseList groups the therapies started at or before as_of into courses,
// in order of their first record. It is computed once per assessment.
func (a *assessor) courseList() []course {
	if a.coursesDone {
		return a.courses
	}
	a.coursesDone = true
	open := map[string]int{} // key -> index of its latest course
	for i, th := range a.tl.Therapies {
		if th.Start.After(a.asOf) {
			continue
		}
		k := courseKey(th)
		if ci, ok := open[k]; ok && th.Start.Sub(a.courses[ci].reach) <= courseGap {
			c := &a.courses[ci]
			c.members = append(c.members, i)
			if r := recordReach(th); r.After(c.reach) || (r.Equal(c.reach) && hasEnd(th)) {
				c.reach, c.ended = r, hasEnd(th)
			}
			continue
		}
		open[k] = len(a.courses)
		a.courses = append(a.courses, course{key: k, members: []int{i}, start: th.Start, reach: recordReach(th), ended: hasEnd(th),
			graft: graftClasses[th.Class] && a.graftTherapy(th)})
	}
	for _, ci := range open {
		a.courses[ci].last = true
	}
	slices.SortStableFunc(a.courses, a.courseOrder)
	for i := range a.courses {
		c := &a.courses[i]
		th := a.tl.Therapies[c.members[0]]
		c.class, c.until = th.Class.String(), a.activeUntil(*c)
		c.entry = Concurrent{ID: th.ID, Name: displayName(th), Class: c.class, Evidence: a.courseEvidence(*c).Level, Start: c.start}
		if end, basis := a.courseEnd(*c); basis != "" {
			c.entry.End = ptr(end) // shared by the course's entries in every list (nothing writes through it)
		}
	}
	return a.courses
}

// courseOrder is the order in which courses are listed (text, JSON, the
// dashboard; trial #10): by start date (UTC day), then drug name as shown,
// then the id of the first record, so that the same record always lists
// its courses in the same order. Before it, courses of one day followed
// their records' ids and times of day: tacrolimus with id a1 came before
// hydroxychloroquine with id z1.
func (a *assessor) courseOrder(x, y course) int {
	tx, ty := a.tl.Therapies[x.members[0]], a.tl.Therapies[y.members[0]]
	if c := compareDates(x.start, y.start); c != 0 {
		return c
	}
	nx, ny := displayName(tx), displayName(ty)
	if c := strings.Compare(strings.ToLower(nx), strings.ToLower(ny)); c != 0 {
		return c
	}
	if c := strings.Compare(nx, ny); c != 0 {
		return c
	}
	if c := strings.Compare(tx.ID, ty.ID); c != 0 {
		return c
	}
	return x.start.Compare(y.start)
}

// compareDates is strings.Compare(date(x), date(y)): for the years date
// writes as four digits, the order of (year, month, day), without writing
// the dates out.
func compareDates(x, y time.Time) int {
	xy, xm, xd := x.UTC().Date()
	yy, ym, yd := y.UTC().Date()
	if xy < 0 || xy > 9999 || yy < 0 || yy > 9999 {
		return strings.Compare(date(x), date(y))
	}
	return cmp.Or(cmp.Compare(xy, yy), cmp.Compare(xm, ym), cmp.Compare(xd, yd))
}

func hasEnd(th record.Therapy) bool { return !th.End.IsZero() && !th.End.Before(th.Start) }

// deathDate returns the recorded date of death when it is at or before
// as_of.
func (a *assessor) deathDate() (time.Time, bool) {
	p := a.tl.Patient
	if !p.Deceased || p.DeceasedDate.IsZero() || p.DeceasedDate.After(a.asOf) {
		return time.Time{}, false
	}
	return p.DeceasedDate, true
}

// courseEnd is the end shown for a course: its recorded end when that is
// at or before as_of; for a deceased patient, the date of death for a
// course still open then (the latest of its drug with no recorded end, or
// one recorded to end after death). basis says which: "recorded", "death",
// or "" when the course is ongoing or its end is not recorded.
func (a *assessor) courseEnd(c course) (end time.Time, basis string) {
	if c.ended && !c.reach.After(a.asOf) {
		end, basis = c.reach, "recorded"
	}
	if d, dead := a.deathDate(); dead && !d.Before(c.start) {
		if (basis == "" && c.last) || (basis != "" && end.After(d)) {
			return d, "death"
		}
	}
	return end, basis
}

// activeUntil is the last time a course counts as running for the
// concurrent-therapy lists: its end; else as_of (or death) for an open
// course; else its reach (an earlier course of a drug given again later).
func (a *assessor) activeUntil(c course) time.Time {
	if end, basis := a.courseEnd(c); basis != "" {
		return end
	}
	if c.last {
		return a.asOf
	}
	return c.reach
}

// concurrent returns the courses other than skip (and other than earlier or
// later courses of the same drug) that were running at some time in [from,
// to], leaving out those whose class is in classes (the therapies the
// comparison is about).
func (a *assessor) concurrent(from, to time.Time, skip int, classes []string) []Concurrent {
	cs := a.courseList()
	out := make([]Concurrent, 0, len(cs)) // room for every course: one allocation, not one per doubling
	for ci := range cs {
		c := &cs[ci]
		if ci == skip || (skip >= 0 && c.key == cs[skip].key) || slices.Contains(classes, c.class) ||
			c.start.After(to) || c.until.Before(from) {
			continue
		}
		out = append(out, c.entry)
	}
	return out
}

func displayName(th record.Therapy) string {
	if th.Name == "" {
		return th.Class.String()
	}
	return th.Name
}

// courseEvidence is the evidence entry of a course: graft immunosuppression
// has none from the LN guidelines.
func (a *assessor) courseEvidence(c course) TherapyEvidence {
	if c.graft {
		return TherapyEvidence{Level: NotApplicable, Source: "",
			Note: "graft immunosuppression after the kidney transplant of " + date(a.firstTransplant().Start) +
				" (KDIGO 2009 kidney transplant recipients: a calcineurin inhibitor with mycophenolate or azathioprine); the lupus nephritis evidence levels do not apply"}
	}
	return EvidenceFor(a.tl.Therapies[c.members[0]].Class)
}

// attribute adds to a response the courses running in its window and,
// when every agent it is judged on (glucocorticoids aside) is
// investigational or unproven while guideline or approved therapy was
// running, a warning that the response belongs to the whole regimen: an
// unproven agent is never shown as the sole cause of a response (the seed
// case: a partial response "after" an MSC infusion given on top of
// azathioprine, hydroxychloroquine and valsartan).
func (a *assessor) attribute(r *Response, skip int) {
	if r == nil {
		return
	}
	to := a.asOf
	if r.AssessedAt != nil {
		to = *r.AssessedAt
	}
	r.Concurrent = a.concurrent(r.Since, to, skip, r.Therapies)
	weak := true
	var anchorBuf [4]string // room on the stack: an episode has a few agents
	anchors := anchorBuf[:0]
	for _, t := range r.Therapies {
		c, ok := record.ParseTherapyClass(t)
		if !ok || c == record.Glucocorticoid {
			continue
		}
		anchors = append(anchors, t)
		if !EvidenceFor(c).Level.Unestablished() {
			weak = false
		}
	}
	if !weak || len(anchors) == 0 {
		return // no warning (an established agent, or glucocorticoids alone): the background need not be read
	}
	var proven []string
	for _, c := range r.Concurrent {
		if (c.Evidence == GuidelineRecommended || c.Evidence == Approved) && !slices.Contains(proven, c.Name) {
			proven = append(proven, c.Name)
		}
	}
	if len(proven) > 0 {
		r.AddedTo = proven
		r.Warnings = append(r.Warnings, strings.Join(anchors, " + ")+" (investigational or unproven) was given on background "+
			strings.Join(proven, " + ")+": the response is that of the whole regimen and cannot be attributed to "+strings.Join(anchors, " + "))
	}
}

// hasEffectData reports whether the record has anything a before/after
// comparison uses: a creatinine-based eGFR or a UPCR at or before as_of.
func (a *assessor) hasEffectData() bool {
	for _, p := range a.points {
		if p.ok {
			return true
		}
	}
	return len(a.upTo(units.PCR)) > 0
}
