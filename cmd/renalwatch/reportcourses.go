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
	// The caveat of uncontrolled before/after comparisons quotes lupus
	// nephritis trials: it is shown only with lupus nephritis (the text
	// shows no before/after comparison, so no other caveat is needed).
	mark := ""
	if c := assess.TherapyCaveat(t.r.Therapies); c == assess.LNUncontrolledCaveat {
		mark = t.note(c)
	}
	t.b.WriteString("\nTherapy courses" + mark + "\n")
	for _, c := range textfmt.Courses(ths) {
		fmt.Fprintf(&t.b, "  %-24s %s\n", c.Dates, c.Text)
	}
}

// classNames joins therapy classes as people name them ("glucocorticoid +
// mesenchymal stem cell infusion", not "msc_infusion"; trial #27).
func classNames(cs []string) string { return textfmt.TherapyClasses(cs) }
