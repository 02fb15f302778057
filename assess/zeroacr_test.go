package assess

import (
	"strings"
	"testing"
	"time"

	"renalwatch/ckd"
	"renalwatch/kfre"
	"renalwatch/record"
	"renalwatch/units"
)

// An ACR of 0 mg/g is staged A1, and the KFRE's reason says why it gives
// no risk: the KFRE takes ln(ACR) (Tangri 2011, 2016), which a 0 (below the
// laboratory's detection limit) cannot enter, in the words the kfre
// command uses (kfre.WantPositiveACR); not "no ACR or UPCR" (trial 3 #5).
func TestZeroACRKFREReason(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.UTC() }
	p := record.Patient{ID: "z", Sex: record.Male, BirthDate: day("1960-05-05")}
	tl := record.NewTimeline(p, record.Batch{Observations: []record.Observation{
		{ID: "cr", PatientID: "z", Analyte: units.Creatinine, Value: units.Q(2.5, units.MgPerDL), Time: day("2026-10-02")},
		{ID: "acr", PatientID: "z", Analyte: units.ACR, Value: units.Q(0, units.MgPerG), Time: day("2026-10-02")},
	}})
	a := Assess(tl, day("2026-11-01"), DefaultConfig())
	if a.Kidney.Stage.A == nil || a.Kidney.Stage.A.String() != "A1" {
		t.Errorf("A category %v, want A1", a.Kidney.Stage.A)
	}
	if a.Kidney.KFRE != nil {
		t.Fatalf("KFRE computed from ACR 0: %+v", a.Kidney.KFRE)
	}
	var why string
	for _, m := range a.Missing {
		if m.Path == "kidney.kfre" {
			why = m.Reason
		}
	}
	for _, want := range []string{"the latest ACR (0 mg/g on 2026-10-02) is 0", "detection limit", kfre.WantPositiveACR, "Tangri 2011", "Tangri 2016"} {
		if !strings.Contains(why, want) {
			t.Errorf("KFRE reason %q lacks %q", why, want)
		}
	}
	if strings.Contains(why, "no ACR or UPCR") {
		t.Errorf("KFRE reason calls the ACR of 0 missing: %q", why)
	}
	// The kfre package refuses the same input with the same words.
	_, err := kfre.Predict(kfre.Input{Age: 66, Sex: ckd.Male, EGFR: 28, ACR: units.Q(0, units.MgPerG), Region: kfre.NorthAmerica})
	if err == nil || !strings.Contains(err.Error(), kfre.WantPositiveACR) {
		t.Errorf("kfre.Predict(ACR 0) error %v", err)
	}
}
