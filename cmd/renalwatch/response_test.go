package main

import "testing"

func TestResponseCommand(t *testing.T) {
	runCommandGolden(t, "response", []goldenCase{
		{"text", []string{"--baseline-upcr", "3.2g/g", "--upcr", "0.4g/g", "--baseline-egfr", "72", "--egfr", "70", "--months", "12"}, 0},
		{"json", []string{"--baseline-upcr", "350mg/mmol", "--upcr", "53mg/mmol", "--baseline-egfr", "70", "--egfr", "66", "--months", "12", "--json"}, 0},
		{"kdigo-exactly-0.5", []string{"--baseline-upcr", "3g/g", "--upcr", "0.5g/g", "--baseline-egfr", "60", "--egfr", "60", "--months", "9"}, 0},
		{"kdigo-exactly-50-mmol-json", []string{"--baseline-upcr", "300mg/mmol", "--upcr", "50mg/mmol", "--baseline-egfr", "60", "--egfr", "60", "--months", "9", "--json"}, 0},
		{"kdigo-egfr-12pc", []string{"--baseline-upcr", "3g/g", "--upcr", "0.3g/g", "--baseline-egfr", "100", "--egfr", "88", "--months", "9"}, 0},
		{"eular-mg-mmol-converted", []string{"--rule", "eular-2019", "--baseline-upcr", "300mg/mmol", "--upcr", "53mg/mmol", "--baseline-egfr", "95", "--egfr", "92", "--months", "12"}, 0}, // issue 3 defect 3
		{"eular", []string{"--rule", "eular-2019", "--baseline-upcr", "5g/g", "--upcr", "0.6g/g", "--baseline-egfr", "95", "--egfr", "92", "--months", "18"}, 0},
		{"acr-json", []string{"--rule", "acr-2024", "--upcr", "450mg/g", "--baseline-egfr", "110", "--egfr", "92", "--json"}, 0},
		{"bliss-perr-json", []string{"--rule", "bliss-ln-perr", "--upcr", "0.7g/g", "--baseline-egfr", "70", "--egfr", "56", "--months", "24", "--json"}, 0},
		{"bliss-crr", []string{"--rule", "bliss-ln-crr", "--upcr", "0.5g/g", "--baseline-egfr", "80", "--egfr", "80", "--months", "24"}, 0},
		{"aurora-mmol", []string{"--rule", "aurora-crr", "--upcr", "55mg/mmol", "--baseline-egfr", "70", "--egfr", "61", "--months", "6"}, 0},
		{"err-upcr-no-unit", []string{"--baseline-upcr", "3", "--upcr", "0.4g/g", "--baseline-egfr", "72", "--egfr", "70"}, 2},
		{"err-upcr-albumin", []string{"--baseline-upcr", "3g/g", "--upcr", "30mg/g{albumin}", "--baseline-egfr", "72", "--egfr", "70"}, 2},
		{"err-upcr-serum-albumin-unit", []string{"--baseline-upcr", "3g/g", "--upcr", "3.5g/dL", "--baseline-egfr", "72", "--egfr", "70"}, 2},
		{"err-missing-baseline-upcr", []string{"--upcr", "0.4g/g", "--baseline-egfr", "72", "--egfr", "70"}, 2},
		{"err-missing-baseline-egfr", []string{"--rule", "bliss-ln-perr", "--upcr", "0.4g/g", "--egfr", "70"}, 2},
		{"err-unknown-rule", []string{"--rule", "kdigo2024", "--baseline-upcr", "3g/g", "--upcr", "0.4g/g", "--baseline-egfr", "72", "--egfr", "70"}, 2},
		{"err-egfr-zero", []string{"--baseline-upcr", "3g/g", "--upcr", "0.4g/g", "--baseline-egfr", "0", "--egfr", "70"}, 2},
		{"err-positional", []string{"kdigo-2024", "--baseline-upcr", "3g/g", "--upcr", "0.4g/g", "--baseline-egfr", "72", "--egfr", "70"}, 2},
	})
}
