// Package ckd classifies chronic kidney disease by the KDIGO scheme: GFR
// category (G1–G5), albuminuria category (A1–A3) and the heat-map risk of
// progression, with persistence, eGFR slope and progression rules.
//
// Sources: KDIGO 2012 Clinical Practice Guideline for the Evaluation and
// Management of CKD (Kidney Int Suppl 2013;3:1–150), Tables 5 and 6 and
// Figure 9, kept unchanged in the KDIGO 2024 CKD guideline (Kidney Int
// 2024;105(4S):S117–S314). Category lower bounds are inclusive: eGFR 60 is G2,
// ACR 30 mg/g is A2, ACR 300 mg/g is A3.
package ckd
