package responsetext

import (
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
	"renalwatch/lupus"
	"renalwatch/units"
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

// Trial 3 #11: in SI, a complete response (KDIGO 2024 LN: UPCR < 0.5 g/g
// [50 mg/mmol]) first reached at 0.48 g/g reads "0.48 g/g", not "54.3
// mg/mmol", which KDIGO's own SI number would call no complete response;
// a UPCR on the same side of both numbers is converted.
func TestResponseStatePairedInSI(t *testing.T) {
	si := textfmt.Display{Convert: func(an units.Analyte, q units.Quantity) units.Quantity { return textfmt.ShowIn(textfmt.SIUnits, an, q) }}
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	complete := "complete"
	rs := &assess.Response{Rule: lupus.KDIGO2024, Response: &complete, Since: d("2025-01-10"),
		Best:    &assess.ResponseReached{Response: complete, Rule: lupus.KDIGO2024, Date: d("2025-08-01"), Months: 6.7, UPCR: units.Q(0.48, units.GPerG)},
		Current: &assess.ResponseState{State: complete, Date: d("2025-11-01"), UPCR: units.Q(0.3, units.GPerG), UPCRDate: d("2025-11-01")}}
	got := strings.Join(Lines(rs, si), "\n")
	for _, want := range []string{"(UPCR 0.48 g/g, month 6.7)", "latest UPCR 33.9 mg/mmol on 2025-11-01"} {
		if !strings.Contains(got, want) {
			t.Errorf("lines lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "54.3") {
		t.Errorf("a complete response shown as 54.3 mg/mmol:\n%s", got)
	}
}
