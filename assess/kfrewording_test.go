package assess

import (
	"strings"
	"testing"
)

// Trial 3 #7: RenalWatch informs, never prescribes. The KFRE alerts state
// the KDIGO 2024 CKD guideline's thresholds (practice point 2.2.2: 2-year
// risk > 10%, multidisciplinary care; 2.2.3: > 40%, preparation for kidney
// replacement therapy; kidney.md §7.5) as the guideline's, never as an
// order ("plan kidney replacement therapy").
func TestKFREAlertsStateThresholdNotOrder(t *testing.T) {
	a := bare()
	a.out.Kidney.KFRE = &KFRE{Variables: 4, Risk2y: 0.783, Risk5y: 0.95, ACRSource: "measured"}
	a.alerts()
	want := map[string]string{
		AlertKFRE2yKRTPlanning:       "is above 40%, the 2-year risk above which KDIGO 2024 (practice point 2.2.3) suggests preparing for kidney replacement therapy",
		AlertKFRE2yMultidisciplinary: "is above 10%, the 2-year risk above which KDIGO 2024 (practice point 2.2.2) suggests multidisciplinary care",
	}
	for _, al := range a.out.Alerts {
		w, ok := want[al.Code]
		if !ok {
			continue
		}
		delete(want, al.Code)
		if !strings.Contains(al.Message, w) || strings.Contains(al.Message, ": plan ") {
			t.Errorf("%s: %q, want %q", al.Code, al.Message, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("alerts not raised: %v (%+v)", want, a.out.Alerts)
	}
}
