package main

import "testing"

func TestClassifyCommand(t *testing.T) {
	runCommandGolden(t, "classify", []goldenCase{
		{"text", []string{"--ana-positive", "biopsy_class_iii_or_iv", "low_c3_or_low_c4", "low_c3_and_low_c4"}, 0},
		{"json", []string{"--ana-positive", "biopsy_class_iii_or_iv", "anti_dsdna_or_anti_sm", "--json"}, 0},
		{"not-classified-no-clinical", []string{"--ana-positive", "anti_dsdna_or_anti_sm", "low_c3_and_low_c4"}, 0},
		{"not-applicable", []string{"biopsy_class_iii_or_iv", "anti_dsdna_or_anti_sm"}, 0},
		{"not-applicable-one-item", []string{"--ana-positive=false", "biopsy_class_iii_or_iv"}, 0}, // "the 1 item given" (singular)
		{"not-applicable-json", []string{"--ana-positive=false", "biopsy_class_iii_or_iv", "--json"}, 0},
		{"none", []string{"--ana-positive", "--none"}, 0},
		{"err-no-items", []string{"--ana-positive"}, 2}, // issue 3 defect 7: a forgotten argument is not 0 points
		{"err-no-items-no-ana", nil, 2},
		{"err-none-with-items", []string{"--ana-positive", "--none", "fever"}, 2},
		{"err-unknown-item", []string{"--ana-positive", "malar_rash"}, 2},
		{"err-suggest", []string{"--ana-positive", "oral_ulcer"}, 2},
		{"err-duplicate", []string{"--ana-positive", "fever", "fever"}, 2},
	})
}
