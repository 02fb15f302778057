// Package responsetext words when a renal response was judged, for the
// text report (cmd/renalwatch) and the dashboard's patient page alike, so
// both give the same months as the alert: to the UPCR the rule judged.
package responsetext

import (
	"time"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
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
	return "at " + textfmt.Months(m) + " months (UPCR of " + rs.AssessedAt.Format(time.DateOnly) + "), after"
}
