// Package ckd classifies chronic kidney disease by the KDIGO scheme: GFR
// category (G1–G5), albuminuria category (A1–A3, from an ACR or from a PCR)
// and the heat-map risk of progression; persistence of an abnormality over
// more than 90 days and the eGFR slope; and it estimates an ACR from a PCR
// with the Sumida 2020 equation.
//
// Sources: KDIGO 2012 Clinical Practice Guideline for the Evaluation and
// Management of CKD (Kidney Int Suppl 2013;3:1–150), Tables 5, 6 and 7 and
// Figure 9, kept unchanged in the KDIGO 2024 CKD guideline (Kidney Int
// 2024;105(4S):S117–S314); Sumida K et al., Ann Intern Med 2020;173:426–435
// for the PCR-to-ACR conversion.
//
// Caveats:
//
//   - Category lower bounds are inclusive: eGFR 60 is G2, ACR 30 mg/g is A2,
//     ACR 300 mg/g is A3, 3 mg/mmol is A2 (some implementations, such as
//     epocakir, use strict ">" and leave exactly 3 mg/mmol in A1).
//
//   - A ratio is compared with the guideline's threshold in the unit it was
//     reported in (30/300 mg/g, 3/30 mg/mmol, 0.03/0.3 g/g; PCR 150/500
//     mg/g, 15/50 mg/mmol), never after converting: 3 mg/mmol is A2 although
//     3 × 8.84 = 26.5 mg/g.
//
//   - "Low" heat-map risk with G1/G2 A1 means no CKD unless another marker of
//     kidney damage is present; the categories grade risk, they do not
//     diagnose CKD, which needs abnormalities persisting for more than 3
//     months.
//
//   - An ACR estimated from a PCR is always flagged as estimated, with its
//     source; it is never presented as measured.
//
//   - Persistence (Persists) needs two abnormal results more than 90 days
//     apart with no normal result between them; the caller decides what is
//     abnormal. The eGFR slope (EGFRSlope) is an ordinary least-squares fit
//     over at least 3 results spanning at least 90 days, with a 95%
//     confidence interval; "rapid" (RapidProgression) is KDIGO 2012's decline
//     faster than 5 mL/min/1.73 m2 per year. KDIGO 2024's > 20 % change
//     between tests (SignificantChange) and KDIGO 2012's certain drop
//     (CertainDrop) are separate named rules; NICE NG203 is named but not
//     applied (ambiguity A5).
package ckd
