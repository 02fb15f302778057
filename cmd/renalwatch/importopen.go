package main

// The files an import reads are found, opened and sniffed by
// internal/inputs (Bulk Data folders, gzip by its magic bytes, the format
// from the content), which the cohort command shares; this file only
// names its errors as the import's.

// importInputError marks an error of internal/inputs as the user's input
// being wrong (exit 2), under the command's name; nil stays nil.
func importInputError(err error) error {
	if err == nil {
		return nil
	}
	return badInputf("import: %w", err)
}
