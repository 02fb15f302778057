package assess_test

import (
	"regexp"
	"testing"

	"renalwatch/assess"
)

// "ACR" is also the albumin-to-creatinine ratio ("ACR 744 mg/g"): the
// American College of Rheumatology guideline is named in full in every
// message and source ("ACR (American College of Rheumatology) 2024 lupus
// nephritis guideline"), never as a bare "ACR 2024".
func TestACRGuidelineNamedUnambiguously(t *testing.T) {
	bare := regexp.MustCompile(`ACR 20[0-9][0-9]`)
	a := assess.Assess(classIVToG4(t).timeline(), day("2024-01-01"), assess.DefaultConfig())
	seen := false
	for _, al := range a.Alerts {
		for _, s := range []string{al.Message, al.Source} {
			if bare.MatchString(s) {
				t.Errorf("alert %s: bare guideline name in %q", al.Code, s)
			}
		}
		if al.Code == assess.AlertNoResponse6m {
			seen = true
		}
	}
	if !seen {
		t.Fatalf("fixture raised no no-response alert: %+v", a.Alerts)
	}
}
