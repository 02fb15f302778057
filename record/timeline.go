package record

import (
	"cmp"
	"iter"
	"math"
	"slices"
	"sync"
	"time"

	"renalwatch/units"
)

// Timeline is one patient's record in time order, with the queries an
// assessment needs. Build it with NewTimeline; it is not modified after.
//
// Observations are held once (issue 8 item 4: a patient with a million
// results must not be held twice), grouped by analyte and in time order
// within each analyte; Values and Window return views into that one slice,
// and Observations builds the time-ordered list only when asked.
type Timeline struct {
	Patient      Patient
	Conditions   []Condition   // by onset, then ID
	Findings     []Finding     // by time, then ID
	Biopsies     []Biopsy      // by time, then ID
	Therapies    []Therapy     // by start, then ID
	Replacements []Replacement // by start, then ID
	// Retracted are the items a source withdrew as entered in error (see
	// Retraction), by time then ID: they are stored, but left out of the
	// lists above and of the observations, so that no assessment uses them.
	Retracted []RetractedItem
	// Updates are the patient's details replaced by later imports (a
	// Patient sent again with other details), oldest first; Patient holds
	// the current ones. The store sets it.
	Updates []PatientUpdate

	obs       []Observation                   // by analyte, then time, then ID
	byAnalyte map[units.Analyte][]Observation // subslices of obs
	timeOrder func() []Observation            // sync.OnceValue: obs by time, then ID
}

// NewTimeline returns the timeline of patient p from the items of b that
// belong to p (items of other patients are ignored). The slices of b are
// not modified.
func NewTimeline(p Patient, b Batch) *Timeline {
	return newTimeline(p, b, false)
}

// NewTimelineOwned is NewTimeline for a batch the caller hands over: the
// timeline keeps b's slices (filtered and sorted in place) instead of
// copying them, so that a patient with a million observations is held
// once, not twice (issue 8 item 4). The caller must not use b's slices
// afterwards.
func NewTimelineOwned(p Patient, b Batch) *Timeline {
	return newTimeline(p, b, true)
}

func newTimeline(p Patient, b Batch, owned bool) *Timeline {
	t := &Timeline{Patient: p, byAnalyte: map[units.Analyte][]Observation{}}
	t.obs = pick(owned, b.Observations, p.ID, func(x *Observation) string { return x.PatientID })
	t.Conditions = pick(owned, b.Conditions, p.ID, func(x *Condition) string { return x.PatientID })
	t.Findings = pick(owned, b.Findings, p.ID, func(x *Finding) string { return x.PatientID })
	t.Biopsies = pick(owned, b.Biopsies, p.ID, func(x *Biopsy) string { return x.PatientID })
	t.Therapies = pick(owned, b.Therapies, p.ID, func(x *Therapy) string { return x.PatientID })
	t.Replacements = pick(owned, b.Replacements, p.ID, func(x *Replacement) string { return x.PatientID })
	if rs := ofPatient(b.Retractions, p.ID, func(x *Retraction) string { return x.PatientID }); len(rs) > 0 {
		t.retract(rs)
	}
	sortObservations(t.obs)
	sortByTime(t.Conditions, func(x *Condition) (time.Time, string) { return x.Onset, x.ID })
	sortByTime(t.Findings, func(x *Finding) (time.Time, string) { return x.Time, x.ID })
	sortByTime(t.Biopsies, func(x *Biopsy) (time.Time, string) { return x.Time, x.ID })
	sortByTime(t.Therapies, func(x *Therapy) (time.Time, string) { return x.Start, x.ID })
	sortByTime(t.Replacements, func(x *Replacement) (time.Time, string) { return x.Start, x.ID })
	// Each analyte's observations are a run of obs: its view shares the
	// elements, so pointers into it (the assessment's caches) stay valid.
	for i := 0; i < len(t.obs); {
		j := i + 1
		for j < len(t.obs) && t.obs[j].Analyte == t.obs[i].Analyte {
			j++
		}
		t.byAnalyte[t.obs[i].Analyte] = t.obs[i:j:j]
		i = j
	}
	obs := t.obs
	t.timeOrder = sync.OnceValue(func() []Observation {
		if len(obs) == 0 {
			return nil
		}
		out := slices.Clone(obs)
		slices.SortFunc(out, observationOrder)
		return out
	})
	return t
}

// analyteOrder orders observations by analyte, then time, then ID: the
// order of a timeline's observations.
func analyteOrder(a, b *Observation) int {
	if c := cmp.Compare(a.Analyte, b.Analyte); c != 0 {
		return c
	}
	return byTime(a.Time, b.Time, a.ID, b.ID)
}

