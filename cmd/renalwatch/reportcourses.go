package main

import (
	"fmt"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
)

// therapies writes one line per course: dates, drug, class, and the
// evidence when it is not guideline-recommended; a drug with more than
// textfmt.ManyCourses courses (a refill history) is one line. What ran
// alongside is shown once, on the response line, not on every course.
func (t *textReport) therapies() {
	ths := t.r.Therapies
	if len(ths) == 0 {
		return
	}
	// The caveat of uncontrolled before/after comparisons with lupus
	// nephritis quotes lupus nephritis trials, and marks the courses only
	// then; the comparison below carries the patient's own caveat.
	caveat := assess.TherapyCaveat(t.r.Therapies)
	mark := ""
	if caveat == assess.LNUncontrolledCaveat {
		mark = t.note(caveat)
	}
	t.b.WriteString("\nTherapy courses" + mark + "\n")
	for _, c := range textfmt.Courses(ths) {
		fmt.Fprintf(&t.b, "  %-24s %s\n", c.Dates, c.Text)
	}
	t.beforeAfter(caveat)
}

// beforeAfter writes the before/after comparison of each course (trial 8
// F4; docs/report.md, text output 6): the courses whose comparisons read
// the same once, then one line per measure assessed, each slope with its
// 95% CI, values and span as the Trend line, and the note on the values
// before. Courses with nothing assessed are left to --json "missing".
func (t *textReport) beforeAfter(caveat string) {
	gs := textfmt.EffectGroups(t.r.Therapies)
	if len(gs) == 0 {
		return
	}
	t.b.WriteString("\nBefore and after each course" + t.note(caveat) + "\n")
	for _, g := range gs {
		fmt.Fprintf(&t.b, "  %s\n", g.Courses)
		for _, l := range g.Lines {
			fmt.Fprintf(&t.b, "    %s\n", l)
		}
	}
}

// classNames joins therapy classes as people name them ("glucocorticoid +
// mesenchymal stem cell infusion", not "msc_infusion"; trial #27).
func classNames(cs []string) string { return textfmt.TherapyClasses(cs) }
