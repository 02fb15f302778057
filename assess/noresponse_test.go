package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
)

// The no-response alert states the time to the UPCR judged, not to as-of,
// and is not raised as current once that UPCR is older than CurrentWindow
// (365 days by default). classIVToG4: induction 2022-09-15, latest UPCR
// 2023-12-01 (1.8 g/g, no response): 442 days = 14.5 months (days/30.4375).
func TestNoResponseAlertTimedAtUPCRAndStale(t *testing.T) {
	b := classIVToG4(t)
	cases := []struct {
		asOf  string
		alert bool
	}{
		{"2024-01-01", true},
		{"2024-11-30", true},  // 365 days after the UPCR: still current (inclusive)
		{"2024-12-01", false}, // 366 days: stale
		{"2030-01-01", false},
	}
	for _, c := range cases {
		a := assess.Assess(b.timeline(), day(c.asOf), assess.DefaultConfig())
		var msg string
		for _, al := range a.Alerts {
			if al.Code == assess.AlertNoResponse6m {
				msg = al.Message
			}
		}
		if (msg != "") != c.alert {
			t.Errorf("as-of %s: alert %q, want raised=%v", c.asOf, msg, c.alert)
			continue
		}
		if c.alert {
			if !strings.Contains(msg, "at 14.5 months after the start of therapy on 2022-09-15 (UPCR of 2023-12-01)") {
				t.Errorf("as-of %s: message %q does not time the UPCR judged", c.asOf, msg)
			}
			continue
		}
		found := false
		for _, m := range a.Missing {
			if m.Path == "alerts."+assess.AlertNoResponse6m && strings.Contains(m.Reason, "2023-12-01") {
				found = true
			}
		}
		if !found {
			t.Errorf("as-of %s: missing %+v does not say why the alert was not judged", c.asOf, a.Missing)
		}
	}
}
