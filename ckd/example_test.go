package ckd_test

import (
	"fmt"
	"time"

	"renalwatch/ckd"
	"renalwatch/units"
)

func ExampleACategory() {
	// 3 mg/mmol is A2: the mg/mmol threshold is compared in mg/mmol, not
	// after converting to 26.5 mg/g.
	for _, q := range []units.Quantity{units.Q(29, units.MgPerG), units.Q(30, units.MgPerG), units.Q(3, units.MgPerMmol), units.Q(300, units.MgPerG)} {
		a, err := ckd.ACategory(q)
		fmt.Println(q.Text(), a, err)
	}
	// Output:
	// 29 mg/g A1 <nil>
	// 30 mg/g A2 <nil>
	// 3 mg/mmol A2 <nil>
	// 300 mg/g A3 <nil>
}

func ExampleACategoryFromPCR() {
	a, err := ckd.ACategoryFromPCR(units.Q(50, units.MgPerMmol))
	fmt.Println(a, err)
	// Output: A3 <nil>
}

func ExampleHeatMapRisk() {
	g, _ := ckd.GCategory(20)
	a, _ := ckd.ACategory(units.Q(350, units.MgPerG))
	r, _ := ckd.HeatMapRisk(g, a)
	fmt.Println(g, a, r)
	// Output: G4 A3 very high
}

func ExampleEstimateACR() {
	est, err := ckd.EstimateACR(ckd.PCRInput{PCR: units.Q(150, units.MgPerG), Sex: ckd.Male})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("ACR %.1f %s (estimated: %v)\n", est.ACR.Value, est.ACR.Unit, est.Estimated)
	// Output: ACR 29.4 mg/g (estimated: true)
}

func ExampleGCategory() {
	for _, egfr := range []float64{60, 59.6, 29.9, 14} {
		g, _ := ckd.GCategory(egfr)
		fmt.Println(egfr, g)
	}
	// Output:
	// 60 G2
	// 59.6 G3a
	// 29.9 G4
	// 14 G5
}

func ExampleEGFRSlope() {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	s, err := ckd.EGFRSlope([]ckd.Point{
		{Time: d(2023, 1, 10), EGFR: 48},
		{Time: d(2023, 7, 12), EGFR: 44},
		{Time: d(2024, 1, 9), EGFR: 39},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.1f mL/min/1.73m2 per year (95%% CI %.1f to %.1f) over %d results; rapid: %v\n",
		s.PerYear, s.CI95[0], s.CI95[1], s.Points, ckd.RapidProgression(s))
	// Output: -9.0 mL/min/1.73m2 per year (95% CI -16.8 to -1.3) over 3 results; rapid: true
}

func ExamplePersists() {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	p, _ := ckd.Persists([]ckd.Finding{
		{At: d(2024, 1, 5), Abnormal: true},  // ACR 45 mg/g (A2)
		{At: d(2024, 3, 1), Abnormal: true},  // 56 days later: not yet chronic
		{At: d(2024, 4, 20), Abnormal: true}, // 106 days after the first
	}, d(2024, 6, 1))
	fmt.Println(p.Persistent, p.Since.Format(time.DateOnly), p.Confirmed.Format(time.DateOnly))
	// Output: true 2024-01-05 2024-04-20
}
