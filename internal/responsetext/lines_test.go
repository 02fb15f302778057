package responsetext

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
	want := "spot UPCR (the rule asks for a 24-h urine collection); judged outside the rule's window: KDIGO assesses response 6–12 months after the start of therapy"
	if got := Caveats(rs); got != want {
		t.Errorf("Caveats = %q, want %q", got, want)
	}
}

// Trial #3: only drugs running from the induction start to the UPCR judged
// are background; mycophenolate stopped 3 days after the start and
// azathioprine started 3 months later are named with their dates.
func TestResponseBackgroundOnlyRunningDrugs(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	end := d("2026-01-26")
	cs := []assess.Concurrent{
		{Name: "mycophenolate", Start: d("2020-06-15"), End: &end},
		{Name: "hydroxychloroquine", Start: d("2020-06-15")},
		{Name: "ramipril", Start: d("2020-07-01")},
		{Name: "azathioprine", Start: d("2026-04-21")},
	}
	judged := d("2026-09-17")
	got := Background(cs, d("2026-01-23"), &judged)
	want := ", on background hydroxychloroquine + ramipril; also mycophenolate until 2026-01-26, azathioprine from 2026-04-21"
	if got != want {
		t.Errorf("background:\n got %q\nwant %q", got, want)
	}
}

// Trial #28: the window caveat without brackets inside brackets.
func TestResponseCaveatBrackets(t *testing.T) {
	rs := &assess.Response{Warnings: []string{"timepoint 14.8 months is outside the rule's window: KDIGO assesses response 6–12 months after the start of therapy (complete response may take longer)"}}
	if got := Caveats(rs); got != "judged outside the rule's window: KDIGO assesses response 6–12 months after the start of therapy (complete response may take longer)" {
		t.Errorf("Caveats = %q", got)
	}
}
