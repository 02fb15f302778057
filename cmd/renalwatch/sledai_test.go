package main

import (
	"testing"
)

func TestSLEDAICommand(t *testing.T) {
	runCommandGolden(t, "sledai", []goldenCase{
		{"text", []string{"proteinuria", "hematuria", "low_complement", "increased_dna_binding", "rash"}, 0},
		{"json", []string{"urinary_casts", "--window", "30", "pyuria", "--json"}, 0},
		{"all-items-json", []string{"seizure", "psychosis", "organic_brain_syndrome", "visual_disturbance", "cranial_nerve_disorder",
			"lupus_headache", "cva", "vasculitis", "arthritis", "myositis", "urinary_casts", "hematuria", "proteinuria", "pyuria",
			"rash", "alopecia", "mucosal_ulcers", "pleurisy", "pericarditis", "low_complement", "increased_dna_binding", "fever",
			"thrombocytopenia", "leukopenia", "--json"}, 0},
		{"none", []string{"--none"}, 0},
		{"none-json", []string{"--none", "--json"}, 0},
		{"err-no-items", nil, 2},                               // issue 3 defect 7: a forgotten argument is not a score of 0
		{"err-no-items-window", []string{"--window", "30"}, 2}, // flags alone are not items
		{"err-none-with-items", []string{"--none", "rash"}, 2},
		{"err-unknown-item", []string{"proteinuria", "hematuira"}, 2},
		{"err-duplicate", []string{"rash", "rash"}, 2},
		{"err-window", []string{"rash", "--window", "14"}, 2},
		{"err-window-not-number", []string{"rash", "--window", "ten"}, 2},
	})
}
