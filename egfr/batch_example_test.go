package egfr_test

import (
	"fmt"

	"renalwatch/egfr"
)

// Columns of a registry extract (creatinine already in mg/dL and validated,
// for example with egfr.Compute or units.Creatinine.Normalize) computed in one
// call; long columns use every core.
func ExampleCKDEPI2021Batch() {
	scr := []float64{1.4, 0.7, 1.2}
	age := []float64{60, 50, 54}
	sex := []egfr.Sex{egfr.Male, egfr.Female, egfr.Female}
	for i, v := range egfr.CKDEPI2021Batch(nil, scr, age, sex) {
		fmt.Printf("%.2f %v\n", v, v == egfr.CKDEPI2021(scr[i], age[i], sex[i]))
	}
	// Output:
	// 57.54 true
	// 105.30 true
	// 53.79 true
}
