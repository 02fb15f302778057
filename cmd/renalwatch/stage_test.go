package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"renalwatch/internal/golden"
)

// ckdGoldenCase runs one command line in-process and compares exit code,
// stdout and stderr with testdata/DIR/NAME.golden.
type ckdGoldenCase struct {
	name string
	args string // split on spaces
	code int
}

func runCKDGolden(t *testing.T, dir string, cases []ckdGoldenCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), strings.Fields(tc.args), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("renalwatch %s: exit %d, want %d\nstdout: %s\nstderr: %s", tc.args, code, tc.code, stdout.String(), stderr.String())
			}
			got := fmt.Sprintf("$ renalwatch %s\nexit: %d\n--- stdout\n%s--- stderr\n%s", tc.args, code, stdout.String(), stderr.String())
			golden.Assert(t, dir+"/"+tc.name+".golden", []byte(got))
		})
	}
}

func TestStageGolden(t *testing.T) {
	runCKDGolden(t, "stage", []ckdGoldenCase{
		{"g4_a3_text", "stage --egfr 22 --acr 35mg/mmol", 0},
		{"g4_a3_json", "stage --egfr 22 --acr 35mg/mmol --json", 0},
		{"g3a_pcr_json", "stage --egfr 52 --pcr 0.6g/g --json", 0},
		{"pcr_15_mg_mmol_json", "stage --egfr 45 --pcr 15mg/mmol --json", 0},
		{"acr_3_mg_mmol_only", "stage --acr 3mg/mmol", 0},
		{"acr_3_mg_mmol_json", "stage --acr 3mg/mmol --json", 0},
		{"egfr_only_json", "stage --egfr 60 --json", 0},
		{"g1_a1_low", "stage --egfr 95 --acr 10mg/g", 0},
		{"g1_a1_low_json", "stage --egfr 95 --acr 10mg/g --json", 0},
		{"g3b_a1_json", "stage --egfr 30 --acr 29.9mg/g --json", 0},
		{"help", "stage --help", 0},
		{"err_nothing", "stage", 2},
		{"err_acr_and_pcr", "stage --acr 30mg/g --pcr 150mg/g", 2},
		{"err_acr_no_unit", "stage --acr 30", 2},
		{"err_acr_wrong_unit", "stage --acr 30mg/L", 2},
		{"err_egfr_negative", "stage --egfr -1", 2},
		{"err_egfr_nan", "stage --egfr NaN", 2},
		{"err_egfr_implausible", "stage --egfr 400", 2},
		{"err_positional", "stage 42", 2},
	})
}
