package assess

import "time"

// inWindow reports whether a result taken at t is within w before at,
// counted in whole days and inclusive: a window of 365 days before an
// as-of of 2026-12-07 starts on 2025-12-07 at 00:00 UTC, whatever the time
// of day of either. Every "within N days before as_of" of the assessment
// (current values, the stage's albuminuria, serology, stale alerts) uses
// it, so a result the labs table dates on the boundary day is in every
// window or in none. A result after at is not in the window.
func inWindow(at, t time.Time, w time.Duration) bool {
	if t.After(at) {
		return false
	}
	return !t.Before(windowStart(at, w))
}

// windowStart is the first instant of inWindow(at, ·, w): 00:00 UTC of
// at's day, w before.
func windowStart(at time.Time, w time.Duration) time.Time {
	return at.UTC().Truncate(24 * time.Hour).Add(-w)
}

// endOfDay is the last instant of t's day (UTC).
func endOfDay(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour).Add(24*time.Hour - time.Nanosecond)
}
