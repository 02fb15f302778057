package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// An alert quotes a measured value at the laboratory's reporting precision
// (internal/labtext, as the labs table), unless rounding would put it onto
// the bound it is compared with: Hb 11.96 g/dL in a woman is anaemia
// (KDIGO 2012 Anemia in CKD rec 1.2.1: < 12.0 g/dL) and must not read
// "Hb 12.0 g/dL … is below 12".
func TestAlertValuesAtLabPrecision(t *testing.T) {
	for _, tc := range []struct {
		hb   float64
		want string
	}{
		{10.13, "Hb 10.1 g/dL"},
		{11.96, "Hb 11.96 g/dL"},
	} {
		b := newPatient(t, "hb", "1985-01-01", record.Female)
		b.obs(units.Hemoglobin, "2024-05-01", tc.hb, units.GPerDL)
		a := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
		al := alertsOf(a, "anemia")
		if len(al) != 1 || !strings.Contains(al[0].Message, tc.want+" on 2024-05-01 is below 12 g/dL") {
			t.Errorf("Hb %v: anemia alerts %+v, want one quoting %q", tc.hb, al, tc.want)
		}
	}
}
