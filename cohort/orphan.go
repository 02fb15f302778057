package cohort

import (
	"fmt"

	"renalwatch/record"
)

// orphan is the problem reported for the items of a patient who has no
// Patient resource in the cohort (the store refuses them the same way):
// at the file and line of the first of them, with how many there are
// (trial 12 F6: it read "(cohort):0: ... 1 items not assessed").
// where turns a line of the data the batch was read from into its file
// and line.
func orphan(id string, b *record.Batch, where func(line int) (string, int)) Problem {
	n := b.Len()
	what := "1 item not assessed (this one)"
	if n != 1 {
		what = fmt.Sprintf("%d items not assessed (the first on this line)", n)
	}
	p := Problem{File: "(cohort)", ResourceType: "Patient", ID: id,
		Err: fmt.Errorf("no Patient resource %q in the cohort; %s", id, what)}
	if l := firstLine(b); l > 0 {
		p.File, p.Line = where(l)
	}
	return p
}

// firstLine returns the smallest line number of b's items (the first in
// the data they were read from), 0 when none has one.
func firstLine(b *record.Batch) int {
	l := minLine(0, b.Observations, func(x *record.Observation) int { return x.Line })
	l = minLine(l, b.Conditions, func(x *record.Condition) int { return x.Provenance.Line })
	l = minLine(l, b.Findings, func(x *record.Finding) int { return x.Provenance.Line })
	l = minLine(l, b.Biopsies, func(x *record.Biopsy) int { return x.Provenance.Line })
	l = minLine(l, b.Therapies, func(x *record.Therapy) int { return x.Provenance.Line })
	l = minLine(l, b.Replacements, func(x *record.Replacement) int { return x.Provenance.Line })
	return minLine(l, b.Retractions, func(x *record.Retraction) int { return x.Provenance.Line })
}

// minLine returns the smallest positive line of first and the items'.
func minLine[T any](first int, items []T, line func(*T) int) int {
	for i := range items {
		if l := line(&items[i]); l > 0 && (first == 0 || l < first) {
			first = l
		}
	}
	return first
}
