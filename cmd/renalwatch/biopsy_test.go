package main

import "testing"

func TestBiopsyCommand(t *testing.T) {
	act := "endocapillary_hypercellularity=60%,neutrophils_karyorrhexis=1,fibrinoid_necrosis=1,hyaline_deposits=2,cellular_fibrocellular_crescents=20%,interstitial_inflammation=1"
	chr := "glomerulosclerosis=10%,fibrous_crescents=0,tubular_atrophy=1,interstitial_fibrosis=50%"
	runCommandGolden(t, "biopsy", []goldenCase{
		{"text", []string{"--class", "IV+V", "--activity", act, "--chronicity", chr}, 0},
		{"json", []string{"--class", "iv", "--activity", act, "--chronicity", chr, "--json"}, 0},
		{"max-json", []string{"--class", "IV", "--activity", "endocapillary_hypercellularity=3,neutrophils_karyorrhexis=3,fibrinoid_necrosis=3,hyaline_deposits=3,cellular_fibrocellular_crescents=100%,interstitial_inflammation=51%",
			"--chronicity", "glomerulosclerosis=3,fibrous_crescents=3,tubular_atrophy=3,interstitial_fibrosis=3", "--json"}, 0},
		{"partial", []string{"--class", "III", "--activity", "fibrinoid_necrosis=25%"}, 0},
		{"class-only-json", []string{"--class", "V", "--json"}, 0},
		{"err-class-vii", []string{"--class", "VII"}, 2},
		{"err-class-iv-g", []string{"--class", "IV-G", "--activity", act}, 2},
		{"err-class-stage-4", []string{"--class", "4"}, 2},
		{"err-no-class", []string{"--activity", act}, 2},
		{"err-percent-over-100", []string{"--class", "IV", "--activity", "fibrinoid_necrosis=101%"}, 2},
		{"err-score-over-3", []string{"--class", "IV", "--chronicity", "tubular_atrophy=4"}, 2},
		{"err-unknown-key", []string{"--class", "IV", "--activity", "fibrinoid_necrotis=1"}, 2},
		{"err-duplicate-key", []string{"--class", "IV", "--activity", "fibrinoid_necrosis=1,fibrinoid_necrosis=2"}, 2},
		{"err-no-equals", []string{"--class", "IV", "--activity", "fibrinoid_necrosis"}, 2},
	})
}
