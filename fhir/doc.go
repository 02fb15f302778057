// Package fhir reads FHIR R4 JSON into record items: a Bundle (collection,
// transaction, batch, searchset, document), a single resource, or Bulk Data
// NDJSON (one resource per line, files per type). A line, or a single
// document, may be up to MaxLine (64 MiB); a longer line is rejected with
// its line number without being read whole. ReadChunks reads a file of any
// size in bounded memory.
//
// It reads Patient; Observation (laboratory results and vital signs by
// LOINC, blood pressure panels 85354-9 and 55284-4 through their systolic
// and diastolic components); Condition (SLE, lupus nephritis with its
// ISN/RPS class, CKD stages, kidney failure and other kidney diagnoses by
// SNOMED CT or ICD-10-CM); Procedure (dialysis and kidney transplant by
// SNOMED CT; kidney biopsy and mesenchymal stem cell infusion by their
// text, since no code for either is confirmed in docs/fhir.md; a biopsy's
// modified NIH activity and chronicity items, or their totals, from the
// RenalWatch extension urn:renalwatch:nih-lupus-nephritis, codes.go); and
// MedicationRequest, MedicationStatement and MedicationAdministration
// (therapy episodes by RxNorm or ATC code, with the ingredient name in the
// display or text as the fallback). Codes and their sources are listed in
// codes.go and in docs/fhir.md; codes are matched, display text only where
// said.
//
// Nothing is dropped silently. A Result counts every resource read and
// lists, by code, the ones it does not map (Unmapped), the kidney-relevant
// codes it recognises and deliberately does not import (Ignored), the ones
// left out by rule such as preliminary results (Skipped) and the decisions
// taken on the ones it kept (Notes). Each rejected resource is a Rejection
// with file, line (or Bundle entry), resource id and reason.
//
// Decisions (also in docs/caveats.md):
//   - Values are converted to the analyte's canonical unit with
//     units.Analyte.Normalize; a value without a unit, in a unit that does
//     not fit the analyte, or outside the plausible range is rejected, never
//     guessed at.
//   - A laboratory eGFR coded with an indexed eGFR LOINC code (all read here
//     are per 1.73 m2) but written in mL/min is kept as mL/min/{1.73_m2},
//     with a note on the observation; RenalWatch computes its own eGFR from
//     creatinine and does not recompute from reported eGFR.
//   - An eGFR Observation coded with the RenalWatch equation
//     (SystemEquation), as ReportBundle writes every computed eGFR, was
//     computed by RenalWatch, not by a laboratory: it is kept with that
//     code as its source code, whatever LOINC code it also carries, and
//     the assessment lists it under not_used (assess.ComputedEarlier).
//   - Creatinine coded 38483-4 (creatinine in blood, as Synthea writes it)
//     is read as serum creatinine.
//   - A reference "urn:uuid:X" outside a Bundle is read as Patient X, as
//     Bulk exports of Synthea bundles write it; the store then checks that
//     the patient exists.
//   - Observations need status final, amended or corrected; others are
//     skipped and counted. An amended or corrected one is read as a
//     correction (record.NewCorrection, correct.go) of the observation
//     stored under its id: the store keeps the stored value and uses the
//     correction; with nothing stored under the id it is imported as it
//     is. entered-in-error is a retraction (retract.go).
//   - Patient.deceasedDateTime or deceasedBoolean true sets
//     record.Patient.Deceased (with DeceasedDate when a readable date is
//     given; a death without a date is still a death, with a note). Any
//     deceased[x], deceasedBoolean false included, sets DeceasedGiven: an
//     explicit false undoes a stored death on import, a missing one keeps it.
//   - A partial birthDate ("2008", "2008-05") is stored as the first day of
//     the year or month with record.Patient.BirthPrecision year or month,
//     and a note; the day is never guessed.
//   - Conditions with verificationStatus refuted or entered-in-error are
//     skipped and counted; unconfirmed, provisional and differential ones
//     are kept with record.Condition.Verification and a note, and are not
//     record.Condition.Established.
//   - JSON is decoded in one pass by the package's own decoder (scan.go,
//     decode.go); a document it gives up on is read with encoding/json as
//     before, so acceptance, rejection and every message are unchanged.
//     encoding/json matches object keys without regard to case and lets a
//     key given twice merge into or overwrite the first; FHIR allows
//     neither. A resource with two members that fill one element it reads
//     (a key given twice, or two keys equal regardless of case) is
//     rejected, naming the key and where it is (dupfield.go): which value
//     was meant cannot be told, and before, the last was imported without
//     a word ("value":1.0,"value":5.0 read as 5.0). The fast decoder gives
//     up on such documents, so the check runs only on the encoding/json
//     path and costs a document the fast decoder reads nothing. Keys
//     RenalWatch does not read, given twice, are passed over by both
//     decoders and change nothing imported. A case-variant key given once
//     ("Value") is still read as encoding/json reads it. Its lexer is also
//     Lexer (lexer.go), with which fhir/cdshooks checks a CDS Hooks call
//     body: RenalWatch has one JSON lexer.
//
// ReportBundle writes an assessment as a FHIR R4 collection Bundle (report
// --fhir): computed eGFR Observations, a KFRE RiskAssessment with its
// basis, and a DetectedIssue per alert. Resource ids are name-based UUIDs
// (RFC 4122 version 5 over the content that identifies the resource), so
// a bundle is deterministic and its fullUrls (urn:uuid:<id>) are unique.
package fhir
