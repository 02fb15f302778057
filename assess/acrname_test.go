package assess_test

import (
	"regexp"
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
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

// Trial #24: with hypertension not recorded, the estimated-ACR note says
// when a RAAS blocker was running at the UPCR (ramipril and BP 148/94 read
// as "hypertension absent"); the Sumida term stays absent.
func TestACRNoteSaysAntihypertensiveRecorded(t *testing.T) {
	b := newPatient(t, "htn", "1970-01-01", record.Female).
		obs(units.Creatinine, "2024-05-01", 2.0, units.MgPerDL).
		obs(units.PCR, "2024-05-01", 1.8, units.GPerG)
	plain := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
	b.therapy(record.RAASBlockade, "ramipril", "2020-07-01", "")
	onACEi := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
	if plain.Kidney.KFRE == nil || onACEi.Kidney.KFRE == nil {
		t.Fatal("no KFRE")
	}
	if strings.Contains(plain.Kidney.KFRE.ACRNote, "the record has") {
		t.Errorf("without a RAAS blocker: %q", plain.Kidney.KFRE.ACRNote)
	}
	if !strings.Contains(onACEi.Kidney.KFRE.ACRNote, "the record has ramipril since 2020-07-01 (RAAS blockade, also given for proteinuria alone), which CKD Prognosis Consortium analyses count as hypertension") {
		t.Errorf("on ramipril: %q", onACEi.Kidney.KFRE.ACRNote)
	}
	if onACEi.Kidney.KFRE.ACR.Value != plain.Kidney.KFRE.ACR.Value {
		t.Errorf("the note changed the estimate: %v vs %v", onACEi.Kidney.KFRE.ACR, plain.Kidney.KFRE.ACR)
	}
}
