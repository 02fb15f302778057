package assess

import (
	"slices"
	"strings"
	"time"

	"renalwatch/record"
)

// effectMemo is the before/after comparison of the latest course whose
// effect was computed (effect), kept for the next course started at the
// same instant: courses started together (mycophenolate with prednisone on
// the same day, as induction often is) have the same slopes, UPCR changes
// and response, which depend on the start alone; only the response's
// therapies differ. Reusing it saves the slopes and the response rule's
// judgements of a second course (issue 10 §3).
type effectMemo struct {
	start   time.Time
	judge   bool
	effect  Effect    // the effect's values as effect left them, before attribute
	missing []Missing // what effect added to missing, its path without the effect's path
}

// courseEffect is effect(th, e, path, judge, classes), from the memo when
// the previous course computed started at the same instant.
func (a *assessor) courseEffect(th record.Therapy, e *Effect, path string, judge bool, classes []string) {
	if m := a.effMemo; m != nil && m.judge == judge && m.start.Equal(th.Start) {
		e.EGFRSlopeBefore, e.EGFRSlopeAfter = cloned(m.effect.EGFRSlopeBefore), cloned(m.effect.EGFRSlopeAfter)
		e.UPCRChange6m, e.UPCRChange12m = cloned(m.effect.UPCRChange6m), cloned(m.effect.UPCRChange12m)
		if r := m.effect.Response; r != nil {
			c := *r
			c.Therapies, c.Warnings = classes, slices.Clip(c.Warnings) // the copy's own therapies; attribute's append copies
			e.Response = &c
		}
		for _, x := range m.missing {
			a.miss(path+x.Path, x.Reason)
		}
		return
	}
	n := len(a.out.Missing)
	a.effect(th, e, path, judge, classes)
	m := &effectMemo{start: th.Start, judge: judge, effect: *e}
	if r := e.Response; r != nil {
		c := *r // as effect left it: attribute adds to *r later
		c.Warnings = slices.Clip(c.Warnings)
		m.effect.Response = &c
	}
	for _, x := range a.out.Missing[n:] {
		rel, ok := strings.CutPrefix(x.Path, path)
		if !ok {
			a.effMemo = nil // not seen: every path effect writes starts with its own
			return
		}
		m.missing = append(m.missing, Missing{Path: rel, Reason: x.Reason})
	}
	a.effMemo = m
}

// cloned returns a pointer to a copy of *p, or nil: two courses' effects
// share no value a later change to one could reach.
func cloned[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
