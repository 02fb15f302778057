package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

const patientsExample = `  renalwatch patients --db renalwatch.db
  renalwatch patients --json`

// patientRow is one patient in "renalwatch patients --json".
type patientRow struct {
	ID                string            `json:"id"`
	BirthDate         *string           `json:"birth_date"` // YYYY-MM-DD, null when unknown
	Sex               string            `json:"sex"`        // administrative sex as recorded
	Observations      int               `json:"observations"`
	Conditions        int               `json:"conditions"`
	Findings          int               `json:"findings"`
	Biopsies          int               `json:"biopsies"`
	Therapies         int               `json:"therapies"`
	KidneyReplacement int               `json:"kidney_replacement"`
	LatestCreatinine  *latestCreatinine `json:"latest_creatinine"` // null when none
}

type latestCreatinine struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Date  string  `json:"date"`
}

// patientsNote says what the list does not show yet.
const patientsNote = "Stage and alert counts come with 'renalwatch report' (not built yet); creatinine is the latest stored value, not an assessment."

// runPatients implements "renalwatch patients [--db PATH] [--json]".
func runPatients(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("patients", "patients [--db PATH] [--json]", patientsExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH`")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("patients takes no arguments, got %q", strings.Join(pos, " "))
	}
	db, err := openStore(ctx, *dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	ps, err := db.Patients(ctx)
	if err != nil {
		return err
	}
	rows := make([]patientRow, 0, len(ps))
	for _, p := range ps {
		r := patientRow{ID: p.Patient.ID, Sex: p.Patient.Sex.String(), Observations: p.Observations, Conditions: p.Conditions,
			Findings: p.Findings, Biopsies: p.Biopsies, Therapies: p.Therapies, KidneyReplacement: p.Replacements}
		if !p.Patient.BirthDate.IsZero() {
			d := p.Patient.BirthDate.Format(time.DateOnly)
			r.BirthDate = &d
		}
		if !p.LatestCreatinine.IsZero() {
			r.LatestCreatinine = &latestCreatinine{Value: p.LatestCreatinine.Value, Unit: string(p.LatestCreatinine.Unit),
				Date: p.LatestCreatinineTime.Format(time.DateOnly)}
		}
		rows = append(rows, r)
	}
	if *asJSON {
		return writeJSON(stdout, struct {
			Patients []patientRow `json:"patients"`
			Note     string       `json:"note"`
		}{rows, patientsNote})
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PATIENT\tSEX\tBORN\tOBS\tDIAGNOSES\tTHERAPIES\tKRT EVENTS\tLATEST CREATININE")
	for _, r := range rows {
		born := "-"
		if r.BirthDate != nil {
			born = *r.BirthDate
		}
		cr := "-"
		if r.LatestCreatinine != nil {
			cr = fmt.Sprintf("%s %s on %s", human(r.LatestCreatinine.Value, 3), r.LatestCreatinine.Unit, r.LatestCreatinine.Date)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", r.ID, r.Sex, born, r.Observations, r.Conditions, r.Therapies, r.KidneyReplacement, cr)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\n%d patients. %s\n", len(rows), patientsNote)
	return err
}
