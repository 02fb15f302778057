package main

import (
	"fmt"
	"io"
	"time"
)

// warnFutureAsOf writes a warning to w when the --as-of day is after today
// (UTC, by the command clock): the record can hold nothing after today, so
// an assessment "as of" a future day reads today's record while ages,
// windows and overdue intervals are computed for that future day (issue 7
// item 15). It is a warning, not an error: planning ("will monitoring be
// overdue by then?") is a legitimate use.
func warnFutureAsOf(w io.Writer, cmd string, day time.Time) {
	today := now().UTC().Truncate(24 * time.Hour)
	if !day.After(today) {
		return
	}
	fmt.Fprintf(w, "renalwatch: %s: warning: --as-of %s is in the future (today is %s, UTC): the record holds nothing after today; ages, windows and overdue intervals are computed for %s as if nothing were measured in between\n",
		cmd, day.Format(time.DateOnly), today.Format(time.DateOnly), day.Format(time.DateOnly))
}
