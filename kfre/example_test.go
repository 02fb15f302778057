package kfre_test

import (
	"fmt"

	"renalwatch/ckd"
	"renalwatch/kfre"
	"renalwatch/units"
)

func ExamplePredict() {
	res, err := kfre.Predict(kfre.Input{
		Age:    72,
		Sex:    ckd.Female,
		EGFR:   28,
		ACR:    units.Q(800, units.MgPerG),
		Region: kfre.NorthAmerica,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d-variable, %s: 2-year %.1f%%, 5-year %.1f%%\n", res.Variables, res.Region.Calibration(), 100*res.Risk2y, 100*res.Risk5y)
	// Output: 4-variable, North American: 2-year 10.0%, 5-year 28.0%
}

func ExamplePredict_eightVariable() {
	res, err := kfre.Predict(kfre.Input{
		Age: 72, Sex: ckd.Female, EGFR: 28, ACR: units.Q(90.5, units.MgPerMmol), Region: kfre.Other,
		Albumin:     units.Q(34, units.GPerL),
		Phosphate:   units.Q(1.48, units.MmolPerL),
		Bicarbonate: units.Q(22, units.MmolPerL),
		Calcium:     units.Q(2.45, units.MmolPerL),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d-variable, %s: 2-year %.1f%%, 5-year %.1f%%\n", res.Variables, res.Region.Calibration(), 100*res.Risk2y, 100*res.Risk5y)
	fmt.Println("albumin used:", res.Inputs.Albumin.Text())
	// Output:
	// 8-variable, non-North American: 2-year 9.5%, 5-year 36.0%
	// albumin used: 3.4 g/dL
}

func ExamplePredict_missingLab() {
	_, err := kfre.Predict(kfre.Input{
		Age: 72, Sex: ckd.Female, EGFR: 28, ACR: units.Q(800, units.MgPerG), Region: kfre.Other,
		Albumin: units.Q(3.4, units.GPerDL),
	})
	fmt.Println(err)
	// Output: the 8-variable KFRE needs calcium, phosphate, bicarbonate, albumin; missing: calcium, phosphate, bicarbonate
}
