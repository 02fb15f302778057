package main

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"renalwatch/record"
)

// reportFormat reconciles --format with the --json and --fhir aliases and
// returns text, json, fhir or csv.
func reportFormat(format string, asJSON, asFHIR bool) (string, error) {
	alias := ""
	switch {
	case asJSON:
		alias = "json"
	case asFHIR:
		alias = "fhir"
	}
	switch format {
	case "":
		if alias == "" {
			return "text", nil
		}
		return alias, nil
	case "text", "json", "fhir", "csv":
		if alias != "" && alias != format {
			return "", badInputf("report: --%s and --format %s disagree; give one", alias, format)
		}
		return format, nil
	}
	return "", badInputf("report: --format %q is not a format (accepted: text, json, fhir, csv)", format)
}

// observationsHeader is the observations layout of CSV import (package
// csvio), so that an export imports back unchanged.
var observationsHeader = []string{"patient_id", "time", "analyte", "value", "unit", "id", "source"}

// writeObservationsCSV writes the observations of tl taken at or before
// asOf, one row each in time order, in the CSV import layout: the time in
// RFC 3339 (UTC, to the nanosecond), the value as stored (the analyte's
// canonical unit, shortest decimal that reads back exactly, after its
// comparator), the stored id and the source system. Nothing is rounded, so
// importing the file into an empty store gives the same observations.
// Conditions, findings, biopsies, therapies and kidney replacement have no
// place in this layout and are not written.
func writeObservationsCSV(w io.Writer, tl *record.Timeline, asOf time.Time) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(observationsHeader); err != nil {
		return err
	}
	for o := range tl.InTimeOrder() {
		if o.Time.After(asOf) {
			continue
		}
		value := string(o.Comparator) + strconv.FormatFloat(o.Value.Value, 'g', -1, 64)
		row := []string{o.PatientID, o.Time.UTC().Format(time.RFC3339Nano), o.Analyte.String(), value, string(o.Value.Unit), o.ID, o.Provenance().System}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
