// Package units owns lab quantities: a value with its UCUM unit, parsing of the
// forms people type ("1.2mg/dL", "106 µmol/L"), conversion between units, and
// the plausible range of each analyte.
//
// It never guesses. A number without a unit, a unit that does not fit the
// analyte, and a value outside the analyte's plausible range are typed errors
// that name the field, the value and what is accepted. Conversions use named
// factors with their sources:
//
//   - creatinine: 1 mg/dL = 88.4 µmol/L (KDIGO 2012 CKD guideline; KDIGO 2012
//     GN guideline Table 29 pairs 2.0 mg/dL with 177 µmol/L);
//   - cystatin C: 1 mg/L = 74.9 nmol/L (molar mass about 13.3 kDa; kidney.epi);
//   - albumin- and protein-to-creatinine ratios: 1 mg/mmol = 8.84 mg/g, which is
//     the creatinine molar mass of 113.12 g/mol (KDIGO 2012 CKD guideline Table 5);
//   - calcium: 1 mmol/L = 4.0 mg/dL; phosphate: 1 mmol/L = 3.1 mg/dL; albumin:
//     1 g/L = 0.1 g/dL (the conversions used by the KFRE calculators, Tangri 2011);
//   - haemoglobin: 1 g/dL = 10 g/L.
//
// Units follow UCUM case-sensitive codes (µmol/L is written umol/L; mm Hg is
// mm[Hg]; the indexed GFR unit is mL/min/{1.73_m2}). The plausible ranges are
// engineering limits, wider than anything a living patient shows; they exist to
// catch unit mistakes (creatinine 106 "mg/dL" is 106 µmol/L), not to flag
// abnormal results.
package units
