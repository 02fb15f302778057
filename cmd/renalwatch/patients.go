package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/labtext"
	"renalwatch/internal/worklist"
	"renalwatch/store"
	"renalwatch/units"
)

const patientsExample = `  renalwatch patients --db renalwatch.db
  renalwatch patients --as-of 2024-06-01 --json
  renalwatch patients --sort -kfre --filter 'stage>=G4' --filter overdue
  renalwatch patients --filter 'risk=very high,kfre5y>=5%' --format csv > worklist.csv`

// patientRow is one patient in "renalwatch patients --json".
type patientRow struct {
	ID        string  `json:"id"`
	BirthDate *string `json:"birth_date"` // YYYY-MM-DD, null when unknown
	// BirthPrecision is "day", or "month" / "year" when the source gave
	// only that much (birth_date is then the first day of the month or
	// year, not a known day of birth).
	BirthPrecision string `json:"birth_precision"`
	// NotBornByAsOf is true when as_of is before the birth date: the
	// assessment computes nothing for such a day (assess: missing "as_of").
	NotBornByAsOf bool    `json:"not_born_by_as_of,omitempty"`
	Deceased      bool    `json:"deceased"`      // the source records the patient as dead
	DeceasedDate  *string `json:"deceased_date"` // YYYY-MM-DD, null when not deceased or the date is unknown
	Sex           string  `json:"sex"`           // administrative sex as recorded
	Observations  int     `json:"observations"`
	Conditions    int     `json:"conditions"`
	Findings      int     `json:"findings"`
	Biopsies      int     `json:"biopsies"`
	// Therapies counts therapy courses started by as_of (the records of
	// one drug that follow each other, as in report's therapies[]);
	// TherapyRecords counts the stored records (prescriptions, refills).
	Therapies         int               `json:"therapies"`
	TherapyRecords    int               `json:"therapy_records"`
	KidneyReplacement int               `json:"kidney_replacement"`
	LatestCreatinine  *latestCreatinine `json:"latest_creatinine"` // null when none
	// LastSeen is the date (YYYY-MM-DD) of the latest observation, finding
	// or biopsy taken by as_of; null when there is none.
	LastSeen *string `json:"last_seen"`
	// The fields below come from assess.Assess as of the list's as_of with
	// the list's configuration (the same assessment as "report").
	EGFR   *patientEGFR    `json:"egfr"`  // latest eGFR, null when none could be computed
	Stage  *patientStage   `json:"stage"` // null when no G category (no eGFR, not on dialysis)
	KFRE   *patientKFRE    `json:"kfre"`  // null when the KFRE was not computed
	Alerts worklist.Alerts `json:"alerts"`
}

// patientKFRE is kidney.kfre of the report, in short: risks are
// probabilities (0.05 is 5%), never rounded.
type patientKFRE struct {
	Variables int     `json:"variables"`
	Region    string  `json:"region"`
	Risk2y    float64 `json:"risk_2y"`
	Risk5y    float64 `json:"risk_5y"`
}

type latestCreatinine struct {
	Value float64 `json:"value"` // in the canonical unit
	Unit  string  `json:"unit"`
	Date  string  `json:"date"`
	// asReported is the value in the unit the laboratory reported, for
	// the text table.
	asReported units.Quantity
}

type patientEGFR struct {
	Value    float64 `json:"value"` // mL/min/1.73 m2
	Equation string  `json:"equation"`
	Date     string  `json:"date"`
}

// patientStage is kidney.stage of the report, in short: g with suffix
// (G5D, G2T), a and risk null when unknown.
type patientStage struct {
	worklist.Stage      // g, suffix, a, risk, as the dashboard's list shows them
	Persistent     bool `json:"persistent"`
}

