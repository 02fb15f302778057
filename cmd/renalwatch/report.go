package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/internal/labtext"
	"renalwatch/store"
)

const reportExample = `  renalwatch report ln-class-iv-g4 --db renalwatch.db
  renalwatch report ln-class-iv-g4 --as-of 2024-01-01 --json
  renalwatch report ln-class-iv-g4 --fhir > report.json   (FHIR R4 Bundle: eGFR Observations, KFRE RiskAssessment, alerts)
  renalwatch report ln-class-iv-g4 --config docs/renalwatch.example.toml --kfre-region north-america
  renalwatch report ln-class-iv-g4 --format csv > labs.csv   (observations in the CSV import layout)`

// reportJSON is "renalwatch report --json" (fields documented in docs/report.md).
// reportJSON is the document report --json prints (assess.Report, shared
// with the API).
type reportJSON = assess.Report

// runReport implements "renalwatch report PATIENT [--db PATH] [--as-of DATE] [--json]".
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "report PATIENT [--db PATH] [--as-of YYYY-MM-DD] [--units conventional|si] [--json | --fhir | --format text|json|fhir|csv] [--config FILE] [settings flags]", reportExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH`")
	asOfText := fs.String("as-of", "", "assess the record as it stood at the end of `DATE` (YYYY-MM-DD; default today, UTC)")
	asJSON := fs.Bool("json", false, "print JSON")
	var unitSys unitsFlag
	fs.Var(&unitSys, "units", "units of the text report: `SYSTEM` conventional (mg/dL, g/dL, mg/g), si (µmol/L, g/L, mg/mmol) or reported (as the laboratory reported each value; default). JSON keeps the unit of report")
	asFHIR := fs.Bool("fhir", false, "print a FHIR R4 Bundle: computed eGFR Observations (LOINC 98979-8, derivedFrom the creatinine), a RiskAssessment for the KFRE, and the alerts as DetectedIssue")
	format := fs.String("format", "", "output `FORMAT`: text, json, fhir, or csv (the patient's observations taken by as-of, in the CSV import layout)")
	cf := addConfigFlags(fs)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if *asJSON && *asFHIR {
		return badInputf("report: give --json or --fhir, not both")
	}
	if *format, err = reportFormat(*format, *asJSON, *asFHIR); err != nil {
		return err
	}
	cfg, _, err := cf.resolve()
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badInputf("report takes exactly one PATIENT id, got %d arguments", len(pos))
	}
	day := now().UTC().Truncate(24 * time.Hour)
	if *asOfText != "" {
		day, err = time.Parse(time.DateOnly, *asOfText)
		if err != nil {
			return badInputf("report: --as-of %q is not a date; write YYYY-MM-DD, for example 2024-06-01", *asOfText)
		}
	}
	warnFutureAsOf(stderr, "report", day)
	asOf := day.Add(24*time.Hour - time.Nanosecond)
	db, err := openAudited(ctx, *dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	tl, err := db.Timeline(ctx, pos[0])
	if aerr := auditRead(ctx, db, readAction(*format), pos[0], readOutcome(err)); aerr != nil {
		return aerr
	}
	if errors.Is(err, store.ErrNotFound) {
		return badInputf("report: patient %q is not in %s (run 'renalwatch patients --db %s')", pos[0], dbName(*dbPath), dbName(*dbPath))
	}
	if err != nil {
		return err
	}
	releaseReadGarbage(tl)
	if b := tl.Patient.BirthDate; !b.IsZero() && asOf.Before(b) {
		return badInputf("report: --as-of %s is before the birth date of patient %q (%s): nothing to assess; give a date on or after the birth date", day.Format(time.DateOnly), pos[0], b.UTC().Format(time.DateOnly))
	}
	if *format == "csv" {
		return writeObservationsCSV(stdout, tl, asOf)
	}
	a := assess.Assess(tl, asOf, cfg)
	if *format == "fhir" {
		return lowGarbage(tl, func() error { return fhir.WriteReportBundle(stdout, a, tl) })
	}
	r := a.Report(day)
	if *format == "json" {
		return writeReportJSON(stdout, &r)
	}
	return printReport(stdout, &r, unitSys.system())
}

// reportHeader is the report's first line: the patient, age (at death for
// a deceased patient), the conditions that change numbers, and the date.
func reportHeader(r *reportJSON) string {
	p := r.Patient
	age := "age unknown"
	if p.AgeYears != nil {
		age = labtext.Count(*p.AgeYears, "year")
	}
	switch {
	case p.Deceased && p.DeceasedDate != nil && p.AgeAtDeath != nil:
		age = fmt.Sprintf("died %s aged %d", p.DeceasedDate.Format(time.DateOnly), *p.AgeAtDeath)
	case p.Deceased && p.DeceasedDate != nil:
		age = "died " + p.DeceasedDate.Format(time.DateOnly) + ", age unknown"
	case p.Deceased:
		age += ", deceased (date not recorded)"
	}
	h := fmt.Sprintf("Patient %s (%s, %s) as of %s", p.ID, p.Sex, age, r.AsOf)
	if r.EffectiveDate != "" && r.EffectiveDate != r.AsOf {
		h += "; assessed as the record stood at death, " + r.EffectiveDate
	}
	h += "\n"
	if len(p.Comorbidities) > 0 {
		var cs []string
		for _, c := range p.Comorbidities {
			what := strings.ReplaceAll(c.Kind, "_", " ") // diabetic_kidney_disease
			if c.Display != "" {
				what += " (" + c.Display + ")"
			}
			if !slices.Contains(cs, what) {
				cs = append(cs, what)
			}
		}
		h += "Recorded conditions that enter equations: " + strings.Join(cs, ", ") + "\n"
	}
	for _, u := range p.Updates {
		h += u.Text + "\n"
	}
	return h
}
