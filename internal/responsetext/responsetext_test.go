package responsetext

import (
	"testing"
	"time"

	"renalwatch/assess"
)

// The stem-cell demo: msc added 2025-06-10, judged on the UPCR of
// 2026-09-03 (450 days = 14.8 months), as-of 2026-12-07 (17.9 months).
// The text times the UPCR judged, not the as-of date.
func TestWhenTimesUPCRJudged(t *testing.T) {
	since := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)
	partial := "partial"
	rs := &assess.Response{Response: &partial, Since: since, Months: 17.9, AssessedAt: &at}
	if got, want := When(rs), "at 14.8 months (UPCR of 2026-09-03), after"; got != want {
		t.Errorf("When = %q, want %q", got, want)
	}
	tooEarly := "too early"
	rs.Response = &tooEarly
	if got, want := When(rs), "17.9 months after"; got != want {
		t.Errorf("too early: %q, want %q", got, want)
	}
	rs.Response = nil // not judged
	if got, want := When(rs), "17.9 months after"; got != want {
		t.Errorf("not judged: %q, want %q", got, want)
	}
}
