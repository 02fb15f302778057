package main

import (
	"fmt"
	"io"
	"time"

	"renalwatch/internal/asof"
)

// warnFutureAsOf writes a warning to w when the --as-of day is after today
// (UTC, by the command clock); the dashboard gives the same words
// (internal/asof).
func warnFutureAsOf(w io.Writer, cmd string, day time.Time) {
	if msg := asof.FutureWarning(day, now()); msg != "" {
		fmt.Fprintf(w, "renalwatch: %s: warning: --as-of %s\n", cmd, msg)
	}
}
