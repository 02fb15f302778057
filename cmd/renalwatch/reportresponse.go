package main

import (
	"strings"

	"renalwatch/assess"
)

// responseWhen is when the response shown was judged: "at 14.8 months (UPCR
// of 2026-09-03)", the time from the start of therapy to the UPCR the rule
// judged (assessed_at), not to as-of; "3.2 months after" (to as-of) when
// no category was judged. Months are days / 30.4375, as assess counts them.
func responseWhen(rs *assess.Response) string {
	if rs.AssessedAt == nil || rs.Response == nil || *rs.Response == "too early" {
		return monthsText(rs.Months) + " months after"
	}
	m := rs.AssessedAt.Sub(rs.Since).Hours() / 24 / 30.4375
	return "at " + monthsText(m) + " months (UPCR of " + ymd(*rs.AssessedAt) + "), after"
}

// responseCaveats are the rule's warnings that qualify the category,
// briefly: a judgement outside the rule's assessment window, a spot UPCR
// where the rule asks for a 24-h collection, no baseline proteinuria, and
// a provisional result. The full texts are in the JSON (lupus.response.warnings).
func responseCaveats(rs *assess.Response) string {
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
		}
	}
	return strings.Join(out, "; ")
}
