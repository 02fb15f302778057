// Package assess turns a patient's record.Timeline and an as-of date into an
// Assessment: eGFR for every creatinine, the KDIGO G and A categories with
// heat-map risk and persistence, the eGFR slope, the KFRE when eligible, the
// latest SLEDAI-2K and biopsy, alerts with stable codes, and what was
// missing. It is pure: no I/O, no clock; values after the as-of date are
// not seen.
//
// Sources are those of the packages it calls (egfr, ckd, kfre, lupus) and,
// for alert thresholds, those named on each Alert (docs/lupus.md §7).
//
// Not built yet (each is listed in Assessment.Missing so that nothing reads
// as "fine" when it was not assessed): lupus renal response and flares over
// the timeline, therapy evidence levels and before/after effects, the
// monitoring-overdue reminder (its KDIGO 2024 frequencies are unverified,
// lupus.md §7.3), active urine sediment and the KFRE from UPCR (Sumida 2020
// needs diabetes and hypertension status, which the record does not map).
package assess
