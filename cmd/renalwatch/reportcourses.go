package main

import (
	"fmt"
	"strings"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
)

// manyCourses: a drug with more courses than this is one line in the text
// report ("lisinopril: 17 courses from ... to ..."); --json lists each.
const manyCourses = 3

// therapies writes one line per course: dates, drug, class, and the
// evidence when it is not guideline-recommended. What ran alongside is
// shown once, on the response line, not on every course.
func (t *textReport) therapies() {
	ths := t.r.Therapies
	if len(ths) == 0 {
		return
	}
	// The caveat of uncontrolled before/after comparisons quotes lupus
	// nephritis trials: it is shown only when the lupus rules apply.
	mark := ""
	if t.r.Lupus.Applicable {
		mark = t.note(assess.UncontrolledCaveat)
	}
	t.b.WriteString("\nTherapy courses" + mark + "\n")
	count := map[string]int{}
	for _, th := range ths {
		count[th.Name]++
	}
	done := map[string]bool{}
	for _, th := range ths {
		if count[th.Name] > manyCourses {
			if done[th.Name] {
				continue
			}
			done[th.Name] = true
			t.courseGroup(th.Name)
			continue
		}
		fmt.Fprintf(&t.b, "  %-24s %s%s%s\n", courseDates(th), className(th.Name), courseWhat(th), courseDose(th))
	}
}

// courseGroup writes the courses of one drug as one line.
func (t *textReport) courseGroup(name string) {
	var first, last assess.Therapy
	n, records := 0, 0
	for _, th := range t.r.Therapies {
		if th.Name != name {
			continue
		}
		if n == 0 {
			first = th
		}
		last = th
		n++
		records += th.Records
	}
	// The date column is the latest course's: "first start to ongoing"
	// read as decades of continuous therapy (trial-cli #22: 38 courses of
	// lisinopril from 1985 on, with gaps between them).
	fmt.Fprintf(&t.b, "  %-24s %s%s: latest of %d separate courses (%d records) from %s on, with gaps between them\n",
		courseDates(last), className(name), courseWhat(first), n, records, ymd(first.Start))
}

// courseDates is "start to end", or one date for a single-day course.
func courseDates(th assess.Therapy) string {
	if th.End != nil && ymd(*th.End) == ymd(th.Start) {
		return ymd(th.Start)
	}
	return ymd(th.Start) + " to " + courseEnd(th)
}

// courseEnd is the end of a course: its date, "ongoing" for an open
// course, "end not recorded" otherwise; a course still open at death
// ends on the date of death.
func courseEnd(th assess.Therapy) string {
	switch {
	case th.End != nil && th.EndBasis == "death":
		return ymd(*th.End) + " (death)"
	case th.End != nil:
		return ymd(*th.End)
	case th.Open:
		return "ongoing"
	}
	return "end not recorded"
}

// className is a therapy class as the report writes it
// (textfmt.TherapyClass).
func className(c string) string { return textfmt.TherapyClass(c) }

// classNames joins therapy classes as people name them ("glucocorticoid +
// mesenchymal stem cell infusion", not "msc_infusion"; trial #27).
func classNames(cs []string) string { return textfmt.TherapyClasses(cs) }

// courseWhat is " (class)" or " (class; evidence unproven)" or " (class;
// graft immunosuppression)"; the class is left out when it is the drug.
func courseWhat(th assess.Therapy) string {
	var parts []string
	if th.Class != "" && th.Class != "other" && th.Class != th.Name {
		parts = append(parts, className(th.Class))
	}
	switch {
	case th.Indication != "":
		parts = append(parts, th.Indication)
	case th.Evidence == assess.Investigational || th.Evidence == assess.Unproven:
		parts = append(parts, "evidence "+string(th.Evidence))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// courseDose is ", DOSE" with the dose as the source wrote it, or ",
// latest dose DOSE" when the course's records give different doses; ""
// when none gives one.
func courseDose(th assess.Therapy) string {
	switch {
	case th.Dose == "":
		return ""
	case th.DoseChanged:
		return ", latest dose " + th.Dose
	}
	return ", " + th.Dose
}
