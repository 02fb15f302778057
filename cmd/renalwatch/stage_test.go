package main

import (
	"testing"
)

func TestStageGolden(t *testing.T) {
	runGolden(t, "stage", []goldenCase{
		{"g4_a3_text", line("stage --egfr 22 --acr 35mg/mmol"), 0},
		{"g4_a3_json", line("stage --egfr 22 --acr 35mg/mmol --json"), 0},
		{"g3a_pcr_json", line("stage --egfr 52 --pcr 0.6g/g --json"), 0},
		{"pcr_15_mg_mmol_json", line("stage --egfr 45 --pcr 15mg/mmol --json"), 0},
		{"acr_3_mg_mmol_only", line("stage --acr 3mg/mmol"), 0},
		{"acr_3_mg_mmol_json", line("stage --acr 3mg/mmol --json"), 0},
		{"egfr_only_json", line("stage --egfr 60 --json"), 0},
		{"g1_a1_low", line("stage --egfr 95 --acr 10mg/g"), 0},
		{"g1_a1_low_json", line("stage --egfr 95 --acr 10mg/g --json"), 0},
		{"g3b_a1_json", line("stage --egfr 30 --acr 29.9mg/g --json"), 0},
		{"help", line("stage --help"), 0},
		{"err_nothing", line("stage"), 2},
		{"err_acr_and_pcr", line("stage --acr 30mg/g --pcr 150mg/g"), 2},
		{"err_acr_no_unit", line("stage --acr 30"), 2},
		{"err_acr_wrong_unit", line("stage --acr 30mg/L"), 2},
		{"err_egfr_negative", line("stage --egfr -1"), 2},
		{"err_egfr_nan", line("stage --egfr NaN"), 2},
		{"err_egfr_implausible", line("stage --egfr 400"), 2},
		{"err_positional", line("stage 42"), 2},
	})
}
