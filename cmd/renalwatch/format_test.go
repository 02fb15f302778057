package main

import "testing"

// TestTextRounding checks the one rounding policy of human text
// (docs/report.md, "Numbers"): eGFR headlines are whole numbers with the
// unrounded value when rounding changes the KDIGO G category (KDIGO 2012
// Table 5: G3a is 45-59, G2 60-89), risks are percentages with one decimal,
// measured values keep 6 significant digits, other numbers 4.
func TestTextRounding(t *testing.T) {
	tests := []struct{ got, want string }{
		{egfrText(59.71, "mL/min/1.73m2"), "60 mL/min/1.73m2 (59.71 unrounded)"},
		{egfrText(59.4, "mL/min/1.73m2"), "59 mL/min/1.73m2"},
		{egfrText(24.6542407685934, ""), "25"},
		{egfrText(89.5, ""), "90 (89.5 unrounded)"},
		{egfrText(0.42, ""), "0.42"},
		{percent(0.09997874424449879), "10.0%"},
		{percent(0.00025), "<0.1%"},
		{percent(0.13646563346159246), "13.6%"},
		{measured(265.20000000000005), "265.2"},
		{measured(1.1991), "1.1991"},
		{derived(-16.4412345), "-16.44"},
		{derived(8.7391), "8.739"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: %q; want %q", i, tt.got, tt.want)
		}
	}
}
