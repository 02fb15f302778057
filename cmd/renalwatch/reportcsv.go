package main

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
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
// RFC 3339 (UTC, to the nanosecond), the value in its unit of report (the
// unit the source gave, as assess.Reported finds it: 1.8 g/g stays 1.8
// g/g, not 1800 mg/g; trial #8/#33), written as the source wrote it when
// that reads back to the same number, else the shortest decimal that does,
// after its comparator; the stored id and the source system. Nothing is
// rounded, so importing the file into an empty store gives the same
// observations and the same report, and a record exported and imported
// again into its own store is unchanged, also when it was imported from
// FHIR: the store identifies an observation by its measurement and keeps
// the FHIR provenance (resource type, code) and notes the CSV row cannot
// carry.
// Conditions, findings, biopsies, therapies and kidney replacement have no
// place in this layout and are not written, nor is an eGFR RenalWatch
// computed in an earlier report (assess.ComputedEarlier): a CSV row cannot
// say who computed it, and read back it would pass for a laboratory eGFR.
func writeObservationsCSV(w io.Writer, tl *record.Timeline, asOf time.Time) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(observationsHeader); err != nil {
		return err
	}
	for o := range tl.InTimeOrder() {
		if o.Time.After(asOf) {
			continue
		}
		if _, ok := assess.ComputedEarlier(o); ok {
			continue
		}
		value, unit := exportValue(o)
		row := []string{o.PatientID, o.Time.UTC().Format(time.RFC3339Nano), o.Analyte.String(), value, unit, o.ID, o.Provenance().System}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportValue is an observation's value and unit in its unit of report:
// the source's own text when it reads back to the same quantity, else the
// shortest decimal and the UCUM code.
func exportValue(o *record.Observation) (value, unit string) {
	q := assess.Reported(*o)
	value = string(o.Comparator) + strconv.FormatFloat(q.Value, 'g', -1, 64)
	unit = string(q.Unit)
	p := o.Provenance()
	if u, ok := units.LookupUnit(p.Unit); ok && u == q.Unit {
		unit = p.Unit
	}
	src := strings.TrimSpace(p.Value)
	if num, ok := strings.CutPrefix(src, string(o.Comparator)); ok {
		if v, err := units.ParseNumber(strings.TrimSpace(num)); err == nil && v == q.Value {
			value = p.Value
		}
	}
	return value, unit
}
