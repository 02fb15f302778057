package main

import (
	"fmt"
	"strings"

	"renalwatch/internal/textfmt"
)

// missing writes the short "Not assessed" list: one line per item, its
// plain name, the reason (textfmt.NotAssessed, which the dashboard's
// patient page shows too).
func (t *textReport) missing() {
	until := "the as-of date"
	if t.r.EffectiveDate != "" && t.r.EffectiveDate != t.r.AsOf {
		// Died before the as-of date: every window ends at death (the
		// header says "assessed as the record stood at death").
		until = "death (" + t.r.EffectiveDate + ")"
	}
	items, left := textfmt.NotAssessedUntil(t.r.Missing, t.r.Lupus.Applicable, until)
	if len(items) == 0 && left == 0 {
		return
	}
	t.b.WriteString("\nNot assessed\n")
	for _, it := range items {
		t.b.WriteString("  " + it.Label + ": " + it.Reason + "\n")
	}
	if left > 0 {
		more := "more "
		if len(items) == 0 {
			more = ""
		}
		// The kinds actually left (trial #18), not a fixed example.
		fmt.Fprintf(&t.b, "  (%d %sin --json \"missing\": %s)\n", left, more, strings.Join(textfmt.LeftNames(t.r.Missing, t.r.Lupus.Applicable), "; "))
	}
}

// notUsed writes the "Not used" list: stored records the assessment left
// out (assess.NotUsed), each with its value, date, id and reason, the
// eGFRs of an earlier report by group (textfmt.NotUsedLines, which the
// dashboard's patient page shows too).
func (t *textReport) notUsed() {
	if len(t.r.NotUsed) == 0 {
		return
	}
	t.b.WriteString("\nNot used\n")
	for _, l := range textfmt.NotUsedLines(t.r.NotUsed, t.u.display()) {
		t.b.WriteString("  " + l + "\n")
	}
}
