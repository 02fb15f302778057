package lupus_test

import (
	"fmt"

	"renalwatch/lupus"
	"renalwatch/units"
)

func ExampleSLEDAI2K() {
	r, err := lupus.SLEDAI2K([]string{"proteinuria", "hematuria", "low_complement", "increased_dna_binding", "rash"}, 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d (renal %d), window %d days\n", r.Index, r.Score, r.RenalScore, r.WindowDays)
	for _, b := range r.Activity {
		fmt.Printf("%s: %s\n", b.BandSet, b.Band)
	}
	// Output:
	// SLEDAI-2K (Gladman 2002): 14 (renal 8), window 10 days
	// ard-table: high
	// five-level: high
}

func ExampleEULARACR2019() {
	c, err := lupus.EULARACR2019(true, []string{"biopsy_class_iii_or_iv", "low_c3_or_low_c4"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Status, *c.Points)
	c, _ = lupus.EULARACR2019(false, []string{"biopsy_class_iii_or_iv"})
	fmt.Println(c.Status)
	// Output:
	// classified 13
	// not applicable
}

func ExampleBiopsy() {
	act := map[string]lupus.BiopsyValue{
		"endocapillary_hypercellularity":   {Percent: 60, IsPercent: true},
		"neutrophils_karyorrhexis":         {Score: 1},
		"fibrinoid_necrosis":               {Score: 1},
		"hyaline_deposits":                 {Score: 2},
		"cellular_fibrocellular_crescents": {Percent: 20, IsPercent: true},
		"interstitial_inflammation":        {Score: 1},
	}
	r, err := lupus.Biopsy("IV+V", lupus.ISNRPS2018, act, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("class %s, activity index %d, chronicity index assessed: %v\n", r.Class, *r.ActivityIndex, r.ChronicityIndex != nil)
	_, err = lupus.Biopsy("IV-G", lupus.ISNRPS2018, nil, nil)
	fmt.Println(err != nil)
	// Output:
	// class IV+V, activity index 11, chronicity index assessed: false
	// true
}

func ExampleResponse() {
	egfr0, egfr, months := 70.0, 66.0, 12.0
	r, err := lupus.Response(lupus.KDIGO2024, lupus.ResponseInput{
		BaselineUPCR: units.Q(350, units.MgPerMmol),
		UPCR:         units.Q(53, units.MgPerMmol), // 0.47 g/g by chemistry, but KDIGO's own cut-off is 50 mg/mmol
		BaselineEGFR: &egfr0, EGFR: &egfr, Months: &months,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Rule, r.Response)
	for _, c := range r.Criteria {
		fmt.Printf("%s: %s\n", c.Name, c.Status)
	}
	// Output:
	// kdigo-2024 partial
	// UPCR < 0.5 g/g (50 mg/mmol): not met
	// eGFR stable: no more than 10% below baseline: met
	// UPCR reduced by ≥ 50% from baseline: met
	// UPCR < 3 g/g (300 mg/mmol): met
}

func ExampleFlare() {
	r, err := lupus.Flare(lupus.KDIGO2012Flare, lupus.FlareInput{
		BaselineUPCR:       units.Q(400, units.MgPerG),
		UPCR:               units.Q(1300, units.MgPerG),
		BaselineCreatinine: units.Q(0.9, units.MgPerDL),
		Creatinine:         units.Q(1.05, units.MgPerDL),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Rule, r.Flare, *r.Severity)
	// Output:
	// kdigo-2012 true moderate
}
