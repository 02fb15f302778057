package main

import (
	"strings"

	"renalwatch/assess"
)

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
