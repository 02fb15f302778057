package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// The anaemia alert names haemolysis in SLE only when the record shows
// lupus (trial 5 #5: a Synthea patient with no lupus was told "in SLE,
// haemolysis is a cause other than CKD"); KDIGO 2012 Anemia rec 1.2.1
// gives the threshold, not the cause.
func TestAnaemiaSLEClauseOnlyWithLupus(t *testing.T) {
	for _, sle := range []bool{false, true} {
		b := newPatient(t, "anaemia", "1960-01-01", record.Male)
		if sle {
			b.cond(record.SLE, "2010-01-01", "")
		}
		b.series(units.Hemoglobin, units.GPerDL, "2024-01-01", 12.4)
		a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
		var msg string
		for _, al := range a.Alerts {
			if al.Code == assess.AlertAnemia {
				msg = al.Message
			}
		}
		if !strings.HasPrefix(msg, "anaemia: Hb 12.4 g/dL on 2024-01-01 is below 13 g/dL (adult men)") {
			t.Fatalf("SLE %v: anaemia alert %q", sle, msg)
		}
		if got := strings.Contains(msg, "haemolysis"); got != sle {
			t.Errorf("SLE %v: message %q names haemolysis: %v", sle, msg, got)
		}
	}
}
