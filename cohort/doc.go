// Package cohort assesses many patients at once (issue 10 section 2): it
// reads FHIR Bulk Data NDJSON (files, folders, gzip) or the CSV layouts of
// package csvio (csvinput.go: rows partitioned as lines are, mapped by
// csvio's mapping), partitions the resources by patient, and runs the same assessment as "renalwatch report"
// (assess.Assess and Assessment.Report; no rule is repeated here) for every
// patient on all cores, in bounded memory.
//
// The pipeline has two phases.
//
//  1. Index or partition. Every input line is routed to one of B hash
//     buckets by the patient it belongs to, read from the raw line
//     (Patient.id, or the subject/patient reference) without decoding it.
//     Each line keeps its origin (file and line) so that a rejection names
//     where it came from.
//     Uncompressed regular files are indexed (index.go): a parallel scan
//     (byte ranges cut at line starts, one task per core at a time, each
//     range mapped into memory on Linux) records runs of consecutive
//     lines of one patient (file, offset, length, first line number: 24
//     bytes a run); no line is copied. gzip or other input, or an index
//     larger than a quarter of the memory budget, is partitioned instead
//     (partition.go): each line is copied into its bucket, and the buckets
//     are spilled to temporary files as they fill when the input is
//     estimated to be larger than half the memory budget.
//  2. Assess. Workers take one bucket at a time, or one part of an indexed
//     bucket (about 16 tasks per worker in all, so that no core idles while
//     another assesses the last large bucket; the worker that finishes a
//     bucket's last part puts the parts together in patient-id order). An
//     indexed bucket is read patient by patient (direct.go): the
//     patient's runs are read from the
//     files (ReadAt) and decoded once, into arrays reused from patient to
//     patient, by the worker's fhir.Session (which keeps the decoder's
//     tables and value cache from patient to patient), then assessed and
//     encoded at once. A bucket holding lines whose reading could depend on the rest
//     of the bucket (no patient key, a Bundle or Medication, not one JSON
//     object, resourceType not the first key) or whose batch turns out
//     to be other than one patient or to hold a line giving resourceType
//     twice (the decoder tells: fhir.Session.TypeTwice) is read whole in
//     input order instead, as a partitioned bucket is (worker.go): its lines are
//     mapped with fhir.Reader (the mapping the import uses) and grouped by
//     patient. Either way each patient's record.Timeline is assessed and
//     its output row encoded; the rows are written in bucket order (within
//     a bucket by patient id) to a temporary file that is renamed over the
//     output only when everything succeeded. The two paths give the same
//     bytes, problems and counts (TestIndexEqualsPartition).
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
