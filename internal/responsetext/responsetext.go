// Package responsetext words when a renal response was judged, for the
// text report (cmd/renalwatch) and the dashboard's patient page alike, so
// both give the same months as the alert: to the UPCR the rule judged.
package responsetext

import (
	"slices"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
	"renalwatch/lupus"
	"renalwatch/units"
)

// When is when the response shown was judged: "at 14.8 months (UPCR of
// 2026-09-03), after", the time from the start of therapy to the UPCR the
// rule judged (assessed_at), not to as-of; "3.2 months after" (to as-of)
// when no category was judged. Months are days / 30.4375, as assess
// counts them. The caller goes on with what the time is after ("induction
// on 2026-01-23").
func When(rs *assess.Response) string {
	if rs.AssessedAt == nil || rs.Response == nil || *rs.Response == "too early" {
		return textfmt.Months(rs.Months) + " months after"
	}
	m := rs.AssessedAt.Sub(rs.Since).Hours() / 24 / 30.4375
	if rs.AssessedMonths != nil {
		m = *rs.AssessedMonths // the same quantity, as the JSON gives it
	}
	return "at " + textfmt.Months(m) + " months (UPCR of " + rs.AssessedAt.Format(time.DateOnly) + "), after"
}

// Lines is the report's renal response: the first line is the one the
// report labels "Response" (the caller adds the footnote marker of
// assess.UncontrolledCaveat), the others follow it: for an
// investigational agent added to guideline therapy, that the response is
// the whole regimen's; the best and current state (State); the shortfall
// (assess.ResponseShortfall); the rule's caveats (Caveats).
func Lines(rs *assess.Response, d textfmt.Display) []string {
	d = d.Paired(lupus.ResponseUPCRLevels(rs.Rule)) // a converted UPCR never contradicts the rule's own number
	resp := "not judged"
	if rs.Response != nil {
		resp = *rs.Response
	}
	var out []string
	if len(rs.AddedTo) > 0 {
		// An investigational or unproven agent is never the sole
		// anchor of a response while guideline therapy ran.
		out = append(out, resp+" ("+string(rs.Rule)+") "+When(rs)+" "+textfmt.TherapyClasses(rs.Therapies)+
			" (investigational or unproven) was added on "+day(rs.Since)+" to "+textfmt.TherapyClasses(rs.AddedTo),
			"the response is that of the whole regimen and cannot be attributed to "+textfmt.TherapyClasses(rs.Therapies))
	} else {
		out = append(out, resp+" ("+string(rs.Rule)+") "+When(rs)+" induction on "+day(rs.Since)+": "+textfmt.TherapyClasses(rs.Therapies)+Background(rs.Concurrent, rs.Since, rs.AssessedAt))
	}
	if s := State(rs, d); s != "" {
		out = append(out, s)
	}
	if s, qs := assess.ResponseShortfall(rs); s != "" {
		var show func(units.Analyte, units.Quantity) units.Quantity // as reported
		if d.Convert != nil {
			show = d.Show
		}
		out = append(out, assess.RenderQuotes(s, qs, show))
	}
	if c := Caveats(rs); c != "" {
		out = append(out, "rule warnings: "+c)
	}
	return out
}

// State is the line under the response: the best response reached and
// when it was first reached, then the current state; "" without a
// current state.
func State(rs *assess.Response, d textfmt.Display) string {
	if rs == nil || rs.Current == nil {
		return ""
	}
	s := "best: none reached"
	if b := rs.Best; b != nil {
		s = "best: " + b.Response + ", first reached " + day(b.Date) + " (UPCR " + d.Q(units.PCR, b.UPCR) + ", month " + textfmt.Months(b.Months) + ")"
		if b.Provisional {
			s += ", provisional"
		}
	}
	c := rs.Current
	s += "; now: " + c.State
	if c.State == assess.StateFlare {
		s += " since " + day(c.Date)
	} else if c.FlareDate != nil && c.BaselineUPCR != nil && c.BaselineDate != nil {
		s += " (response to the flare of " + day(*c.FlareDate) + ", judged against its UPCR " + d.Q(units.PCR, *c.BaselineUPCR) + " of " + day(*c.BaselineDate) + ")"
	} else if c.FlareDate != nil {
		s += " (after a flare on " + day(*c.FlareDate) + ")"
	}
	return s + ", latest UPCR " + d.Q(units.PCR, c.UPCR) + " on " + day(c.UPCRDate)
}

// Background names the other courses of a response episode (trial #3):
// ", on background A + B" for the drugs running from the induction start
// (since) to the UPCR judged (until; the start when nil), each drug once;
// a course that started after the start or ended before the UPCR judged is
// named with its dates ("azathioprine from 2026-04-21", "mycophenolate
// until 2026-01-26"), never as background: MMF stopped at the switch to
// cyclophosphamide and AZA started as maintenance were not taken together.
func Background(cs []assess.Concurrent, since time.Time, until *time.Time) string {
	to := since
	if until != nil {
		to = *until
	}
	var names, other []string
	for _, c := range cs {
		span := textfmt.CourseSpan(c, since, to)
		if span == "" {
			if !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
			continue
		}
		if s := c.Name + " " + span; !slices.Contains(other, s) {
			other = append(other, s)
		}
	}
	out := ""
	if len(names) > 0 {
		out = ", on background " + strings.Join(names, " + ")
	}
	if len(other) > 0 {
		out += "; also " + strings.Join(other, ", ")
	}
	return out
}

// Caveats are the rule's warnings that qualify the category,
// briefly: a judgement outside the rule's assessment window, a spot UPCR
// where the rule asks for a 24-h collection, no baseline proteinuria, a
// provisional result, and adult thresholds applied to a child. The full
// texts are in the JSON (lupus.response.warnings).
func Caveats(rs *assess.Response) string {
	var out []string
	for _, w := range rs.Warnings {
		switch {
		case strings.Contains(w, "outside the rule's window"):
			if _, why, ok := strings.Cut(w, ": "); ok {
				out = append(out, "judged outside the rule's window: "+why)
			} else {
				out = append(out, "judged outside the rule's window")
			}
		case strings.Contains(w, "spot UPCR is less reliable"):
			out = append(out, "spot UPCR (the rule asks for a 24-h urine collection)")
		case strings.Contains(w, "no lupus nephritis proteinuria to respond from"):
			out = append(out, "baseline UPCR below 0.5 g/g: no proteinuria to respond from")
		case strings.HasPrefix(w, "the response is provisional"):
			out = append(out, "provisional: criteria not assessed must also hold")
		case strings.HasPrefix(w, lupus.ChildThresholdsWarning+": "):
			// A child judged by adult thresholds (trial 3 #4): said in full.
			out = append(out, "adult UPCR thresholds: "+strings.TrimPrefix(w, lupus.ChildThresholdsWarning+": "))
		}
	}
	return strings.Join(out, "; ")
}

// day is a date as the report writes it, YYYY-MM-DD.
func day(t time.Time) string { return t.Format(time.DateOnly) }
