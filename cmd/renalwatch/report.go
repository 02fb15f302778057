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
	"renalwatch/ckd"
	"renalwatch/fhir"
	"renalwatch/store"
)

const reportExample = `  renalwatch report ln-class-iv-g4 --db renalwatch.db
  renalwatch report ln-class-iv-g4 --as-of 2024-01-01 --json
  renalwatch report ln-class-iv-g4 --fhir > report.json   (FHIR R4 Bundle: eGFR Observations, KFRE RiskAssessment, alerts)
  renalwatch report ln-class-iv-g4 --config docs/renalwatch.example.toml --kfre-region north-america
  renalwatch report ln-class-iv-g4 --format csv > labs.csv   (observations in the CSV import layout)`

// reportJSON is "renalwatch report --json" (fields documented in docs/report.md).
type reportJSON struct {
	Patient assess.PatientInfo `json:"patient"`
	AsOf    string             `json:"as_of"` // YYYY-MM-DD; values taken on that day count
	// EffectiveDate is as_of, or the date of death when the patient died
	// before it (YYYY-MM-DD): nothing after it is judged.
	EffectiveDate string           `json:"effective_date"`
	Config        assess.Config    `json:"config"`
	Kidney        assess.Kidney    `json:"kidney"`
	Lupus         assess.Lupus     `json:"lupus"`
	Alerts        []assess.Alert   `json:"alerts"`
	Therapies     []assess.Therapy `json:"therapies"`
	Missing       []assess.Missing `json:"missing"`
}

