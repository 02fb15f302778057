package main

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
)

// Sorting and filtering of "renalwatch patients" (docs/report.md,
// "Patient lists").

// stageOrder and riskOrder rank the KDIGO categories from mildest to most
// severe (KDIGO 2012 Table 5 and Figure 9, kept in KDIGO 2024).
var (
	stageOrder = []string{"G1", "G2", "G3a", "G3b", "G4", "G5"}
	riskOrder  = []string{"low", "moderate", "high", "very high"}
)

// rowValue is one sortable, filterable column of a row: a number, or ok
// false when the patient has no value.
type rowValue func(r *patientRow) (v float64, ok bool)

func stageRank(r *patientRow) (float64, bool) {
	if r.Stage == nil {
		return 0, false
	}
	i := slices.Index(stageOrder, r.Stage.G)
	return float64(i), i >= 0
}

func riskRank(r *patientRow) (float64, bool) {
	if r.Stage == nil || r.Stage.Risk == nil {
		return 0, false
	}
	i := slices.Index(riskOrder, *r.Stage.Risk)
	return float64(i), i >= 0
}

func egfrValue(r *patientRow) (float64, bool) {
	if r.EGFR == nil {
		return 0, false
	}
	return r.EGFR.Value, true
}

func kfre5y(r *patientRow) (float64, bool) {
	if r.KFRE == nil {
		return 0, false
	}
	return r.KFRE.Risk5y, true
}

func kfre2y(r *patientRow) (float64, bool) {
	if r.KFRE == nil {
		return 0, false
	}
	return r.KFRE.Risk2y, true
}

func lastSeenValue(r *patientRow) (float64, bool) {
	if r.LastSeen == nil {
		return 0, false
	}
	t, err := time.Parse(time.DateOnly, *r.LastSeen)
	return float64(t.Unix()), err == nil
}

// sortKey is one --sort key; desc when written with a leading "-".
type sortKey struct {
	name string
	desc bool
}

// sortKeys are the --sort keys, each ascending (mildest, lowest or oldest
// first) unless reversed with "-". stage sorts by G, then A, then suffix
// (G5, then G5D).
var sortKeys = map[string]func(a, b *patientRow) (int, bool, bool){
	"stage":     byStage,
	"risk":      byValue(riskRank),
	"kfre":      byValue(kfre5y),
	"egfr":      byValue(egfrValue),
	"last-seen": byValue(lastSeenValue),
}

func sortKeyNames() []string { return []string{"stage", "risk", "kfre", "egfr", "last-seen"} }

// byValue compares two rows on one column; aok and bok say whether each
// has a value.
func byValue(f rowValue) func(a, b *patientRow) (int, bool, bool) {
	return func(a, b *patientRow) (int, bool, bool) {
		av, aok := f(a)
		bv, bok := f(b)
		return cmp.Compare(av, bv), aok, bok
	}
}

func byStage(a, b *patientRow) (int, bool, bool) {
	c, aok, bok := byValue(stageRank)(a, b)
	if c != 0 || !aok || !bok {
		return c, aok, bok
	}
	aA, bA := "", ""
	if a.Stage.A != nil {
		aA = *a.Stage.A
	}
	if b.Stage.A != nil {
		bA = *b.Stage.A
	}
	if c := cmp.Compare(aA, bA); c != 0 {
		return c, true, true
	}
	return cmp.Compare(a.Stage.Suffix, b.Stage.Suffix), true, true
}

