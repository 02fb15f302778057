// Package record holds a patient's clinical record as RenalWatch sees it:
// the Patient, lab and vital-sign Observations (an analyte, a quantity in
// the analyte's canonical unit, a time and where it came from), Conditions
// (diagnoses such as SLE, lupus nephritis, CKD stages), Findings (SLEDAI-2K
// descriptors and other findings at a visit), Biopsies (ISN/RPS class and the
// NIH activity and chronicity items), Therapy episodes and kidney-replacement
// events (dialysis, transplant), and a Timeline that answers the questions an
// assessment asks: the latest value of an analyte at a time, the values in a
// window, the baseline at the start of a therapy.
//
// The data model follows docs/design.md ("Data model (record)"). The package
// is pure: it reads no files and no clock; every query takes the time it is
// asked about.
//
// Caveats:
//   - Every item carries a stable ID, taken from its source where the source
//     has one (a FHIR resource id, a CSV id column), otherwise derived from
//     its content (see DeriveID), so importing the same data twice changes
//     nothing. Item IDs are unique per kind: "Observation/abc" and
//     "Condition/abc" are different items.
//   - Observation values are always in the analyte's canonical unit
//     (units.Analyte.Canonical); the original unit and code stay in the
//     Provenance.
//   - A value given with a comparator ("<0.2") is kept with its Comparator;
//     it is a bound, not a measurement, and callers must not treat it as one.
//   - Times are instants in UTC. A FHIR date without a time is taken as
//     midnight UTC of that day.
//   - A partial birth date keeps its precision (Patient.BirthPrecision);
//     AgeAt counts from the first day given (the oldest possible age) and
//     AgeRangeAt gives the youngest and oldest. An age-band decision is
//     certain only when both fall in the same band.
//   - Patient.Deceased with a zero DeceasedDate means "dead, date unknown";
//     Patient.DeadAt treats every time as after such a death.
//   - Condition.Established is false for unconfirmed, provisional and
//     differential diagnoses (FHIR verificationStatus): they are recorded
//     but must not switch rules on.
package record
