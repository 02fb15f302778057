package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/fhir"
	"renalwatch/store"
)

const reportExample = `  renalwatch report ln-class-iv-g4 --db renalwatch.db
  renalwatch report ln-class-iv-g4 --as-of 2024-01-01 --json
  renalwatch report ln-class-iv-g4 --fhir > report.json   (FHIR R4 Bundle: eGFR Observations, KFRE RiskAssessment, alerts)`

// reportJSON is "renalwatch report --json" (fields documented in docs/report.md).
type reportJSON struct {
	Patient   assess.PatientInfo `json:"patient"`
	AsOf      string             `json:"as_of"` // YYYY-MM-DD; values taken on that day count
	Config    assess.Config      `json:"config"`
	Kidney    assess.Kidney      `json:"kidney"`
	Lupus     assess.Lupus       `json:"lupus"`
	Alerts    []assess.Alert     `json:"alerts"`
	Therapies []assess.Therapy   `json:"therapies"`
	Missing   []assess.Missing   `json:"missing"`
}

// runReport implements "renalwatch report PATIENT [--db PATH] [--as-of DATE] [--json]".
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "report PATIENT [--db PATH] [--as-of YYYY-MM-DD] [--json | --fhir]", reportExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH`")
	asOfText := fs.String("as-of", "", "assess the record as it stood at the end of `DATE` (YYYY-MM-DD; default today, UTC)")
	asJSON := fs.Bool("json", false, "print JSON")
	asFHIR := fs.Bool("fhir", false, "print a FHIR R4 Bundle: computed eGFR Observations (LOINC 98979-8, derivedFrom the creatinine), a RiskAssessment for the KFRE, and the alerts as DetectedIssue")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if *asJSON && *asFHIR {
		return badInputf("report: give --json or --fhir, not both")
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
	asOf := day.Add(24*time.Hour - time.Nanosecond)
	db, err := openStore(ctx, *dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	tl, err := db.Timeline(ctx, pos[0])
	if errors.Is(err, store.ErrNotFound) {
		return badInputf("report: patient %q is not in %s (run 'renalwatch patients --db %s')", pos[0], *dbPath, *dbPath)
	}
	if err != nil {
		return err
	}
	a := assess.Assess(tl, asOf, assess.DefaultConfig())
	if *asFHIR {
		return writeJSON(stdout, fhir.ReportBundle(a, tl))
	}
	r := reportJSON{Patient: a.Patient, AsOf: day.Format(time.DateOnly), Config: a.Config, Kidney: a.Kidney, Lupus: a.Lupus, Alerts: a.Alerts,
		Therapies: a.Therapies, Missing: a.Missing}
	if *asJSON {
		return writeJSON(stdout, r)
	}
	return printReport(stdout, &r)
}

func printReport(w io.Writer, r *reportJSON) error {
	r = r.safe() // stored text escaped (safetext.go)
	var b strings.Builder
	age := "age unknown"
	if r.Patient.AgeYears != nil {
		age = fmt.Sprintf("%d years", *r.Patient.AgeYears)
	}
	fmt.Fprintf(&b, "Patient %s (%s, %s) as of %s\n", r.Patient.ID, r.Patient.Sex, age, r.AsOf)
	k := r.Kidney
	if k.EGFR != nil {
		fmt.Fprintf(&b, "eGFR %s mL/min/1.73m2 on %s (%s)\n", human(k.EGFR.Value, 3), k.EGFR.Date.Format(time.DateOnly), k.EGFR.Equation)
	} else {
		b.WriteString("eGFR: none\n")
	}
	if s := k.Stage; s.G != nil {
		a, risk := "A?", "risk unknown without albuminuria"
		if s.A != nil {
			a = s.A.String()
		}
		if s.Risk != nil {
			risk = s.Risk.String() + " risk"
		}
		persist := "not shown to persist > 90 days"
		if s.Persistent {
			persist = "persistent > 90 days"
		}
		fmt.Fprintf(&b, "KDIGO %s%s %s, %s, %s\n", s.G, s.Suffix, a, risk, persist)
		if *s.G == ckd.G1 || *s.G == ckd.G2 {
			b.WriteString("(G1 and G2 are CKD only with a marker of kidney damage, such as albuminuria, for more than 3 months: KDIGO 2024)\n")
		}
	}
	if s := k.Slope; s != nil {
		fmt.Fprintf(&b, "eGFR slope %s per year (95%% CI %s to %s, %d values)\n", human(s.PerYear, 2), human(s.CI95[0], 2), human(s.CI95[1], 2), s.Points)
	}
	if f := k.KFRE; f != nil {
		fmt.Fprintf(&b, "KFRE (%d-variable, %s ACR): 2-year %s%%, 5-year %s%%\n", f.Variables, f.ACRSource, human(100*f.Risk2y, 2), human(100*f.Risk5y, 2))
	}
	if s := r.Lupus.SLEDAI; s != nil {
		fmt.Fprintf(&b, "SLEDAI-2K %d on %s (%s)\n", s.Score, s.Date.Format(time.DateOnly), s.Basis)
	}
	if bx := r.Lupus.Biopsy; bx != nil {
		ai, ci := "not assessed", "not assessed"
		if bx.ActivityIndex != nil {
			ai = fmt.Sprint(*bx.ActivityIndex)
		}
		if bx.ChronicityIndex != nil {
			ci = fmt.Sprint(*bx.ChronicityIndex)
		}
		fmt.Fprintf(&b, "Biopsy %s: ISN/RPS class %s, activity %s, chronicity %s\n", bx.Date.Format(time.DateOnly), bx.Class, ai, ci)
	}
	if rs := r.Lupus.Response; rs != nil {
		resp := "not judged (see missing)"
		if rs.Response != nil {
			resp = *rs.Response
		}
		fmt.Fprintf(&b, "Renal response (%s): %s, %s months after %s (%s)\n", rs.Rule, resp, human(rs.Months, 3), rs.Since.Format(time.DateOnly), strings.Join(rs.Therapies, " + "))
	}
	for _, f := range r.Lupus.Flares {
		kind := "flare"
		if f.Type != nil {
			kind = *f.Type + " flare"
		}
		if f.Severity != nil {
			kind = *f.Severity + " " + kind
		}
		fmt.Fprintf(&b, "Renal %s on %s (%s): UPCR %s to %s\n", kind, f.Date.Format(time.DateOnly), f.Rule, f.BaselineUPCR.Text(), f.UPCR.Text())
	}
	if len(r.Alerts) > 0 {
		b.WriteString("\nAlerts:\n")
		for _, al := range r.Alerts {
			fmt.Fprintf(&b, "  [%s] %s: %s (%s)\n", al.Severity, al.Code, al.Message, al.Source)
		}
	}
	if len(r.Therapies) > 0 {
		b.WriteString("\nTherapies:\n")
		for _, t := range r.Therapies {
			end := "ongoing or end not recorded"
			if t.End != nil {
				end = t.End.Format(time.DateOnly)
			}
			fmt.Fprintf(&b, "  %s (%s, evidence %s) from %s to %s\n", t.Name, t.Class, t.Evidence, t.Start.Format(time.DateOnly), end)
		}
		b.WriteString("  " + assess.UncontrolledCaveat + "\n")
	}
	if len(r.Missing) > 0 {
		b.WriteString("\nNot assessed (missing):\n")
		for _, m := range r.Missing {
			fmt.Fprintf(&b, "  - %s: %s\n", m.Path, m.Reason)
		}
	}
	b.WriteString("\nRenalWatch informs clinical judgement; it does not prescribe.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