func parseSortKeys(text string) ([]sortKey, error) {
	var keys []sortKey
	if strings.TrimSpace(text) == "" {
		return keys, nil
	}
	for _, f := range strings.Split(text, ",") {
		f = strings.TrimSpace(f)
		k := sortKey{name: strings.TrimPrefix(f, "-"), desc: strings.HasPrefix(f, "-")}
		if _, ok := sortKeys[k.name]; !ok {
			return nil, badInputf("patients: --sort %q: %q is not a sort key (accepted: %s, each optionally after - to reverse)", text, f, strings.Join(sortKeyNames(), ", "))
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func sortKeyTexts(keys []sortKey) []string {
	out := []string{}
	for _, k := range keys {
		if k.desc {
			out = append(out, "-"+k.name)
		} else {
			out = append(out, k.name)
		}
	}
	return out
}

// sortRows sorts rows by keys in turn, then by patient id. A patient
// without a key's value comes after every patient with one, in either
// direction.
func sortRows(rows []patientRow, keys []sortKey) {
	if len(keys) == 0 {
		return
	}
	slices.SortStableFunc(rows, func(a, b patientRow) int {
		for _, k := range keys {
			c, aok, bok := sortKeys[k.name](&a, &b)
			switch {
			case aok && !bok:
				return -1
			case !aok && bok:
				return 1
			case !aok && !bok:
				continue
			}
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// filterSummary is the --filter help.
const filterSummary = "stage>=G4, risk=very high, egfr<30, kfre5y>=5% (or 0.05), kfre2y>10%, last-seen<2025-01-01, alert=renal-flare, alert!=CODE, overdue (the monitoring-overdue alert), alive, deceased; operators = != < <= > >=; a patient without the value does not match"

// condition is one parsed --filter expression.
type condition struct {
	text  string
	match func(r *patientRow) bool
}

var filterOps = []string{">=", "<=", "!=", "=", ">", "<"}

// filterKeys are the keys a --filter expression may name.
var filterKeys = []string{"stage", "risk", "egfr", "kfre5y", "kfre2y", "last-seen", "alert", "overdue", "alive", "deceased"}

// bareFilters take no operator or value.
var bareFilters = []string{"overdue", "alive", "deceased"}

func parseFilters(exprs []string) ([]condition, error) {
	var conds []condition
	for _, e := range exprs {
		for _, part := range strings.Split(e, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			c, err := parseFilter(part)
			if err != nil {
				return nil, badInputf("patients: --filter %q: %v", part, err)
			}
			conds = append(conds, c)
		}
	}
	return conds, nil
}

func parseFilter(expr string) (condition, error) {
	c := condition{text: expr}
	switch expr {
	case "overdue":
		c.match = hasAlert(assess.AlertMonitoringOverdue)
		return c, nil
	case "alive":
		c.match = func(r *patientRow) bool { return !r.Deceased }
		return c, nil
	case "deceased":
		c.match = func(r *patientRow) bool { return r.Deceased }
		return c, nil
	}
	key, op, value := "", "", ""
	for i := range len(expr) {
		for _, o := range filterOps {
			if strings.HasPrefix(expr[i:], o) {
				key, op, value = strings.TrimSpace(expr[:i]), o, strings.TrimSpace(expr[i+len(o):])
				break
			}
		}
		if op != "" {
			break
		}
	}
	if op == "" {
		if slices.Contains(filterKeys, expr) {
			return c, fmt.Errorf("%s needs an operator and a value, such as %s", expr, filterExample(expr))
		}
		return c, fmt.Errorf("not a filter; write KEY OPERATOR VALUE with a key among %s and an operator among %s, or one of %s", strings.Join(filterKeys[:len(filterKeys)-len(bareFilters)], ", "), strings.Join(filterOps, " "), strings.Join(bareFilters, ", "))
	}
	if slices.Contains(bareFilters, key) {
		return c, fmt.Errorf("%s takes no operator or value; write %s", key, key)
	}
	if !slices.Contains(filterKeys, key) {
		return c, fmt.Errorf("%q is not a filter key (accepted: %s)", key, strings.Join(filterKeys, ", "))
	}
	if strings.ContainsAny(value, "<>=!") {
		return c, fmt.Errorf("operator %q is not accepted (accepted: %s)", op+value[:strings.IndexAny(value, "<>=!")+1], strings.Join(filterOps, " "))
	}
	var f rowValue
	var want float64
	switch key {
	case "alert":
		if op != "=" && op != "!=" {
			return c, fmt.Errorf("alert takes = or !=, not %s", op)
		}
		if !slices.Contains(assess.AlertCodes(), value) {
			return c, fmt.Errorf("%q is not an alert code (accepted: %s)", value, strings.Join(assess.AlertCodes(), ", "))
		}
		has := hasAlert(value)
		c.match = has
		if op == "!=" {
			c.match = func(r *patientRow) bool { return !has(r) }
		}
		return c, nil
	case "stage":
		g, suffix := stageSuffix(value)
		i := slices.IndexFunc(stageOrder, func(s string) bool { return strings.EqualFold(s, g) })
		if i < 0 {
			return c, fmt.Errorf("%q is not a GFR category (accepted: %s, each optionally with the suffix the table shows, T after a kidney transplant or D on dialysis, as in G2T or G5D; without a suffix G5D counts as G5)", value, strings.Join(stageOrder, ", "))
		}
		f, want = stageRank, float64(i)
		if suffix != "" && op == "!=" {
			// Every staged patient but those in G with the suffix.
			is := withSuffix(suffix)
			c.match = func(r *patientRow) bool {
				v, ok := is(r)
				return r.Stage != nil && (!ok || v != want)
			}
			return c, nil
		}
		if suffix != "" {
			f = withSuffix(suffix)
		}
	case "risk":
		i := slices.Index(riskOrder, strings.ToLower(value))
		if i < 0 {
			return c, fmt.Errorf("%q is not a KDIGO risk (accepted: %s)", value, strings.Join(riskOrder, ", "))
		}
		f, want = riskRank, float64(i)
	case "egfr":
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || v < 0 || v > 300 {
			return c, fmt.Errorf("%q is not an eGFR in mL/min/1.73 m2 (accepted: a number from 0 to 300, such as 30)", value)
		}
		f, want = egfrValue, v
	case "kfre5y", "kfre2y":
		v, err := parseRisk(value)
		if err != nil {
			return c, err
		}
		f, want = kfre5y, v
		if key == "kfre2y" {
			f = kfre2y
		}
	case "last-seen":
		t, err := time.Parse(time.DateOnly, value)
		if err != nil {
			return c, fmt.Errorf("%q is not a date (accepted: YYYY-MM-DD)", value)
		}
		f, want = lastSeenValue, float64(t.Unix())
	}
	c.match = func(r *patientRow) bool {
		v, ok := f(r)
		if !ok {
			return false
		}
		switch op {
		case "=":
			return v == want
		case "!=":
			return v != want
		case "<":
			return v < want
		case "<=":
			return v <= want
		case ">":
			return v > want
		}
		return v >= want
	}
	return c, nil
}

func filterExample(key string) string {
	for _, e := range strings.Split(filterSummary, ", ") {
		if strings.HasPrefix(e, key) {
			e, _, _ = strings.Cut(e, " (")
			return e
		}
	}
	return key + "=VALUE"
}

// parseRisk reads a KFRE risk as a percentage ("5%") or a probability
// ("0.05"); a bare number above 1 is refused (5 could mean 5%).
func parseRisk(s string) (float64, error) {
	if strings.HasSuffix(s, "%") {
		v, err := parsePercent(s)
		if err != nil || v < 0 || v > 1 {
			return 0, fmt.Errorf("%q is not a risk (accepted: 0%% to 100%%, or a probability from 0 to 1)", s)
		}
		return v, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 0 && v <= 1) {
		return 0, fmt.Errorf("%q is not a risk (accepted: a probability from 0 to 1, such as 0.05, or a percentage such as 5%%)", s)
	}
	return v, nil
}

func hasAlert(code string) func(r *patientRow) bool {
	return func(r *patientRow) bool { return slices.Contains(r.Alerts.Codes, code) }
}

func filterTexts(conds []condition) []string {
	out := []string{}
	for _, c := range conds {
		out = append(out, c.text)
	}
	return out
}

// filterRows keeps the rows every condition matches.
func filterRows(rows []patientRow, conds []condition) []patientRow {
	if len(conds) == 0 {
		return rows
	}
	kept := rows[:0]
	for _, r := range rows {
		if !slices.ContainsFunc(conds, func(c condition) bool { return !c.match(&r) }) {
			kept = append(kept, r)
		}
	}
	return kept
}

// listedHow describes the sort and filters for the text list's last line.
func listedHow(keys []sortKey, conds []condition) string {
	var s string
	if len(conds) > 0 {
		s += " matching " + strings.Join(filterTexts(conds), " and ")
	}
	if len(keys) > 0 {
		s += ", sorted by " + strings.Join(sortKeyTexts(keys), ", ")
	}
	return s
}

// lastSeen is the date of the latest observation, finding or biopsy taken
// at or before asOf, or nil.
func lastSeen(tl *record.Timeline, asOf time.Time) *string {
	var last time.Time
	see := func(t time.Time) {
		if !t.After(asOf) && t.After(last) {
			last = t
		}
	}
	for _, o := range tl.Observations() {
		see(o.Time)
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

// stageSuffix splits a stage filter value into the G category and the KDIGO
// suffix the patient list shows (KDIGO 2012 CKD guideline, 1.2: "T" after a
// kidney transplant, "D" on dialysis): "G2T" is G2 and "T"; "G5d" is G5 and
// "D"; "G3a" has no suffix.
func stageSuffix(v string) (g, suffix string) {
	if n := len(v); n > 2 {
		switch last := strings.ToUpper(v[n-1:]); last {
		case "T", "D":
			return v[:n-1], last
		}
	}
	return v, ""
}

// withSuffix ranks only the rows whose stage carries suffix: stage=G2T
// keeps the transplant recipients in G2, stage>=G4T those in G4 or G5.
func withSuffix(suffix string) rowValue {
	return func(r *patientRow) (float64, bool) {
		if r.Stage == nil || r.Stage.Suffix != suffix {
			return 0, false
		}
		return stageRank(r)
	}
}
