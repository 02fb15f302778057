package main

import (
	"testing"
	"time"

	"renalwatch/assess"
)

// The stem-cell demo: msc added 2025-06-10, judged on the UPCR of
// 2026-09-03 (450 days = 14.8 months), as-of 2026-12-07 (17.9 months).
// The text shows the rule's window and spot-UPCR warnings (KDIGO 2024
// LN: response at 6-12 months on a 24-h collection).
func TestResponseTextTimesUPCRJudged(t *testing.T) {
	since := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)
	partial := "partial"
	rs := &assess.Response{Response: &partial, Since: since, Months: 17.9, AssessedAt: &at, Warnings: []string{
		"KDIGO assesses response on the protein-creatinine ratio of a 24-h urine collection; a spot UPCR is less reliable",
		"timepoint 14.77 months is outside the rule's window: KDIGO assesses response 6–12 months after the start of therapy",
	}}
	want := "spot UPCR (the rule asks for a 24-h urine collection); judged outside the rule's window (KDIGO assesses response 6–12 months after the start of therapy)"
	if got := responseCaveats(rs); got != want {
		t.Errorf("responseCaveats = %q, want %q", got, want)
	}
}
