package synth

import "math"

// CreatinineCKDEPI2021 returns the serum creatinine (mg/dL) at which the
// CKD-EPI 2021 race-free creatinine equation gives gfr (mL/min/1.73 m2):
//
//	eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age x 1.012 [female]
//	female k = 0.7, a = -0.241; male k = 0.9, a = -0.302
//
// solved for Scr (Inker LA et al. N Engl J Med 2021;385:1737-49). The two
// branches meet at Scr = k, where eGFR = 142 x 0.9938^age (x 1.012), so the
// branch is chosen by comparing gfr with that value. Tests check that
// egfr.CKDEPI2021 of the result gives gfr back.
func CreatinineCKDEPI2021(gfr, age float64, female bool) float64 {
	k, a, c := 0.9, -0.302, 142.0
	if female {
		k, a, c = 0.7, -0.241, 142*1.012
	}
	atK := c * math.Pow(0.9938, age) // eGFR at Scr = k
	p := -1.200
	if gfr > atK {
		p = a
	}
	return k * math.Pow(gfr/atK, 1/p)
}

// CreatinineCKiDU25 returns the serum creatinine (mg/dL) at which the CKiD
// U25 creatinine equation, eGFR = K x height(m) / Scr, gives gfr, with K by
// sex and age as in Pierce CB et al. Kidney Int 2021;99:948-56 (the K of
// egfr.CKiDU25Cr):
//
//	male:   age < 12: 39.0 x 1.008^(age-12); 12-18: 39.0 x 1.045^(age-12); 18+: 50.8
//	female: age < 12: 36.1 x 1.008^(age-12); 12-18: 36.1 x 1.023^(age-12); 18+: 41.4
func CreatinineCKiDU25(gfr, heightCm, age float64, female bool) float64 {
	var k float64
	switch {
	case !female && age < 12:
		k = 39.0 * math.Pow(1.008, age-12)
	case !female && age < 18:
		k = 39.0 * math.Pow(1.045, age-12)
	case !female:
		k = 50.8
	case age < 12:
		k = 36.1 * math.Pow(1.008, age-12)
	case age < 18:
		k = 36.1 * math.Pow(1.023, age-12)
	default:
		k = 41.4
	}
	return k * heightCm / 100 / gfr
}

// gStage is the KDIGO GFR category of a true GFR (KDIGO 2012 CKD guideline:
// G1 ≥ 90, G2 60-89, G3a 45-59, G3b 30-44, G4 15-29, G5 < 15).
func gStage(g float64) string {
	switch {
	case g >= 90:
		return "G1"
	case g >= 60:
		return "G2"
	case g >= 45:
		return "G3a"
	case g >= 30:
		return "G3b"
	case g >= 15:
		return "G4"
	}
	return "G5"
}
