// Package kfre computes the Kidney Failure Risk Equation (KFRE): the 2- and
// 5-year probability of kidney failure (dialysis or transplant) for an adult
// with CKD G3–G5, with the 4-, 6- and 8-variable models and the North
// American and non-North American calibrations.
//
// Sources:
//   - Tangri N, Stevens LA, Griffith J, et al. A predictive model for
//     progression of chronic kidney disease to kidney failure. JAMA
//     2011;305(15):1553–1559 (development; coefficients and centring values
//     of the 4-, 6- and 8-variable models).
//   - Tangri N, Grams ME, Levey AS, et al. Multinational assessment of
//     accuracy of equations for predicting risk of kidney failure: a
//     meta-analysis. JAMA 2016;315(2):164–174 (CKD Prognosis Consortium, 31
//     cohorts: 2- and 5-year baseline survival for North America and a
//     recalibration for other regions).
//
// The constants are those of kidney.md §2.11, identical in kfre (Python and
// R, by L. Shpaner) and on kidneyfailurerisk.com; the tests reproduce the
// worked example table printed in kfre's README.
//
// Caveats:
//   - The 6-variable model (adds diabetes and hypertension) was not
//     recalibrated in 2016 and no published 2- and 5-year baseline survival
//     for it was found. This package borrows kfre's choice (the 4-variable
//     values; non-North-American rounded to three decimals: 0.9830, 0.9370)
//     and flags every 6-variable result with WarnBorrowedBaseline.
//   - The KFRE was developed and validated in adults with eGFR < 60
//     mL/min/1.73 m2. Results for eGFR >= 60 or age < 18 carry a warning.
//   - ACR enters as ln(ACR in mg/g); an ACR in mg/mmol or g/g is converted
//     first (1 mg/mmol = 8.84 mg/g). ACR must be greater than zero.
//   - One public page (nefro.polascin.net) prints a 5-year S0 of 0.9485,
//     which matches no published set; it is not used.
package kfre