// runReport implements "renalwatch report PATIENT [--db PATH] [--as-of DATE] [--json]".
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "report PATIENT [--db PATH] [--as-of YYYY-MM-DD] [--json | --fhir | --format text|json|fhir|csv] [--config FILE] [settings flags]", reportExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH`")
	asOfText := fs.String("as-of", "", "assess the record as it stood at the end of `DATE` (YYYY-MM-DD; default today, UTC)")
	asJSON := fs.Bool("json", false, "print JSON")
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
	if *format == "csv" {
		return writeObservationsCSV(stdout, tl, asOf)
	}
	a := assess.Assess(tl, asOf, cfg)
	if *format == "fhir" {
		return writeJSON(stdout, fhir.ReportBundle(a, tl))
	}
	r := reportJSON{Patient: a.Patient, AsOf: day.Format(time.DateOnly), EffectiveDate: a.EffectiveDate.Format(time.DateOnly), Config: a.Config, Kidney: a.Kidney, Lupus: a.Lupus, Alerts: a.Alerts,
		Therapies: a.Therapies, Missing: a.Missing}
	if *format == "json" {
		return writeJSON(stdout, r)
	}
	return printReport(stdout, &r)
}

func printReport(w io.Writer, r *reportJSON) error {
	r = r.safe() // stored text escaped (safetext.go)
	var b strings.Builder
	b.WriteString(reportHeader(r))
	k := r.Kidney
	if e := k.EGFR; e != nil && e.Reported != nil {
		lab := "LOINC " + e.Reported.Code
		if e.Reported.LabEquation != "" {
			lab += ", " + e.Reported.LabEquation
		}
		fmt.Fprintf(&b, "eGFR %s on %s (reported by the laboratory: %s; no creatinine in the record gives a computed eGFR)\n", egfrText(e.Value, "mL/min/1.73m2"), e.Date.Format(time.DateOnly), lab)
		for _, w := range e.Warnings {
			fmt.Fprintf(&b, "  warning: %s\n", w)
		}
	} else if e != nil {
		fmt.Fprintf(&b, "eGFR %s on %s (%s)\n", egfrText(e.Value, "mL/min/1.73m2"), e.Date.Format(time.DateOnly), e.Equation)
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
		fmt.Fprintf(&b, "eGFR slope %s per year (95%% CI %s to %s, %d values)\n", derived(s.PerYear), derived(s.CI95[0]), derived(s.CI95[1]), s.Points)
	}
	if f := k.KFRE; f != nil {
		eq := f.EGFREquation
		if eq == "reported" {
			eq = "laboratory-reported"
		}
		fmt.Fprintf(&b, "KFRE (%d-variable, %s ACR, eGFR %s %s of %s): 2-year %s, 5-year %s\n", f.Variables, f.ACRSource, egfrText(f.Inputs.EGFR, ""), eq,
			f.EGFRDate.Format(time.DateOnly), percent(f.Risk2y), percent(f.Risk5y))
		if f.ACRNote != "" {
			fmt.Fprintf(&b, "  %s\n", f.ACRNote)
		}
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
		fmt.Fprintf(&b, "Renal response (%s): %s, %s months after %s (%s%s)\n", rs.Rule, resp, derived(rs.Months), rs.Since.Format(time.DateOnly), strings.Join(rs.Therapies, " + "), background(rs.Concurrent))
		for _, w := range rs.Warnings {
			if strings.Contains(w, "cannot be attributed") {
				fmt.Fprintf(&b, "  %s\n", w)
			}
		}
		b.WriteString(responseStateLine(rs))
	}
	for _, f := range r.Lupus.Flares {
		kind := "flare"
		if f.Type != nil {
			kind = *f.Type + " flare"
		}
		if f.Severity != nil {
			kind = *f.Severity + " " + kind
		}
		fmt.Fprintf(&b, "Renal %s on %s (%s): UPCR %s to %s\n", kind, f.Date.Format(time.DateOnly), f.Rule, measuredQ(f.BaselineUPCR), measuredQ(f.UPCR))
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
			printTherapy(&b, t)
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

// printTherapy writes one course: name, class, evidence (or graft
// immunosuppression), dates, the records it joins and what ran alongside.
func printTherapy(b *strings.Builder, t assess.Therapy) {
	end := "ongoing or end not recorded"
	last := t.LastRecord.Format(time.DateOnly)
	switch {
	case t.End != nil && t.EndBasis == "death" && t.LastRecord.After(t.Start):
		end = t.End.Format(time.DateOnly) + " (death; last record " + last + ")"
	case t.End != nil && t.EndBasis == "death":
		end = t.End.Format(time.DateOnly) + " (death)"
	case t.End != nil:
		end = t.End.Format(time.DateOnly)
	case !t.Open:
		end = "end not recorded (last record " + last + ")"
	case t.Records > 1:
		end = "ongoing or end not recorded (last record " + last + ")"
	}
	what := "evidence " + string(t.Evidence)
	if t.Indication != "" {
		what = t.Indication
	}
	records := ""
	if t.Records > 1 {
		records = fmt.Sprintf(", %d records", t.Records)
	}
	fmt.Fprintf(b, "  %s (%s, %s) from %s to %s%s", t.Name, t.Class, what, t.Start.Format(time.DateOnly), end, records)
	if bg := background(t.Effect.Concurrent); bg != "" {
		b.WriteString(";" + bg[1:])
	}
	b.WriteString("\n")
}

// background is ", on background A + B" naming the concurrent courses
// (each drug once), or "".
func background(cs []assess.Concurrent) string {
	var names []string
	for _, c := range cs {
		if !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return ", on background " + strings.Join(names, " + ")
}

// reportHeader is the report's first line: the patient, age (at death for
// a deceased patient), the conditions that change numbers, and the date.
func reportHeader(r *reportJSON) string {
	p := r.Patient
	age := "age unknown"
	if p.AgeYears != nil {
		age = fmt.Sprintf("%d years", *p.AgeYears)
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
			what := c.Kind
			if c.Display != "" {
				what += " (" + c.Display + ")"
			}
			if !slices.Contains(cs, what) {
				cs = append(cs, what)
			}
		}
		h += "Recorded conditions that enter equations: " + strings.Join(cs, ", ") + "\n"
	}
	return h
}