// patientsList is "renalwatch patients --json".
type patientsList struct {
	AsOf string `json:"as_of"` // YYYY-MM-DD: stage and alerts describe the end of that day (UTC)
	// Config is the assess.Config of every row's assessment, as in
	// report --json (typed any so that the list also decodes).
	Config any `json:"config,omitempty"`
	// Sort and Filter echo --sort and --filter as applied (empty: stored
	// order, every patient).
	Sort     []string     `json:"sort"`
	Filter   []string     `json:"filter"`
	Patients []patientRow `json:"patients"`
	Note     string       `json:"note"`
}

// patientsNote says what the list shows and what it does not.
const patientsNote = "Every column describes the record as it stood at the end of that day (UTC): counts of items dated by then, the latest creatinine taken by then, and stage, KFRE and alerts from the assessment of 'renalwatch report' with the same settings ('renalwatch config' prints them). 'renalwatch report ID' gives the details and what is missing."

// runPatients implements "renalwatch patients [--db PATH] [--as-of DATE]
// [--sort KEYS] [--filter EXPR]... [--format text|json|csv] [settings flags]".
func runPatients(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("patients", "patients [--db PATH] [--as-of YYYY-MM-DD] [--sort KEYS] [--filter EXPR]... [--format text|json|csv] [--config FILE] [settings flags]", patientsExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH`")
	asOfText := fs.String("as-of", "", "assess each patient as the record stood at the end of `DATE` (YYYY-MM-DD; default today, UTC)")
	asJSON := fs.Bool("json", false, "print JSON (the same as --format json)")
	format := fs.String("format", "", "output `FORMAT`: text, json or csv")
	sortText := fs.String("sort", "", "sort by `KEYS`, comma-separated: "+strings.Join(worklist.SortKeyNames(), ", ")+"; a leading - reverses (-kfre: highest risk first); patients without the value come last")
	var filters []string
	fs.Func("filter", "keep patients matching `EXPR` (repeatable or comma-separated, all must match): "+worklist.FilterHelp, func(v string) error {
		filters = append(filters, v)
		return nil
	})
	var unitSys unitsFlag
	fs.Var(&unitSys, "units", "show the latest creatinine in `SYSTEM`: conventional (mg/dL, default) or si (µmol/L), one unit for the whole column. JSON is not affected")
	cf := addConfigFlags(fs)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("patients takes no arguments, got %q", strings.Join(pos, " "))
	}
	switch {
	case *format == "" && *asJSON:
		*format = "json"
	case *format == "":
		*format = "text"
	case *asJSON && *format != "json":
		return badInputf("patients: --json and --format %s disagree; give one", *format)
	case *format != "text" && *format != "json" && *format != "csv":
		return badInputf("patients: --format %q is not a format (accepted: text, json, csv)", *format)
	}
	sys := unitSys.system()
	switch {
	case unitSys.s == "":
		sys = unitsConventional
	case sys == unitsReported:
		return badInputf("patients: --units reported would mix units in one column; give conventional or si")
	}
	keys, err := parseSortKeys(*sortText)
	if err != nil {
		return err
	}
	conds, err := parseFilters(filters)
	if err != nil {
		return err
	}
	cfg, _, err := cf.resolve()
	if err != nil {
		return err
	}
	day, err := asOfDay("patients", *asOfText)
	if err != nil {
		return err
	}
	warnFutureAsOf(stderr, "patients", day)
	db, err := openAudited(ctx, *dbPath, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := auditRead(ctx, db, "list patients", "", "ok"); err != nil {
		return err
	}
	rows, err := patientRowsWith(ctx, db, day, nil, cfg)
	if err != nil {
		return err
	}
	rows = filterRows(rows, conds)
	sortRows(rows, keys)
	list := patientsList{AsOf: day.Format(time.DateOnly), Config: cfg, Sort: sortKeyTexts(keys), Filter: worklist.Texts(conds), Patients: rows, Note: patientsNote}
	switch *format {
	case "json":
		return writeJSON(stdout, list)
	case "csv":
		return writePatientsCSV(stdout, rows)
	}
	if err := printPatients(stdout, &list, sys); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\n%s%s. %s\n", labtext.Count(len(rows), "patient"), listedHow(keys, conds), patientsNote)
	return err
}

// asOfDay returns the UTC day named by text (YYYY-MM-DD), or today by the
// command clock when text is empty.
func asOfDay(cmd, text string) (time.Time, error) {
	if text == "" {
		return now().UTC().Truncate(24 * time.Hour), nil
	}
	day, err := time.Parse(time.DateOnly, text)
	if err != nil {
		return time.Time{}, badInputf("%s: --as-of %q is not a date; write YYYY-MM-DD, for example 2024-06-01", cmd, text)
	}
	return day, nil
}

// patientRows lists the stored patients (only those in only, when it is
// not nil) with their assessment at the end of day. Patients are assessed
// concurrently (worklist.Rows), one store read and one assess.Assess each.
func patientRows(ctx context.Context, db store.Store, day time.Time, only map[string]bool) ([]patientRow, error) {
	return patientRowsWith(ctx, db, day, only, assess.DefaultConfig())
}

// patientRowsWith is patientRows with the configuration cfg.
func patientRowsWith(ctx context.Context, db store.Store, day time.Time, only map[string]bool, cfg assess.Config) ([]patientRow, error) {
	ps, err := db.Patients(ctx)
	if err != nil {
		return nil, err
	}
	if only != nil {
		kept := ps[:0]
		for _, p := range ps {
			if only[p.Patient.ID] {
				kept = append(kept, p)
			}
		}
		ps = kept
	}
	asOf := day.Add(24*time.Hour - time.Nanosecond)
	return worklist.Rows(ps, func(p store.PatientSummary) (patientRow, error) {
		return patientRowOf(ctx, db, p, asOf, cfg)
	})
}

func patientRowOf(ctx context.Context, db store.Store, p store.PatientSummary, asOf time.Time, cfg assess.Config) (patientRow, error) {
	r := patientRow{ID: p.Patient.ID, Sex: p.Patient.Sex.String(), Observations: p.Observations, Conditions: p.Conditions,
		Findings: p.Findings, Biopsies: p.Biopsies, TherapyRecords: p.Therapies, KidneyReplacement: p.Replacements,
		Alerts: worklist.Alerts{Codes: []string{}}}
	if !p.Patient.BirthDate.IsZero() {
		d := p.Patient.BirthDate.Format(time.DateOnly)
		r.BirthDate = &d
		r.NotBornByAsOf = asOf.Before(p.Patient.BirthDate)
	}
	r.BirthPrecision = p.Patient.BirthPrecision.String()
	r.Deceased = p.Patient.Deceased
	if !p.Patient.DeceasedDate.IsZero() {
		d := p.Patient.DeceasedDate.Format(time.DateOnly)
		r.DeceasedDate = &d
	}
	tl, err := db.Timeline(ctx, p.Patient.ID)
	if err != nil {
		return r, fmt.Errorf("patient %s: %w", p.Patient.ID, err)
	}
	// Every column as of the list's date (issue 7 item 12), from the
	// timeline rather than the store's all-time summary.
	c := countAsOf(tl, asOf)
	// Therapy records started by asOf (trial #9: the store's all-time
	// count showed 2025 records on a 2024 list); courses come from the
	// assessment below.
	r.Observations, r.Conditions, r.Findings, r.Biopsies, r.TherapyRecords, r.KidneyReplacement =
		c.observations, c.conditions, c.findings, c.biopsies, c.therapies, c.replacements
	if o := c.creatinine; o != nil {
		r.LatestCreatinine = &latestCreatinine{Value: o.Value.Value, Unit: string(o.Value.Unit), Date: o.Time.Format(time.DateOnly), asReported: assess.Reported(*o)}
	}
	r.LastSeen = lastSeen(tl, asOf)
	a := assess.Assess(tl, asOf, cfg)
	r.Therapies = len(a.Therapies)
	if k := a.Kidney.KFRE; k != nil {
		r.KFRE = &patientKFRE{Variables: k.Variables, Region: k.Region.String(), Risk2y: k.Risk2y, Risk5y: k.Risk5y}
	}
	if e := a.Kidney.EGFR; e != nil {
		r.EGFR = &patientEGFR{Value: e.Value, Equation: e.Equation, Date: e.Date.Format(time.DateOnly)}
	}
	if st := worklist.StageOf(a.Kidney.Stage); st != nil {
		r.Stage = &patientStage{Stage: *st, Persistent: a.Kidney.Stage.Persistent}
	}
	r.Alerts = worklist.CountAlerts(a.Alerts)
	return r, nil
}

// printPatients prints the list as a table, the latest creatinine in the
// unit of sys (unitsConventional or unitsSI) so that its column has one
// unit (trial #21).
func printPatients(w io.Writer, l *patientsList, sys unitSystem) error {
	l = l.safe() // stored text escaped (safetext.go)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	crUnit := displayUnits[sys][units.Creatinine]
	fmt.Fprintf(w, "Assessed as of %s (end of day, UTC). eGFR in %s; creatinine in %s; therapies counted as courses/records (refills of one drug form a course); alerts counted critical/warning/info; MONITORING: overdue when a monitoring test is past its interval (the monitoring-overdue alert).\n\n", l.AsOf, units.MLPerMinBSA.Display(), crUnit.Display())
	fmt.Fprintln(tw, "PATIENT\tSEX\tBORN\tDIED\tOBS\tTHERAPIES C/R\tEGFR\tSTAGE\tRISK\tKFRE 5Y\tALERTS C/W/I\tMONITORING\tLATEST CREATININE\tLAST SEEN")
	for _, r := range l.Patients {
		born := "-"
		if r.BirthDate != nil {
			// A partial birth date is shown as given, never as a day.
			switch b := *r.BirthDate; r.BirthPrecision {
			case "year":
				born = b[:4] + " (year only)"
			case "month":
				born = b[:7] + " (month only)"
			default:
				born = b
			}
			if r.NotBornByAsOf {
				born += " (not born by as-of)"
			}
		}
		died := "-"
		if r.Deceased {
			died = "deceased, date unknown"
			if r.DeceasedDate != nil {
				died = *r.DeceasedDate
			}
		}
		egfr := "-"
		if r.EGFR != nil {
			egfr = fmt.Sprintf("%s on %s", egfrText(r.EGFR.Value, ""), r.EGFR.Date)
		}
		stage, risk := "-", "-"
		if s := r.Stage; s != nil {
			stage = s.G + s.Suffix
			if s.A != nil {
				stage += " " + *s.A
			}
			if s.Risk != nil {
				risk = *s.Risk
			}
		}
		cr := "-"
		if r.LatestCreatinine != nil {
			c := r.LatestCreatinine
			q := c.asReported // as the laboratory reported it (106 µmol/L, not 1.19910 mg/dL)
			if q.Unit == "" {
				q = units.Q(c.Value, units.Unit(c.Unit))
			}
			cr = fmt.Sprintf("%s on %s", sys.showQ(units.Creatinine, q), c.Date)
		}
		k5, seen := "-", "-"
		if r.KFRE != nil {
			k5 = percent(r.KFRE.Risk5y)
		}
		if r.LastSeen != nil {
			seen = *r.LastSeen
		}
		// MONITORING has the meaning of the dashboard's Monitoring column:
		// "overdue" when a monitoring-overdue alert is raised.
		mon := "-"
		if slices.Contains(r.Alerts.Codes, assess.AlertMonitoringOverdue) {
			mon = "overdue"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d/%d\t%s\t%s\t%s\t%s\t%d/%d/%d\t%s\t%s\t%s\n", r.ID, r.Sex, born, died, r.Observations, r.Therapies, r.TherapyRecords, egfr,
			stage, risk, k5, r.Alerts.Critical, r.Alerts.Warning, r.Alerts.Info, mon, cr, seen)
	}
	return tw.Flush()
}