// sortObservations sorts obs by analyteOrder into the very order
// slices.SortFunc would give them, equal observations included, moving
// each observation once: it sorts their indexes with slices.SortFunc and
// the same comparison (the sort decides from comparisons alone, so it
// permutes the indexes as it would the observations), then applies that
// permutation in place. Sorting the observations themselves passed two
// 184-byte copies to every comparison and moved them at every swap: it
// was most of the cost of building a timeline (TestSortObservations).
// Observations already strictly in order are left as they are.
func sortObservations(obs []Observation) {
	if len(obs) < 2 || len(obs) > math.MaxInt32 {
		slices.SortFunc(obs, func(a, b Observation) int { return analyteOrder(&a, &b) })
		return
	}
	// Already strictly in order (the cohort sorts a patient's
	// observations first): no two are equal, so any sort leaves them so.
	sorted := true
	for i := 1; i < len(obs) && sorted; i++ {
		sorted = analyteOrder(&obs[i-1], &obs[i]) < 0
	}
	if sorted {
		return
	}
	idx := make([]int32, len(obs))
	for i := range idx {
		idx[i] = int32(i)
	}
	// The comparison reads each observation's analyte and instant from a
	// small key (Unix seconds and nanoseconds order instants as
	// Time.Compare does for times without a monotonic clock reading, which
	// a recorded time has; a time with one sorts by analyteOrder itself)
	// and its ID only for equal keys: the same answers, without reading
	// two 184-byte observations and their times at every comparison.
	keys := make([]obsKey, len(obs))
	for i := range obs {
		o := &obs[i]
		if o.Time != o.Time.Round(0) { // a monotonic reading: Compare would read it
			slices.SortFunc(idx, func(i, j int32) int { return analyteOrder(&obs[i], &obs[j]) })
			keys = nil
			break
		}
		keys[i] = obsKey{an: o.Analyte, sec: o.Time.Unix(), nsec: int32(o.Time.Nanosecond())}
	}
	if keys != nil {
		slices.SortFunc(idx, func(i, j int32) int {
			a, b := &keys[i], &keys[j]
			switch {
			case a.an != b.an:
				return cmp.Compare(a.an, b.an)
			case a.sec != b.sec:
				return cmp.Compare(a.sec, b.sec)
			case a.nsec != b.nsec:
				return cmp.Compare(a.nsec, b.nsec)
			}
			return cmp.Compare(obs[i].ID, obs[j].ID)
		})
	}
	permute(obs, idx)
}

// obsKey is what analyteOrder compares of an observation before its ID:
// its analyte and its instant (sortObservations).
type obsKey struct {
	an   units.Analyte
	sec  int64
	nsec int32
}

// sortByTime sorts items by byTime (at gives an item's time and ID) into
// the very order slices.SortFunc gives them, as sortObservations does for
// observations: a list already in strictly increasing order is left as it
// is (with no two items equal, that is the one order any sort gives);
// otherwise the indexes are sorted with the same comparisons and the
// permutation applied, instead of copying two whole items into every
// comparison (most of the cost of building a timeline with many findings;
// TestSortByTime).
func sortByTime[T any](items []T, at func(*T) (time.Time, string)) {
	if len(items) < 2 {
		return
	}
	if len(items) > math.MaxInt32 {
		slices.SortFunc(items, func(a, b T) int {
			ta, ia := at(&a)
			tb, ib := at(&b)
			return byTime(ta, tb, ia, ib)
		})
		return
	}
	// Each item's time and ID, read once: Unix seconds and nanoseconds
	// order instants as Time.Compare does for times without a monotonic
	// clock reading; with one, the times themselves are compared.
	keys := make([]timeKey, len(items))
	mono := false
	for i := range items {
		t, id := at(&items[i])
		mono = mono || t != t.Round(0)
		keys[i] = timeKey{sec: t.Unix(), nsec: int32(t.Nanosecond()), id: id}
	}
	less := func(i, j int32) int {
		a, b := &keys[i], &keys[j]
		if mono {
			ta, _ := at(&items[i])
			tb, _ := at(&items[j])
			return byTime(ta, tb, a.id, b.id)
		}
		switch {
		case a.sec != b.sec:
			return cmp.Compare(a.sec, b.sec)
		case a.nsec != b.nsec:
			return cmp.Compare(a.nsec, b.nsec)
		}
		return cmp.Compare(a.id, b.id)
	}
	sorted := true
	for i := int32(1); i < int32(len(items)) && sorted; i++ {
		sorted = less(i-1, i) < 0
	}
	if sorted {
		return
	}
	idx := make([]int32, len(items))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, less)
	permute(items, idx)
}

// timeKey is what byTime compares of an item (sortByTime).
type timeKey struct {
	sec  int64
	nsec int32
	id   string
}

