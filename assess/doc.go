// Package assess turns a patient's record (a record.Timeline) and an as-of
// time into one Assessment: where the kidney stands (eGFR for every
// creatinine, KDIGO G and A category, heat-map risk, persistence), where it
// is heading (eGFR slope, progression rules, KFRE), whether lupus nephritis
// is responding or flaring (SLEDAI-2K, biopsy class and NIH indices, renal
// response to the latest induction, renal flares), what needs attention
// (alerts with stable codes, a severity and a source), and what followed
// each therapy (eGFR slope and UPCR before and after, with its evidence
// level and the caveat that an uncontrolled comparison shows no cause).
//
// The formulas and rules are those of the egfr, ckd, kfre and lupus
// packages; assess chooses which to apply, to which values, and says so.
// Its own thresholds (alerts, monitoring intervals, windows) cite their
// sources where they are defined: KDIGO 2024 CKD (Kidney Int
// 2024;105(4S):S117-S314), KDIGO 2012 CKD and Anemia guidelines, KDIGO
// 2021 blood pressure guideline, KDIGO 2012 GN Table 29, KDIGO 2024 LN, ACR
// 2024 LN (Sammaritano, Arthritis Care Res 2025;77:1045) and the project's
// docs/lupus.md sections named in each comment.
//
// The package is pure: Assess reads no clock and does no I/O, and uses only
// data taken at or before asOf. A value that cannot be computed is nil (JSON
// null) and the reason is in Assessment.Missing. docs/report.md documents
// every JSON field; docs/caveats.md ("Assessment") records the decisions:
//
//   - a creatinine reported as a bound ("<0.2") gets no eGFR; one with
//     importer notes is computed and carries them;
//   - a creatinine taken on dialysis gets no eGFR; slopes leave out values
//     before a kidney transplant;
//   - slopes and the KFRE use the creatinine-only eGFR, so that a day with a
//     cystatin C does not switch equation inside a trend;
//   - ratio thresholds are applied in the unit the laboratory reported;
//   - lupus rules apply only when the record shows lupus (diagnosis, biopsy
//     or SLEDAI-2K findings);
//   - before/after therapy effects are descriptive, never causal.
package assess
