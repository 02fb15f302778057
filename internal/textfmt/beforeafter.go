package textfmt

import (
	"slices"
	"strings"
	"time"

	"renalwatch/assess"
)

// The before/after comparison of each therapy course (assess.Effect) in
// human text: the text report's "Before and after each course" block and
// the dashboard's table (trial 8 F1, F4). Each eGFR slope reads as the
// report's trend line (Trend: the slope with both bounds of its 95% CI at
// one precision, the number of values and their span), never a bare
// number: a slope needs at least 3 values over 90 days (ckd.EGFRSlope,
// KDIGO 2012 CKD rec 2.1.3: progression judged on serial values), and
// with that few the interval is wide, which the reader must see.

// RatioPct is a UPCR change (assess.UPCRChange.Ratio, -0.5 for a 50%
// fall) as a whole-percent change with its sign (Pct): "-50%", "+8%".
func RatioPct(ratio float64) string {
	if ratio > 0 {
		return "+" + Pct(100*ratio) + "%"
	}
	return Pct(100*ratio) + "%"
}

// UPCRChanges is the UPCR change at 6 and 12 months from the baseline at
// the start: "UPCR change from 2022-09-15: -50% at 6 months (2023-03-20),
// -75% at 12 months (2023-09-07)"; "" when neither was assessed. Both
// changes share the baseline (the latest UPCR before the start).
func UPCRChanges(e assess.Effect) string {
	var parts []string
	base := ""
	for _, c := range []struct {
		ch     *assess.UPCRChange
		months string
	}{{e.UPCRChange6m, "6"}, {e.UPCRChange12m, "12"}} {
		if c.ch == nil {
			continue
		}
		base = day(c.ch.BaselineDate)
		parts = append(parts, RatioPct(c.ch.Ratio)+" at "+c.months+" months ("+day(c.ch.Date)+")")
	}
	if len(parts) == 0 {
		return ""
	}
	return "UPCR change from " + base + ": " + strings.Join(parts, ", ")
}

// BeforeAfter is the text of one course's comparison, one line per
// measure assessed (the eGFR slope before, after, the UPCR change), then
// the course's note on the values before (assess.Effect.Note);
// none when nothing was assessed.
func BeforeAfter(e assess.Effect) []string {
	var out []string
	if s := e.EGFRSlopeBefore; s != nil {
		out = append(out, "eGFR slope before: "+Trend(*s))
	}
	if s := e.EGFRSlopeAfter; s != nil {
		out = append(out, "eGFR slope after: "+Trend(*s))
	}
	if u := UPCRChanges(e); u != "" {
		out = append(out, u)
	}
	if n := e.Note; n != "" && len(out) > 0 {
		out = append(out, "Note: "+n)
	}
	return out
}

// CourseSpan is when a concurrent course ran within [since, to] when it
// did not run throughout: "from 2026-04-21", "until 2026-01-26",
// "2026-02-01 to 2026-03-01"; "" for one running from before since to
// to or beyond.
func CourseSpan(c assess.Concurrent, since, to time.Time) string {
	switch late, ended := c.Start.After(since), c.End != nil && c.End.Before(to); {
	case late && ended:
		return day(c.Start) + " to " + day(*c.End)
	case late:
		return "from " + day(c.Start)
	case ended:
		return "until " + day(*c.End)
	}
	return ""
}

// effectWindow is the span after a course's start that
// assess.Effect.Concurrent covers: 12 months.
const effectWindow = 365 * 24 * time.Hour

// Alongside names the other therapies running in the 12 months after the
// start of courses ths (one course, or the courses of an EffectGroup), as
// assess.Effect.Concurrent lists them, each once and never one of ths:
// "with hydroxychloroquine, valsartan, azathioprine (from 2021-06-01)
// running"; "" when none ran. A change after a course is that of the
// whole regimen, and the comparison says so where it is read (trial 9
// F-h), not only on the response line.
func Alongside(ths []assess.Therapy) string {
	if len(ths) == 0 {
		return ""
	}
	since, to := ths[0].Start, ths[len(ths)-1].Start.Add(effectWindow)
	var names []string
	for _, th := range ths {
		for _, c := range th.Effect.Concurrent {
			if slices.ContainsFunc(ths, func(o assess.Therapy) bool { return o.ID == c.ID }) {
				continue
			}
			s := c.Name
			if sp := CourseSpan(c, since, to); sp != "" {
				s += " (" + sp + ")"
			}
			if !slices.Contains(names, s) {
				names = append(names, s)
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "with " + strings.Join(names, ", ") + " running"
}

// Unestablished is the caution on the comparison of a course whose
// benefit in lupus nephritis is not established (assess.Evidence.
// Unestablished, the classification behind the alert, whose source the
// caution points to): "evidence unproven; a change after it cannot be
// attributed to it (source under Alerts)"; "" for any other course.
func Unestablished(th assess.Therapy) string {
	if !th.Evidence.Unestablished() {
		return ""
	}
	return "evidence " + string(th.Evidence) + "; a change after it cannot be attributed to it (source under Alerts)"
}

// EffectGroup is the comparison shared by consecutive courses: courses
// started a few days apart (an induction: a pulse, then oral drugs) have
// the same values before and after, shown once.
type EffectGroup struct {
	// Courses names them by start: "2026-01-23 methylprednisolone;
	// 2026-01-26 prednisone, ..." (one date for courses of one day), then
	// the therapies running alongside (Alongside).
	Courses string
	// Lines are the caution on each course of unestablished benefit
	// ("mesenchymal stem cells: evidence unproven; ..."), then the
	// comparison (BeforeAfter).
	Lines []string
}

// EffectGroups joins the courses of ths (in their order) whose
// comparisons read the same into one group each; courses with nothing
// assessed (graft immunosuppression, no values) are left out.
func EffectGroups(ths []assess.Therapy) []EffectGroup {
	var out []EffectGroup
	var members [][]assess.Therapy // the courses of each group
	lastDay := ""
	for _, th := range ths {
		lines := BeforeAfter(th.Effect)
		if len(lines) == 0 {
			continue
		}
		d := day(th.Start)
		if n := len(out); n > 0 && slices.Equal(out[n-1].Lines, lines) {
			sep := "; " + d + " "
			if d == lastDay {
				sep = ", "
			}
			out[n-1].Courses += sep + th.Name
			members[n-1] = append(members[n-1], th)
		} else {
			out = append(out, EffectGroup{Courses: d + " " + th.Name, Lines: lines})
			members = append(members, []assess.Therapy{th})
		}
		lastDay = d
	}
	for i, ths := range members {
		if a := Alongside(ths); a != "" {
			out[i].Courses += ", " + a
		}
		var warn []string
		for _, th := range ths {
			if u := Unestablished(th); u != "" {
				warn = append(warn, th.Name+": "+u)
			}
		}
		out[i].Lines = append(warn, out[i].Lines...)
	}
	return out
}
