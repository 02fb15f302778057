// Package inputs opens the files a user names for "renalwatch import" and
// "renalwatch cohort": the files of a FHIR Bulk Data export folder (its
// *.ndjson and *.ndjson.gz files; its log, OperationOutcome files and
// anything else skipped with a note), gzip recognised by its magic bytes
// whatever the file's name, and the format a file's content shows (FHIR
// JSON or NDJSON, or CSV in one of the csvio layouts).
//
// Every error it returns is an *Error: the user's input is wrong (a
// missing file, a folder where a file was wanted, a JSON array, a file of
// no known format), said in plain words. Callers add the command's name
// and map it to their exit code or status.
package inputs