// permute puts items[idx[k]] at k for every k, cycle by cycle, moving each
// item once; idx is left as 0, 1, 2...
func permute[T any](items []T, idx []int32) {
	for s := range idx {
		if int(idx[s]) == s {
			continue
		}
		tmp := items[s]
		k := s
		for {
			j := int(idx[k])
			idx[k] = int32(k)
			if j == s {
				items[k] = tmp
				break
			}
			items[k] = items[j]
			k = j
		}
	}
}

// byTime orders items by time, then ID.
func byTime(at, bt time.Time, aid, bid string) int {
	if c := at.Compare(bt); c != 0 {
		return c
	}
	return cmp.Compare(aid, bid)
}

// observationOrder orders observations by time, then ID.
func observationOrder(a, b Observation) int { return byTime(a.Time, b.Time, a.ID, b.ID) }

// Observations returns every observation in time order, then by ID. The
// list is built on the first call (a copy of each observation, which the
// per-analyte queries do not need) and shared afterwards; do not modify it.
func (t *Timeline) Observations() []Observation {
	if t.timeOrder == nil {
		return nil
	}
	return t.timeOrder()
}

// InTimeOrder yields every observation in the order of Observations (time,
// then ID) without building that list: it merges the per-analyte runs, so
// that a writer of a patient's million observations does not hold a second
// copy of them (issue 8 item 4). The observations are shared; do not
// modify them.
func (t *Timeline) InTimeOrder() iter.Seq[*Observation] {
	return func(yield func(*Observation) bool) {
		var runs [][]Observation // the analytes' runs of obs, each in time order
		for i := 0; i < len(t.obs); {
			j := i + 1
			for j < len(t.obs) && t.obs[j].Analyte == t.obs[i].Analyte {
				j++
			}
			runs = append(runs, t.obs[i:j])
			i = j
		}
		for {
			best := -1
			for k, r := range runs {
				if len(r) > 0 && (best < 0 || observationOrder(r[0], runs[best][0]) < 0) {
					best = k
				}
			}
			if best < 0 {
				return
			}
			o := &runs[best][0]
			runs[best] = runs[best][1:]
			if !yield(o) {
				return
			}
		}
	}
}

// Len returns the number of observations.
func (t *Timeline) Len() int { return len(t.obs) }

// Span returns the times of the first and the last observation, and false
// when there is none. It does not build the time-ordered list.
func (t *Timeline) Span() (first, last time.Time, ok bool) {
	for _, obs := range t.byAnalyte {
		if len(obs) == 0 {
			continue
		}
		f, l := obs[0].Time, obs[len(obs)-1].Time
		if !ok || f.Before(first) {
			first = f
		}
		if !ok || l.After(last) {
			last = l
		}
		ok = true
	}
	return first, last, ok
}

// pick returns the items of patient id: in place when the caller handed
// items over (owned), else in a new slice.
func pick[T any](owned bool, items []T, id string, patient func(*T) string) []T {
	if !owned {
		return ofPatient(items, id, patient)
	}
	// The items up to the first of another patient stay where they are.
	n := 0
	for n < len(items) && patient(&items[n]) == id {
		n++
	}
	out := items[:n]
	for i := n; i < len(items); i++ {
		if patient(&items[i]) == id {
			out = append(out, items[i])
		}
	}
	clear(items[len(out):]) // nothing left behind holds on to strings
	if len(out) == 0 {
		return nil
	}
	return out
}

