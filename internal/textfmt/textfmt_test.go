package textfmt

import (
	"testing"

	"renalwatch/assess"
	"renalwatch/ckd"
)

// TestEGFR: whole numbers, as the KDIGO 2012 CKD guideline advises
// laboratories to report eGFR (docs/report.md, "Numbers in human text"),
// with the values of the demonstration report; the unrounded
// value follows when rounding would cross a G category bound (59.66 would
// read 60, G2, while it is G3a).
func TestEGFR(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		{27.1, "", "27"},
		{27.1, "mL/min/1.73 m²", "27 mL/min/1.73 m²"},
		{93.68, "", "94"},
		{59.66, "mL/min/1.73 m²", "60 mL/min/1.73 m² (59.66 unrounded)"},
	} {
		if got := EGFR(tc.v, tc.unit); got != tc.want {
			t.Errorf("EGFR(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
	if got := Percent(0.0452); got != "4.5%" {
		t.Errorf("Percent(0.0452) = %q", got)
	}
	if got := Percent(0.0001); got != "<0.1%" {
		t.Errorf("Percent(0.0001) = %q", got)
	}
	if got := Slope(-16.4389, &[2]float64{-20.4521, -12.4257}, ""); got != "-16.44 mL/min/1.73 m²/year (95% CI -20.45 to -12.43)" {
		t.Errorf("Slope = %q", got)
	}
	// No interval: the reason, never "95% CI -0.3388 to -0.3388".
	if got := Slope(-0.338792, nil, ckd.NoCIFlat); got != "-0.3388 mL/min/1.73 m²/year ("+ckd.NoCIFlat+")" {
		t.Errorf("Slope without CI = %q", got)
	}
}

// TestNotAssessed: plain names instead of JSON paths, duplicates merged,
// therapy comparisons and lupus entries of a patient without lupus left
// to the JSON and counted.
func TestNotAssessed(t *testing.T) {
	missing := []assess.Missing{
		{Path: "kidney.kfre", Reason: "no ACR or PCR by as_of"},
		{Path: "kidney.slope", Reason: "fewer than 3 eGFR values"},
		{Path: "therapies[0].effect.egfr_slope_before", Reason: "needs 3 values"},
		{Path: "lupus.sledai", Reason: "no findings"},
		{Path: "lupus.biopsy.activity_index", Reason: "not reported"},
		{Path: "alerts.anemia", Reason: "no haemoglobin"},
		{Path: "alerts.anemia", Reason: "no haemoglobin"},
	}
	items, left := NotAssessed(missing, true)
	want := []NotAssessedItem{
		{"Kidney failure risk (KFRE)", "no ACR or PCR by the as-of date"},
		{"eGFR trend", "fewer than 3 eGFR values"},
		{"Lupus activity (SLEDAI-2K)", "no findings"},
		{"Anaemia", "no haemoglobin"},
	}
	if len(items) != len(want) || left != 2 {
		t.Fatalf("NotAssessed: %+v, left %d; want %+v, left 2", items, left, want)
	}
	for i := range want {
		if items[i] != want[i] {
			t.Errorf("item %d: %+v, want %+v", i, items[i], want[i])
		}
	}
	if items, left := NotAssessed(missing, false); len(items) != 3 || left != 3 {
		t.Errorf("without lupus: %+v, left %d; want 3 items, 3 left", items, left)
	}
}

// Trial #18: the "left to --json" line names the kinds actually left, not
// a fixed example: a patient without lupus and without therapies has only
// the lupus entry.
func TestLeftNames(t *testing.T) {
	missing := []assess.Missing{
		{Path: "lupus", Reason: "no SLE or lupus nephritis diagnosis"},
		{Path: "kidney.kfre", Reason: "no ACR"},
	}
	if got := LeftNames(missing, false); len(got) != 1 || got[0] != "lupus assessment, not applicable" {
		t.Errorf("LeftNames = %q", got)
	}
	missing = append(missing[1:], assess.Missing{Path: "therapies[2].effect.upcr_change_6m"}, assess.Missing{Path: "therapies[3].effect.egfr_slope_after"},
		assess.Missing{Path: "lupus.biopsy.activity_index"})
	if got := LeftNames(missing, true); len(got) != 2 || got[0] != "before/after comparisons of therapies" || got[1] != "biopsy activity index" {
		t.Errorf("LeftNames = %q", got)
	}
}
