// Package synth generates a virtual cohort of people with systemic lupus
// erythematosus (SLE), some with lupus nephritis (LN), whose true course is
// known, for tests, demonstrations, benchmarks and the checking of cohort
// analyses. No value comes from a real person.
//
// # Determinism
//
// Patient i of a seed is drawn from its own PCG stream (math/rand/v2,
// rand.NewPCG(seed, i)); the stem cell decision from a second stream, so
// that it moves no other draw. Nothing reads a clock or the global random
// source: the same seed and Version give the same bytes, whatever the
// number of workers (Write), and the follow-up ends on a fixed day
// (DefaultEnd, 2026-01-01). Any change to the model, a parameter or the
// output must change Version.
//
// # Model
//
// Each patient has a true GFR curve and a true UPCR curve (piecewise linear,
// UPCR on a log scale); results are drawn from them at visits.
//
//   - Demographics: 89% women, SLE diagnosed at 35.1 ± 13.3 years (truncated
//     to 18-75) — SLICC inception cohort (Hanly JG et al. Rheumatology
//     2016;55:252-62). Childhood onset (8-18 years) in 15% (ASSUMPTION).
//     Follow-up 1.5-10 years before the end date (ASSUMPTION).
//   - Nephritis in 38.3% of adults (SLICC), 80.9% of it at SLE diagnosis
//     (SLICC), the rest 3 months to 3 years later (ASSUMPTION); 55% of children
//     (ASSUMPTION). ISN/RPS class III 20%, IV 40%, V 15%, III+V 10%, IV+V 15%
//     (ASSUMPTION). Kidney biopsy at onset with NIH activity 4-14
//     (proliferative) or 0-2 (class V) and chronicity 0-4 (ASSUMPTION).
//   - Healthy GFR 105 ± 10 (adults, less 0.8 a year of age above 40) or 115
//     ± 12 (children) (ASSUMPTION). At onset the GFR falls 5-45%
//     (proliferative) or 0-20% (class V), and UPCR rises to a log-normal
//     value, median 3,000 mg/g (3,500 for class V), within 2,000-9,000
//     (ASSUMPTION; AURORA 1 enrolled UPCR ≥ 1.5 mg/mg).
//   - Induction 1-3 weeks after the biopsy, by arm (ASSUMPTION shares):
//     mycophenolate 35%, Euro-Lupus cyclophosphamide then azathioprine 15%,
//     belimumab added to either 25%, voclosporin added to mycophenolate 25%
//     (adults only). All arms: methylprednisolone pulses, prednisone for a
//     year, a RAAS blocker, hydroxychloroquine from SLE diagnosis.
//   - True response (see armRates): complete 40.8% with voclosporin vs
//     22.5% with mycophenolate (AURORA 1, week 52: Rovin BH et al. Lancet
//     2021;397:2070-80); 30% with belimumab vs 20% with standard therapy
//     (BLISS-LN, week 104: Furie R et al. N Engl J Med 2020;383:1117-28);
//     partial 29% in every arm (ASSUMPTION); the rest none. Complete: UPCR
//     falls to 100-200 mg/g 3-11 months after induction and the GFR recovers
//     50-100% of its loss; partial: UPCR to 35% of baseline (700-2,500 mg/g)
//     at 3-9 months, GFR recovers 20-70%; none: UPCR stays at 60-100% of
//     baseline, GFR at 85-100% of its onset value (ASSUMPTIONS for the
//     shapes). The truth's response date is when the true UPCR reaches its
//     response level.
//   - Renal flares in responders: constant hazard giving 25% in 4 years
//     from the response (MAINTAIN: 25% and 19% over a mean 48 months,
//     Houssiau FA et al. Ann Rheum Dis 2010;69:2083-9; AURORA 2: 23.8% vs
//     26.0% of responders: Lupus Sci Med 2024;11(Suppl 2):A85), none within
//     8 months of the last one (ASSUMPTION). A flare raises UPCR over a month
//     to 1-2 times the larger of 1.5 g/g and 4 times the remission level,
//     lowers the GFR by
//     8-25% with partial recovery, and is treated with prednisone; UPCR
//     returns to the remission level in 4-6 months (ASSUMPTIONS).
//   - Kidney function after induction: a slope of -1 ± 0.8 mL/min/1.73 m² a
//     year (responders) or -3 ± 1 (non-responders), floored at 16
//     (ASSUMPTIONS). Kidney failure (true GFR < 15) at one year after onset
//     plus an exponential time whose 10-year probability is 2% (complete),
//     6% (partial) or 17% (none) times a class factor (IV and IV+V 1.3,
//     III+V 0.9, III 0.8, V 0.6) (ASSUMPTIONS chosen to give about 10% at 10
//     years overall, SLICC 10.1% (95% CI 6.6-13.6%), higher for class IV).
//     The GFR then falls linearly to 15 at that date; haemodialysis 2-8
//     months later; a kidney transplant for 35% of them 1-4 years after
//     that, with a graft GFR of 45-70 (ASSUMPTIONS). CKD G4 and G5 diagnoses
//     are recorded when the true GFR crosses 30 and 15.
//   - SLE without nephritis: healthy kidneys, GFR ageing 0.8 a year after 40,
//     UPCR about 80 mg/g (ASSUMPTION).
//   - Mesenchymal stem cells: 30% of non-responders with a year of follow-up
//     left receive an allogeneic infusion 12-24 months after induction
//     (ASSUMPTION). Its true effect is none: no curve reads it, and a test
//     checks that every result is the same with and without it.
//
// # Observations
//
// Visits every 30-90 days, monthly in the year after nephritis onset and in
// the 6 months after a flare (ASSUMPTION; the issue asks for 1-3 months).
// Creatinine is computed from the true GFR through the inverted CKD-EPI
// 2021 equation (adults; Inker LA et al. N Engl J Med 2021;385:1737-49) or
// CKiD U25 with the height of the day (under 18; Pierce CB et al. Kidney
// Int 2021;99:948-56), then varied log-normally with a CV of 5%
// (creatinineCV; the figure), so that the eGFR RenalWatch computes
// agrees with the truth within that variation (tested). UPCR varies with a
// CV of 20% (ASSUMPTION). Other results follow the state (ASSUMPTIONS):
// urine RBC, C3, C4 and anti-dsDNA abnormal while UPCR > 1 g/g; haemoglobin
// lower below GFR 60; potassium higher below 45; blood pressure higher with
// activity and low GFR; SLEDAI-2K descriptors (every sixth visit and at
// diagnosis) consistent with those results. Each result is present with a
// probability (creatinine 97%, UPCR 92% in nephritis, others 15-90%); 0.5%
// of creatinine orders carry a dataAbsentReason (a haemolysed sample).
// Half the patients' laboratories report in SI units (µmol/L, mg/mmol, g/L),
// half in conventional units (mg/dL, mg/g or g/g, g/dL); 10% change system
// once during follow-up (ASSUMPTIONS).
//
// # Output
//
// Write streams a cohort, patient by patient in order, as FHIR R4 Bulk
// Data NDJSON (Patient, Condition, Procedure, MedicationRequest and
// Observation files) or the seven CSV layouts of package csvio (the same
// lupus record: diagnoses, biopsies, findings and events files), plus
// truth.ndjson (Truth). Only codes and shapes that fhir/read.go maps today
// are written: LOINC observations with UCUM units, the 85354-9 blood
// pressure panel, SLEDAI-2K descriptors in urn:renalwatch:sledai-2k, SNOMED
// CT conditions and replacement procedures, the kidney biopsy and stem cell
// infusion as Procedure text (with the NIH totals in the
// urn:renalwatch:nih-lupus-nephritis extension), and ATC-coded
// medications (RxNorm 314076 for lisinopril). Memory is bounded by a few
// batches of 64 patients; nothing holds the whole cohort.
//
// The package does no file I/O: it writes to the io.Writers it is given.
package synth
