// Package cohort assesses many patients at once (issue 10 section 2): it
// reads FHIR Bulk Data NDJSON (files, folders, gzip), partitions the
// resources by patient, and runs the same assessment as "renalwatch report"
// (assess.Assess and Assessment.Report; no rule is repeated here) for every
// patient on all cores, in bounded memory.
//
// The pipeline has two phases.
//
//  1. Partition. Every input line is routed to one of B hash buckets by the
//     patient it belongs to, read from the raw line (Patient.id, or the
//     subject/patient reference) without decoding it. Each line keeps its
//     origin (file and line) so that a rejection names where it came from.
//     When the input is estimated to be larger than half the memory budget,
//     the buckets are spilled to temporary files as they fill.
//  2. Assess. Workers take one bucket at a time, map its lines with
//     fhir.Reader (the mapping the import uses), build each patient's
//     record.Timeline, assess it and encode its output row. The rows are
//     written in bucket order (within a bucket by patient id) to a temporary
//     file that is renamed over the output only when everything succeeded.
//
// The number of buckets depends on the input size and the memory budget,
// not on the number of workers, so the same input and budget give the same
// output bytes. Sort the output by patient_id if a global order is needed.
//
// Differences from import + report: a resource is matched to its patient
// within the cohort only (items of a patient with no Patient resource are
// rejected, as the store rejects them); a MedicationStatement that names its
// drug only by reference to a Medication resource in another file is not
// resolved (the import resolves references within one file too).
package cohort
