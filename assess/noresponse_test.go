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

// Trial #12 and #11: the no-response alert names the partial-response
// criterion that failed (KDIGO 2024 LN: partial needs eGFR within 10-15%
// of baseline, RenalWatch applying 10%), and its source cites both the
// response rule and the ACR 2024 guideline its repeat-biopsy advice
// quotes. classIVToG4 is judged on the UPCR of 2023-12-01 (1.8 g/g).
func TestNoResponseAlertNamesFailedCriterionAndCitesWhatItQuotes(t *testing.T) {
	a := assess.Assess(classIVToG4(t).timeline(), day("2024-01-01"), assess.DefaultConfig())
	var al *assess.Alert
	for i := range a.Alerts {
		if a.Alerts[i].Code == assess.AlertNoResponse6m {
			al = &a.Alerts[i]
		}
	}
	if al == nil {
		t.Fatal("no no-response-6m alert")
	}
	why, _ := assess.ResponseShortfall(a.Lupus.Response)
	if !strings.HasPrefix(why, "not partial: ") || !strings.Contains(al.Message, why) {
		t.Errorf("shortfall %q, message %q: want the message to name the failed partial criterion", why, al.Message)
	}
	if !strings.Contains(al.Message, "(KDIGO 2024 criteria)") || strings.Contains(al.Message, "by kdigo-2024") {
		t.Errorf("message names the rule by its code: %q", al.Message)
	}
	if !strings.Contains(al.Source, "KDIGO 2024") || !strings.Contains(al.Source, "ACR (American College of Rheumatology) 2024") {
		t.Errorf("source %q: want both KDIGO 2024 and the quoted ACR 2024", al.Source)
	}
}