// ofPatient returns a new slice with the items of patient id (nil when none).
func ofPatient[T any](items []T, id string, patient func(*T) string) []T {
	n := 0
	for i := range items {
		if patient(&items[i]) == id {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n) // allocated once at its length
	for i := range items {
		if patient(&items[i]) == id {
			out = append(out, items[i])
		}
	}
	return out
}

// Values returns every observation of analyte a in time order. The slice
// is shared; do not modify it.
func (t *Timeline) Values(a units.Analyte) []Observation { return t.byAnalyte[a] }

// Latest returns the most recent observation of a taken at or before at.
// Several observations at the same instant: the one with the greatest ID,
// so the answer does not depend on import order.
func (t *Timeline) Latest(a units.Analyte, at time.Time) (Observation, bool) {
	obs := t.byAnalyte[a]
	// i is the number of observations at or before at.
	i, _ := slices.BinarySearchFunc(obs, at, func(o Observation, at time.Time) int {
		if o.Time.After(at) {
			return 1
		}
		return -1
	})
	if i == 0 {
		return Observation{}, false
	}
	return obs[i-1], true
}

// Window returns the observations of a with from <= time < to, in time
// order. The slice is shared; do not modify it.
func (t *Timeline) Window(a units.Analyte, from, to time.Time) []Observation {
	obs := t.byAnalyte[a]
	lo, _ := slices.BinarySearchFunc(obs, from, func(o Observation, at time.Time) int {
		if o.Time.Before(at) {
			return -1
		}
		return 1
	})
	hi, _ := slices.BinarySearchFunc(obs, to, func(o Observation, at time.Time) int {
		if o.Time.Before(at) {
			return -1
		}
		return 1
	})
	if hi <= lo {
		return nil
	}
	return obs[lo:hi:hi]
}

// Baseline returns the observation of a that stands as the baseline at
// time at (typically a therapy's start): the latest one taken at or before
// at and no more than lookback before it. Renal response criteria compare
// later values with this one; which lookback is acceptable is the rule's
// decision, not the timeline's.
func (t *Timeline) Baseline(a units.Analyte, at time.Time, lookback time.Duration) (Observation, bool) {
	o, ok := t.Latest(a, at)
	if !ok || at.Sub(o.Time) > lookback {
		return Observation{}, false
	}
	return o, true
}

// TherapyBaseline is Baseline at the start of therapy th.
func (t *Timeline) TherapyBaseline(a units.Analyte, th Therapy, lookback time.Duration) (Observation, bool) {
	return t.Baseline(a, th.Start, lookback)
}

// AsOf returns the timeline as it stood at time at: observations, findings
// and biopsies taken at or before at, conditions with onset at or before
// at, therapies and kidney replacement events started at or before at
// (an end after at is cleared, since it had not happened yet).
func (t *Timeline) AsOf(at time.Time) *Timeline {
	var b Batch
	for _, o := range t.obs {
		if !o.Time.After(at) {
			b.Observations = append(b.Observations, o)
		}
	}
	for _, c := range t.Conditions {
		if !c.Onset.After(at) {
			if c.Abatement.After(at) {
				c.Abatement = time.Time{}
			}
			b.Conditions = append(b.Conditions, c)
		}
	}
	for _, f := range t.Findings {
		if !f.Time.After(at) {
			b.Findings = append(b.Findings, f)
		}
	}
	for _, x := range t.Biopsies {
		if !x.Time.After(at) {
			b.Biopsies = append(b.Biopsies, x)
		}
	}
	for _, x := range t.Therapies {
		if !x.Start.After(at) {
			if x.End.After(at) {
				x.End = time.Time{}
			}
			b.Therapies = append(b.Therapies, x)
		}
	}
	for _, x := range t.Replacements {
		if !x.Start.After(at) {
			if x.End.After(at) {
				x.End = time.Time{}
			}
			b.Replacements = append(b.Replacements, x)
		}
	}
	out := NewTimeline(t.Patient, b)
	for _, x := range t.Retracted {
		if !x.Time().After(at) {
			out.Retracted = append(out.Retracted, x) // the retraction is known now, whatever the as-of date
		}
	}
	return out
}

// retract applies the corrections of rs (correct), then moves the
// observations and conditions that the others withdraw from the
// timeline's lists to Retracted: a withdrawal of an observation withdraws
// its corrected value too.
// withdraw returns items without those retracted reports (which lists
// them where they go), in place; the items left at the end are cleared.
func withdraw[T any](items []T, retracted func(T) bool) []T {
	kept := items[:0]
	for _, x := range items {
		if !retracted(x) {
			kept = append(kept, x)
		}
	}
	clear(items[len(kept):])
	return kept
}

func (t *Timeline) retract(rs []Retraction) {
	var cs []Retraction
	for _, r := range rs {
		if r.IsCorrection() {
			cs = append(cs, r)
		}
	}
	if len(cs) > 0 {
		t.correct(cs)
	}
	which := func(kind, id string) (Retraction, bool) {
		for _, r := range rs {
			if r.Retracts(kind, id) {
				return r, true
			}
		}
		return Retraction{}, false
	}
	t.obs = withdraw(t.obs, func(o Observation) bool {
		r, ok := which(RetractObservation, o.ID)
		if ok {
			t.Retracted = append(t.Retracted, RetractedItem{Retraction: r, Observation: &o})
		}
		return ok
	})
	t.Conditions = withdraw(t.Conditions, func(c Condition) bool {
		r, ok := which(RetractCondition, c.ID)
		if ok {
			t.Retracted = append(t.Retracted, RetractedItem{Retraction: r, Condition: &c})
		}
		return ok
	})
	slices.SortStableFunc(t.Retracted, func(a, b RetractedItem) int {
		if c := byTime(a.Time(), b.Time(), a.Retraction.Target, b.Retraction.Target); c != 0 || a.Observation == nil || b.Observation == nil {
			return c
		}
		return cmp.Compare(a.Observation.Value.Value, b.Observation.Value.Value) // an item and its superseded corrections
	})
}
