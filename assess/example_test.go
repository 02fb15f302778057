package assess_test

import (
	"fmt"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// ExampleAssess assesses a short hand-written record: three creatinines and
// a UPCR for a 54-year-old woman.
func ExampleAssess() {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	p := record.Patient{ID: "p1", BirthDate: d("1970-01-01"), Sex: record.Female}
	var b record.Batch
	for i, v := range []float64{1.9, 2.1, 2.3} {
		b.Observations = append(b.Observations, record.Observation{ID: fmt.Sprint("cr", i), PatientID: "p1", Analyte: units.Creatinine,
			Value: units.Q(v, units.MgPerDL), Time: d("2023-06-01").AddDate(0, 3*i, 0)})
	}
	b.Observations = append(b.Observations, record.Observation{ID: "pcr", PatientID: "p1", Analyte: units.PCR,
		Value: units.Q(800, units.MgPerG), Time: d("2023-12-01")})
	a := assess.Assess(record.NewTimeline(p, b), d("2024-01-01"), assess.DefaultConfig())
	k := a.Kidney
	fmt.Printf("eGFR %.1f (%s, %s)\n", k.EGFR.Value, k.EGFR.Equation, k.EGFR.Date.Format("2006-01-02"))
	fmt.Printf("stage %s %s (A from %s), risk %s, persistent %v\n", k.Stage.G, k.Stage.A, k.Stage.ASource, k.Stage.Risk, k.Stage.Persistent)
	fmt.Printf("slope %.2f per year over %d values\n", k.Slope.PerYear, k.Slope.Points)
	fmt.Printf("KFRE %d-variable, ACR %s: 2y %.1f%%, 5y %.1f%%\n", k.KFRE.Variables, k.KFRE.ACRSource, 100*k.KFRE.Risk2y, 100*k.KFRE.Risk5y)
	for _, p := range k.Progression {
		if p.Rule == ckd.KDIGO2012Rapid {
			// Three values give a wide 95% CI: the decline is possible, not
			// shown to be sustained, so no rapid-progression alert.
			fmt.Printf("%s met %v possible %v\n", p.Rule, p.Met, p.Possible)
		}
	}
	for _, al := range a.Alerts {
		fmt.Println(al.Severity, al.Code)
	}
	// The fields are unrounded (eGFR 24.654..., 2-year risk 0.13647, 5-year
	// 0.36750): rounding them once, here, gives 24.7, 13.6% and 36.7%. When
	// assess rounded its JSON (eGFR 24.65, risks 0.1365 and 0.3675) this
	// printed 24.6, 13.7% and 36.8%, a double rounding (issue 7 item 13).

	// Output:
	// eGFR 24.7 (ckd-epi-2021, 2023-12-01)
	// stage G4 A3 (A from pcr), risk very high, persistent true
	// slope -12.88 per year over 3 values
	// KFRE 4-variable, ACR estimated: 2y 13.6%, 5y 36.7%
	// kdigo-2012-rapid met false possible true
	// warning ckd-g4
	// warning kfre-5y-referral
	// warning kfre-2y-multidisciplinary
	// info albuminuria-referral
}
