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
// and line; nil when the items carry their own file and line (the CSV
// layouts), the first of them by file and line is named.
func orphan(id string, b *record.Batch, where func(line int) (string, int)) Problem {
	n := b.Len()
	what := "1 item not assessed (this one)"
	if n != 1 {
		what = fmt.Sprintf("%d items not assessed (the first on this line)", n)
	}
	p := Problem{File: "(cohort)", ResourceType: "Patient", ID: id,
		Err: fmt.Errorf("no Patient resource %q in the cohort; %s", id, what)}
	if where == nil {
		if f, l := firstOwn(b); l > 0 {
			p.File, p.Line = f, l
		}
	} else if l := firstLine(b); l > 0 {
		p.File, p.Line = where(l)
	}
	return p
}

// firstOwn returns the file and line of b's first item by its own
// provenance (file name, then line), "" and 0 when none has one.
func firstOwn(b *record.Batch) (string, int) {
	file, line := "", 0
	at := func(f string, l int) {
		if f != "" && l > 0 && (line == 0 || f < file || f == file && l < line) {
			file, line = f, l
		}
	}
	for i := range b.Observations {
		if s := b.Observations[i].Source; s != nil {
			at(s.File, b.Observations[i].Line)
		}
	}
	for _, p := range provenances(b) {
		at(p.File, p.Line)
	}
	return file, line
}

// provenances lists the provenance of b's items other than observations.
func provenances(b *record.Batch) []*record.Provenance {
	var out []*record.Provenance
	for i := range b.Conditions {
		out = append(out, &b.Conditions[i].Provenance)
	}
	for i := range b.Findings {
		out = append(out, &b.Findings[i].Provenance)
	}
	for i := range b.Biopsies {
		out = append(out, &b.Biopsies[i].Provenance)
	}
	for i := range b.Therapies {
		out = append(out, &b.Therapies[i].Provenance)
	}
	for i := range b.Replacements {
		out = append(out, &b.Replacements[i].Provenance)
	}
	for i := range b.Retractions {
		out = append(out, &b.Retractions[i].Provenance)
	}
	return out
}

// firstLine returns the smallest line number of b's items (the first in
// the data they were read from), 0 when none has one.
func firstLine(b *record.Batch) int {
	first := 0
	at := func(l int) {
		if l > 0 && (first == 0 || l < first) {
			first = l
		}
	}
	for i := range b.Observations {
		at(b.Observations[i].Line)
	}
	for _, p := range provenances(b) {
		at(p.Line)
	}
	return first
}
