package main

import "testing"

func TestFlareCommand(t *testing.T) {
	runCommandGolden(t, "flare", []goldenCase{
		{"text", []string{"--baseline-upcr", "400mg/g", "--upcr", "1300mg/g", "--baseline-creatinine", "0.9mg/dL", "--creatinine", "1.05mg/dL"}, 0},
		{"json", []string{"--baseline-upcr", "40mg/mmol", "--upcr", "100mg/mmol", "--baseline-rbc", "3", "--rbc", "20", "--casts", "--json"}, 0},
		{"kdigo-5000-no-band", []string{"--baseline-upcr", "1000mg/g", "--upcr", "5000mg/g"}, 0},
		{"kdigo-hematuria-only", []string{"--baseline-upcr", "300mg/g", "--upcr", "300mg/g", "--baseline-rbc", "4", "--rbc", "16"}, 0},
		{"kdigo-no-flare-json", []string{"--baseline-upcr", "400mg/g", "--upcr", "999mg/g", "--json"}, 0},
		{"moroni-nephritic-json", []string{"--rule", "moroni", "--baseline-upcr", "0.6g/g", "--upcr", "0.8g/g", "--baseline-creatinine", "80umol/L", "--creatinine", "110umol/L", "--sediment", "active", "--json"}, 0},
		{"moroni-proteinuric", []string{"--rule", "moroni", "--baseline-upcr", "1g/g", "--upcr", "3g/g"}, 0},
		{"eular-2012", []string{"--rule", "eular-2012", "--baseline-upcr", "300mg/g", "--upcr", "600mg/g", "--after", "complete"}, 0},
		{"aurora-2-json", []string{"--rule", "aurora-2", "--baseline-upcr", "0.15g/g", "--upcr", "1.2g/g", "--json"}, 0},
		// Issue 3 regressions (defects 1, 2, 3).
		{"kdigo-falling-6000-to-5500", []string{"--baseline-upcr", "6000mg/g", "--upcr", "5500mg/g", "--baseline-creatinine", "1mg/dL", "--creatinine", "1mg/dL", "--baseline-rbc", "2", "--rbc", "3", "--casts=false"}, 0},
		{"kdigo-increase-over-5000-json", []string{"--baseline-upcr", "100mg/g", "--upcr", "5200mg/g", "--json"}, 0},
		{"kdigo-at-least-moderate-json", []string{"--baseline-upcr", "400mg/g", "--upcr", "1200mg/g", "--json"}, 0},
		{"kdigo-no-flare-on-criteria-assessed", []string{"--baseline-upcr", "400mg/g", "--upcr", "300mg/g"}, 0},
		{"kdigo-mixed-units", []string{"--baseline-upcr", "480mg/g", "--upcr", "150mg/mmol", "--baseline-creatinine", "1mg/dL", "--creatinine", "1mg/dL", "--baseline-rbc", "2", "--rbc", "3", "--casts=false"}, 0},
		{"moroni-creatinine-no-sediment-json", []string{"--rule", "moroni", "--baseline-upcr", "0.5g/g", "--upcr", "0.6g/g", "--baseline-creatinine", "1mg/dL", "--creatinine", "1.5mg/dL", "--json"}, 0},
		{"eular-2012-mg-mmol-converted", []string{"--rule", "eular-2012", "--baseline-upcr", "20mg/mmol", "--upcr", "52mg/mmol", "--after", "complete", "--sediment", "inactive"}, 0},
		{"err-rule-cannot-use-sediment", []string{"--baseline-upcr", "400mg/g", "--upcr", "1300mg/g", "--sediment", "active"}, 2},
		{"err-aurora-creatinine", []string{"--rule", "aurora-2", "--baseline-upcr", "0.1g/g", "--upcr", "1.2g/g", "--baseline-creatinine", "1mg/dL", "--creatinine", "2mg/dL"}, 2},
		{"err-moroni-rbc", []string{"--rule", "moroni", "--baseline-upcr", "1g/g", "--upcr", "3g/g", "--baseline-rbc", "2", "--rbc", "30"}, 2},
		{"err-eular-no-after", []string{"--rule", "eular-2012", "--baseline-upcr", "300mg/g", "--upcr", "600mg/g"}, 2},
		{"err-creatinine-without-baseline", []string{"--baseline-upcr", "400mg/g", "--upcr", "1300mg/g", "--creatinine", "1.5mg/dL"}, 2},
		{"err-creatinine-mg-dl-implausible", []string{"--baseline-upcr", "400mg/g", "--upcr", "1300mg/g", "--baseline-creatinine", "88mg/dL", "--creatinine", "110umol/L"}, 2},
		{"err-upcr-acr", []string{"--baseline-upcr", "30mg/mmol ACR", "--upcr", "100mg/mmol"}, 2},
		{"err-missing-baseline", []string{"--upcr", "100mg/mmol"}, 2},
		{"err-aurora-baseline-above-1", []string{"--rule", "aurora-2", "--baseline-upcr", "1.5g/g", "--upcr", "4g/g"}, 2},
		{"err-unknown-rule", []string{"--rule", "kdigo", "--baseline-upcr", "400mg/g", "--upcr", "1300mg/g"}, 2},
	})
}
