package main

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/worklist"
	"renalwatch/record"
)

// Sorting and filtering of "renalwatch patients" (docs/report.md,
// "Patient lists").

// The grammar and evaluation of --filter and --sort are internal/worklist's,
// which the dashboard's list shares.

// facts describes a row to internal/worklist.
func (r *patientRow) facts() worklist.Facts {
	f := worklist.Facts{ID: r.ID, Alerts: &r.Alerts, Deceased: r.Deceased}
	if r.Stage != nil {
		f.Stage = &r.Stage.Stage
	}
	if r.EGFR != nil {
		f.EGFR = &r.EGFR.Value
	}
	if r.KFRE != nil {
		f.KFRE2y, f.KFRE5y = &r.KFRE.Risk2y, &r.KFRE.Risk5y
	}
	if r.LastSeen != nil {
		f.LastSeen = *r.LastSeen
	}
	return f
}

// parseSortKeys reads --sort.
func parseSortKeys(text string) ([]worklist.SortKey, error) {
	var keys []worklist.SortKey
	if strings.TrimSpace(text) == "" {
		return keys, nil
	}
	for _, f := range strings.Split(text, ",") {
		f = strings.TrimSpace(f)
		k, ok := worklist.ParseSortKey(f, worklist.SortKeyNames())
		if !ok {
			return nil, badInputf("patients: --sort %q: %q is not a sort key (accepted: %s, each optionally after - to reverse)", text, f, strings.Join(worklist.SortKeyNames(), ", "))
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func sortKeyTexts(keys []worklist.SortKey) []string {
	out := []string{}
	for _, k := range keys {
		out = append(out, k.String())
	}
	return out
}

// sortRows sorts rows by keys in turn, then by patient id (worklist.Sort).
func sortRows(rows []patientRow, keys []worklist.SortKey) {
	worklist.Sort(rows, keys, (*patientRow).facts)
}

// parseFilters reads the --filter expressions, each comma-separated.
func parseFilters(exprs []string) ([]worklist.Condition, error) {
	var conds []worklist.Condition
	for _, e := range exprs {
		for _, part := range strings.Split(e, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			c, err := worklist.Parse(part)
			if err != nil {
				return nil, badInputf("patients: --filter %q: %v", part, err)
			}
			conds = append(conds, c)
		}
	}
	return conds, nil
}

// filterRows keeps the rows every condition matches.
func filterRows(rows []patientRow, conds []worklist.Condition) []patientRow {
	return worklist.Filter(rows, conds, (*patientRow).facts)
}

// listedHow describes the sort and filters for the text list's last line.
func listedHow(keys []worklist.SortKey, conds []worklist.Condition) string {
	var s string
	if len(conds) > 0 {
		s += " matching " + strings.Join(worklist.Texts(conds), " and ")
	}
	if len(keys) > 0 {
		s += ", sorted by " + strings.Join(sortKeyTexts(keys), ", ")
	}
	return s
}

// lastSeen is the date of the latest observation, finding or biopsy taken
// at or before asOf, or nil. An eGFR RenalWatch computed in an earlier
// report and read back from its Bundle (assess.ComputedEarlier) is left
// out: it is no measurement, and its date is its creatinine's, or a
// report's (trial 9: LAST SEEN came from such eGFRs alone).
func lastSeen(tl *record.Timeline, asOf time.Time) *string {
	var last time.Time
	see := func(t time.Time) {
		if !t.After(asOf) && t.After(last) {
			last = t
		}
	}
	obs := tl.Observations()
	for i := range obs {
		if _, computed := assess.ComputedEarlier(&obs[i]); !computed {
			see(obs[i].Time)
		}
	}
	for _, f := range tl.Findings {
		see(f.Time)
	}
	for _, b := range tl.Biopsies {
		see(b.Time)
	}
	if last.IsZero() {
		return nil
	}
	d := last.UTC().Format(time.DateOnly)
	return &d
}

// patientsCSVHeader is "patients --format csv": one row per patient,
// numbers as in --json (never rounded), empty when unknown.
var patientsCSVHeader = []string{"patient_id", "sex", "birth_date", "birth_precision", "deceased", "deceased_date",
	"egfr", "egfr_unit", "egfr_equation", "egfr_date", "stage", "albuminuria", "risk", "kfre_variables", "kfre_region", "kfre_2y", "kfre_5y",
	"alerts_critical", "alerts_warning", "alerts_info", "alert_codes", "latest_creatinine", "latest_creatinine_unit", "latest_creatinine_date",
	"last_seen", "observations", "therapy_courses", "therapy_records"}

func writePatientsCSV(w io.Writer, rows []patientRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(patientsCSVHeader); err != nil {
		return err
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, r := range rows {
		rec := make([]string, 0, len(patientsCSVHeader))
		rec = append(rec, r.ID, r.Sex, str(r.BirthDate), r.BirthPrecision, strconv.FormatBool(r.Deceased), str(r.DeceasedDate))
		if e := r.EGFR; e != nil {
			rec = append(rec, num(e.Value), "mL/min/{1.73_m2}", e.Equation, e.Date)
		} else {
			rec = append(rec, "", "", "", "")
		}
		if s := r.Stage; s != nil {
			rec = append(rec, s.G+s.Suffix, str(s.A), str(s.Risk))
		} else {
			rec = append(rec, "", "", "")
		}
		if k := r.KFRE; k != nil {
			rec = append(rec, strconv.Itoa(k.Variables), k.Region, num(k.Risk2y), num(k.Risk5y))
		} else {
			rec = append(rec, "", "", "", "")
		}
		rec = append(rec, strconv.Itoa(r.Alerts.Critical), strconv.Itoa(r.Alerts.Warning), strconv.Itoa(r.Alerts.Info), strings.Join(r.Alerts.Codes, " "))
		if c := r.LatestCreatinine; c != nil {
			rec = append(rec, num(c.Value), c.Unit, c.Date)
		} else {
			rec = append(rec, "", "", "")
		}
		rec = append(rec, str(r.LastSeen), strconv.Itoa(r.Observations), strconv.Itoa(r.Therapies), strconv.Itoa(r.TherapyRecords))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
