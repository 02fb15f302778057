// Package asof words the warning for an as-of day in the future, for the
// command line (--as-of) and the dashboard (?as_of=) alike.
package asof

import "time"

// FutureWarning is "" when day is not after today (both UTC days), else
// the warning that follows the name of the parameter: "2099-01-01 is in
// the future (today is 2026-12-07, UTC): …". The record can hold nothing
// after today, so an assessment as of a future day reads today's record
// while ages, windows and overdue intervals are computed for that day
// (issue 7 item 15). It is a warning, not an error: planning ("will
// monitoring be overdue by then?") is a legitimate use.
func FutureWarning(day, today time.Time) string {
	today = today.UTC().Truncate(24 * time.Hour)
	if !day.After(today) {
		return ""
	}
	d := day.Format(time.DateOnly)
	return d + " is in the future (today is " + today.Format(time.DateOnly) + ", UTC): the record holds nothing after today; ages, windows and overdue intervals are computed for " + d + " as if nothing were measured in between"
}
