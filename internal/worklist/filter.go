package worklist

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
)

// FilterHelp summarises the filter grammar, for a command's help.
const FilterHelp = "stage>=G4, risk=very high, egfr<30, kfre5y>=5% (or 0.05), kfre2y>10%, last-seen<2025-01-01, alert=renal-flare, alert!=CODE, overdue (the monitoring-overdue alert), alive, deceased; operators = != < <= > >=; a patient without the value does not match"

// Condition is one parsed filter expression.
type Condition struct {
	Text  string // as written
	match func(f *Facts) bool
}

// Match reports whether the row f describes satisfies c.
func (c Condition) Match(f *Facts) bool { return c.match(f) }

var filterOps = []string{">=", "<=", "!=", "=", ">", "<"}

// filterKeys are the keys a filter expression may name.
var filterKeys = []string{"stage", "risk", "egfr", "kfre5y", "kfre2y", "last-seen", "alert", "overdue", "alive", "deceased"}

// bareFilters take no operator or value.
var bareFilters = []string{"overdue", "alive", "deceased"}

// Parse reads one filter expression (stage>=G4, overdue). Its error says
// what is wrong and what is accepted, without naming the expression.
func Parse(expr string) (Condition, error) {
	c := Condition{Text: expr}
	switch expr {
	case "overdue":
		c.match = hasAlert(assess.AlertMonitoringOverdue)
		return c, nil
	case "alive":
		c.match = func(f *Facts) bool { return !f.Deceased }
		return c, nil
	case "deceased":
		c.match = func(f *Facts) bool { return f.Deceased }
		return c, nil
	}
	key, op, val := "", "", ""
	for i := range len(expr) {
		for _, o := range filterOps {
			if strings.HasPrefix(expr[i:], o) {
				key, op, val = strings.TrimSpace(expr[:i]), o, strings.TrimSpace(expr[i+len(o):])
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
	if strings.ContainsAny(val, "<>=!") {
		return c, fmt.Errorf("operator %q is not accepted (accepted: %s)", op+val[:strings.IndexAny(val, "<>=!")+1], strings.Join(filterOps, " "))
	}
	var f value
	var want float64
	switch key {
	case "alert":
		if op != "=" && op != "!=" {
			return c, fmt.Errorf("alert takes = or !=, not %s", op)
		}
		if !slices.Contains(assess.AlertCodes(), val) {
			return c, fmt.Errorf("%q is not an alert code (accepted: %s)", val, strings.Join(assess.AlertCodes(), ", "))
		}
		has := hasAlert(val)
		c.match = has
		if op == "!=" {
			c.match = func(f *Facts) bool { return !has(f) }
		}
		return c, nil
	case "stage":
		g, suffix := stageSuffix(val)
		i := slices.IndexFunc(StageOrder, func(s string) bool { return strings.EqualFold(s, g) })
		if i < 0 {
			return c, fmt.Errorf("%q is not a GFR category (accepted: %s, each optionally with the suffix the table shows, T after a kidney transplant or D on dialysis, as in G2T or G5D; without a suffix G5D counts as G5)", val, strings.Join(StageOrder, ", "))
		}
		f, want = stageRank, float64(i)
		if suffix != "" && op == "!=" {
			// Every staged patient but those in G with the suffix.
			is := withSuffix(suffix)
			c.match = func(f *Facts) bool {
				v, ok := is(f)
				return f.Stage != nil && (!ok || v != want)
			}
			return c, nil
		}
		if suffix != "" {
			f = withSuffix(suffix)
		}
	case "risk":
		i := slices.Index(RiskOrder, strings.ToLower(val))
		if i < 0 {
			return c, fmt.Errorf("%q is not a KDIGO risk (accepted: %s)", val, strings.Join(RiskOrder, ", "))
		}
		f, want = riskRank, float64(i)
	case "egfr":
		v, err := strconv.ParseFloat(val, 64)
		if err != nil || v < 0 || v > 300 {
			return c, fmt.Errorf("%q is not an eGFR in mL/min/1.73 m2 (accepted: a number from 0 to 300, such as 30)", val)
		}
		f, want = egfrValue, v
	case "kfre5y", "kfre2y":
		v, err := parseRisk(val)
		if err != nil {
			return c, err
		}
		f, want = kfre5y, v
		if key == "kfre2y" {
			f = kfre2y
		}
	case "last-seen":
		t, err := time.Parse(time.DateOnly, val)
		if err != nil {
			return c, fmt.Errorf("%q is not a date (accepted: YYYY-MM-DD)", val)
		}
		f, want = lastSeenValue, float64(t.Unix())
	}
	c.match = func(r *Facts) bool {
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
	for _, e := range strings.Split(FilterHelp, ", ") {
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
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
		v /= 100
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1 {
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
func withSuffix(suffix string) value {
	return func(f *Facts) (float64, bool) {
		if f.Stage == nil || f.Stage.Suffix != suffix {
			return 0, false
		}
		return stageRank(f)
	}
}

// Filter keeps the rows every condition matches, in place; facts
// describes a row.
func Filter[R any](rows []R, conds []Condition, facts func(*R) Facts) []R {
	if len(conds) == 0 {
		return rows
	}
	kept := rows[:0]
	for i := range rows {
		f := facts(&rows[i])
		if !slices.ContainsFunc(conds, func(c Condition) bool { return !c.match(&f) }) {
			kept = append(kept, rows[i])
		}
	}
	return kept
}

// Texts are the conditions as written.
func Texts(conds []Condition) []string {
	out := []string{}
	for _, c := range conds {
		out = append(out, c.Text)
	}
	return out
}
