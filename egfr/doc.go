// Package egfr estimates glomerular filtration rate from serum creatinine,
// cystatin C, age, sex, height and weight with the published equations, each
// under a stable name:
//
//	ckd-epi-2021       CKD-EPI 2021 creatinine, race-free (Inker 2021)    adults
//	ckd-epi-2021-cys   CKD-EPI 2021 creatinine-cystatin C (Inker 2021)    adults
//	ckd-epi-2012-cys   CKD-EPI 2012 cystatin C (Inker 2012)               adults
//	ckd-epi-2009       CKD-EPI 2009 creatinine (Levey 2009), legacy       adults
//	mdrd               MDRD 4-variable, IDMS (175; Levey 2006), legacy    adults
//	mdrd-186           MDRD 4-variable, non-IDMS (186), legacy            adults
//	ekfc               EKFC creatinine (Pottel 2021)                      from 2 years
//	ekfc-cys           EKFC cystatin C, sex-free (Pottel 2023)            from 2 years
//	ckid-u25           CKiD U25 creatinine (Pierce 2021)                  1-25 years
//	ckid-u25-cys       CKiD U25 cystatin C (Pierce 2021)                  1-25 years
//	ckid-u25-avg       mean of the two CKiD U25 estimates                 1-25 years
//	schwartz           bedside Schwartz (Schwartz 2009)                   1-17 years
//	cockcroft-gault    creatinine clearance, mL/min (Cockcroft 1976)      adults
//
// Compute validates its Input (units, plausible ranges, which inputs the
// equation uses) and returns a Result that names the equation, its source,
// the inputs used, the unit and any warnings. The per-equation functions
// (CKDEPI2021, EKFC, ...) take canonical numbers (creatinine mg/dL, cystatin C
// mg/L, height cm, weight kg, age years) and do not validate: they are the
// fast path for callers that already have validated inputs. CKDEPI2021Batch
// and CKDEPI2021CrCysBatch compute whole columns on all cores, bit for bit as
// the per-row functions do.
//
// Coefficients follow the papers as summarised and cross-checked in the
// project's docs/kidney.md §2.1-§2.10. Where public implementations disagree
// (docs/caveats.md, "eGFR equations"), this package follows the paper:
// CKD-EPI 2009 uses 141 x 1.018 = 143.538 for women (not the table's rounded
// 144); EKFC's adult Q is 62/80 umol/L (not 0.70/0.90 mg/dL); CKiD U25 uses the
// CKiD study's own K tables; mdrd is the IDMS form (175).
//
// Caveats: eGFR is an estimate for a person in steady state; it is unreliable
// when creatinine is changing (acute kidney injury), at extremes of muscle
// mass, and with cystatin C not calibrated to IFCC/ERM-DA471. Sex means
// administrative sex as recorded, because the equations were developed with
// sex-specific coefficients. The race coefficient exists only to reproduce
// historical values from the legacy equations; current guidelines (KDIGO 2024,
// NKF-ASN 2021) use race-free equations.
package egfr
