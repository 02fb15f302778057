package egfr_test

import (
	"fmt"

	"renalwatch/egfr"
	"renalwatch/units"
)

func ExampleCompute() {
	r, err := egfr.Compute("ckd-epi-2021", egfr.Input{
		Creatinine: units.Q(106, units.UmolPerL),
		Age:        54,
		Sex:        egfr.Female,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Independently: 142 x (1.1991/0.7)^-1.2 x 0.9938^54 x 1.012 = 53.77.
	fmt.Printf("%s: %.1f %s\n", r.Equation.Name, r.Value, r.Unit)
	fmt.Println("creatinine used:", r.Inputs.Creatinine.Text())
	fmt.Println(r.Equation.Source)
	// Output:
	// ckd-epi-2021: 53.8 mL/min/{1.73_m2}
	// creatinine used: 1.1990950226244343 mg/dL
	// Inker LA et al. N Engl J Med 2021;385:1737-49, doi:10.1056/NEJMoa2102953
}

func ExampleCompute_rejected() {
	_, err := egfr.Compute("ckd-epi-2021", egfr.Input{
		Creatinine: units.Q(1.2, units.MgPerDL),
		CystatinC:  units.Q(1.1, units.MgPerL),
		Age:        54,
		Sex:        egfr.Female,
	})
	fmt.Println(err)
	// Output:
	// egfr: cystatin is not used by ckd-epi-2021 (it uses creatinine, sex and age); equations that use cystatin: ckd-epi-2021-cys, ckd-epi-2012-cys, ekfc-cys, ckid-u25-cys, ckid-u25-avg
}

func ExampleCKDEPI2021() {
	// Male, 60 years, creatinine 1.4 mg/dL (kidney.epi's example: 57.54).
	fmt.Printf("%.2f\n", egfr.CKDEPI2021(1.4, 60, egfr.Male))
	// Output: 57.54
}

func ExampleCKDEPI2021CrCys() {
	// Male, 60 years, creatinine 1.4 mg/dL, cystatin C 0.8 mg/L (kidney.epi: 83.97).
	fmt.Printf("%.2f\n", egfr.CKDEPI2021CrCys(1.4, 0.8, 60, egfr.Male))
	// Output: 83.97
}

func ExampleCKDEPI2012Cys() {
	fmt.Printf("%.2f\n", egfr.CKDEPI2012Cys(1.8, 65, egfr.Male))
	// Output: 34.91
}

func ExampleCKDEPI2009() {
	// Male, 60 years, 1.4 mg/dL (kidney.epi: 54.22); the race coefficient
	// only reproduces historical values.
	fmt.Printf("%.2f %.2f\n", egfr.CKDEPI2009(1.4, 60, egfr.Male, false), egfr.CKDEPI2009(1.4, 60, egfr.Male, true))
	// Output: 54.22 62.84
}

func ExampleMDRD() {
	fmt.Printf("%.2f\n", egfr.MDRD(1.4, 60, egfr.Male, false))
	// Output: 51.69
}

func ExampleMDRD186() {
	// kidney.epi's egfr.mdrd4 defaults to this non-IDMS form: 54.94.
	fmt.Printf("%.2f\n", egfr.MDRD186(1.4, 60, egfr.Male, false))
	// Output: 54.94
}

func ExampleEKFC() {
	// Male, 60 years, 1.4 mg/dL (kidney.epi: 53.56).
	fmt.Printf("%.2f\n", egfr.EKFC(1.4, 60, egfr.Male))
	// Output: 53.56
}

func ExampleEKFCCys() {
	// Cystatin C 0.8 mg/L at 60 years (kidney.epi: 90.5).
	fmt.Printf("%.1f\n", egfr.EKFCCys(0.8, 60))
	// Output: 90.5
}

func ExampleCKiDU25Cr() {
	// CKiD worked example: male, 15 years, 160 cm, creatinine 1.9 mg/dL: 37.5.
	fmt.Printf("%.1f\n", egfr.CKiDU25Cr(1.9, 160, 15, egfr.Male))
	// Output: 37.5
}

func ExampleCKiDU25Cys() {
	// CKiD worked example: female, 20 years, cystatin C 1.8 mg/L: 37.9.
	fmt.Printf("%.1f\n", egfr.CKiDU25Cys(1.8, 20, egfr.Female))
	// Output: 37.9
}

func ExampleCKiDU25Avg() {
	// CKiD worked example: male, 11 years, 120 cm, creatinine 0.9, cystatin C 1.3: 57.9.
	fmt.Printf("%.1f\n", egfr.CKiDU25Avg(0.9, 1.3, 120, 11, egfr.Male))
	// Output: 57.9
}

func ExampleSchwartz() {
	// 90 cm, creatinine 1.4 mg/dL (kidney.epi: 26.55).
	fmt.Printf("%.2f\n", egfr.Schwartz(1.4, 90))
	// Output: 26.55
}

func ExampleCockcroftGault() {
	// Creatinine clearance in mL/min, not indexed to body surface area.
	fmt.Printf("%.1f mL/min\n", egfr.CockcroftGault(1.2, 60, 80, egfr.Female))
	// Output: 35.4 mL/min
}
