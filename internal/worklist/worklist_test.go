package worklist

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/store"
)

func f64(v float64) *float64 { return &v }

func ids(rows []Facts) []string {
	var s []string
	for _, r := range rows {
		s = append(s, r.ID)
	}
	return s
}

func self(f *Facts) Facts { return *f }

// stage is a Stage; a and risk "" are unknown.
func stage(g, suffix, a, risk string) *Stage {
	st := &Stage{G: g, Suffix: suffix}
	if a != "" {
		st.A = &a
	}
	if risk != "" {
		st.Risk = &risk
	}
	return st
}

func TestParseAndMatch(t *testing.T) {
	g4 := Facts{ID: "g4", Stage: stage("G4", "", "A3", "very high"), EGFR: f64(20), KFRE2y: f64(0.04), KFRE5y: f64(0.12), LastSeen: "2024-06-01",
		Alerts: &Alerts{Codes: []string{assess.AlertMonitoringOverdue}}}
	g5d := Facts{ID: "g5d", Stage: stage("G5", "D", "", ""), Deceased: true, Alerts: &Alerts{Codes: []string{"renal-flare"}}}
	none := Facts{ID: "none"}
	for _, tc := range []struct {
		expr string
		want []string // ids kept of g4, g5d, none
	}{
		{"stage>=G4", []string{"g4", "g5d"}},
		{"stage=G5", []string{"g5d"}},
		{"stage=g5d", []string{"g5d"}},
		{"stage!=G5D", []string{"g4"}},
		{"risk=very high", []string{"g4"}},
		{"egfr<30", []string{"g4"}},
		{"kfre5y>=5%", []string{"g4"}},
		{"kfre5y>=0.2", nil},
		{"kfre2y<0.05", []string{"g4"}},
		{"last-seen<2025-01-01", []string{"g4"}},
		{"alert=renal-flare", []string{"g5d"}},
		{"alert!=renal-flare", []string{"g4", "none"}},
		{"overdue", []string{"g4"}},
		{"alive", []string{"g4", "none"}},
		{"deceased", []string{"g5d"}},
	} {
		c, err := Parse(tc.expr)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		got := ids(Filter([]Facts{g4, g5d, none}, []Condition{c}, self))
		if !slices.Equal(got, tc.want) || c.Text != tc.expr {
			t.Errorf("%s kept %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for expr, want := range map[string]string{
		"overdue=yes":         "overdue takes no operator or value; write overdue",
		"colour=red":          `"colour" is not a filter key (accepted: stage, risk, egfr, kfre5y, kfre2y, last-seen, alert, overdue, alive, deceased)`,
		"stage=>G4":           `operator "=>" is not accepted (accepted: >= <= != = > <)`,
		"stage>=G3":           `"G3" is not a GFR category`,
		"alert=renal-flares":  `"renal-flares" is not an alert code`,
		"alert<x":             "alert takes = or !=, not <",
		"kfre5y>=5":           `"5" is not a risk (accepted: a probability from 0 to 1, such as 0.05, or a percentage such as 5%)`,
		"kfre5y>=150%":        `"150%" is not a risk (accepted: 0% to 100%, or a probability from 0 to 1)`,
		"egfr<301":            `"301" is not an eGFR in mL/min/1.73 m2`,
		"last-seen<yesterday": `"yesterday" is not a date (accepted: YYYY-MM-DD)`,
		"risk=grave":          `"grave" is not a KDIGO risk (accepted: low, moderate, high, very high)`,
		"risk":                "risk needs an operator and a value, such as risk=very high",
		"hello":               "not a filter; write KEY OPERATOR VALUE with a key among stage, risk, egfr, kfre5y, kfre2y, last-seen, alert and an operator among >= <= != = > <, or one of overdue, alive, deceased",
	} {
		if _, err := Parse(expr); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Parse(%q): %v; want %q", expr, err, want)
		}
	}
}

// Every key puts the patients without its value last, in either
// direction; ties go by id.
func TestSort(t *testing.T) {
	jan, feb := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	rows := []Facts{
		{ID: "e", Stage: stage("G5", "D", "A1", ""), EGFR: f64(8), Alerts: &Alerts{Critical: 1}, LastFlare: &feb},
		{ID: "d", Stage: stage("G5", "", "A1", "very high"), EGFR: f64(12), KFRE5y: f64(0.5), Alerts: &Alerts{Warning: 2}},
		{ID: "c", Stage: stage("G4", "", "A3", "very high"), EGFR: f64(20), KFRE5y: f64(0.2), LastSeen: "2024-03-01", Alerts: &Alerts{}, LastFlare: &jan},
		{ID: "b", Stage: stage("G4", "", "A2", "high"), EGFR: f64(20), LastSeen: "2024-05-01", Alerts: &Alerts{Info: 3}},
		{ID: "a", Alerts: &Alerts{}},
	}
	for _, tc := range []struct {
		keys []SortKey
		want string
	}{
		{[]SortKey{{Name: "stage"}}, "bcdea"},
		{[]SortKey{{Name: "stage", Desc: true}}, "edcba"},
		{[]SortKey{{Name: "g"}}, "bcdea"},
		{[]SortKey{{Name: "g", Desc: true}}, "debca"},
		{[]SortKey{{Name: "egfr"}}, "edbca"},
		{[]SortKey{{Name: "egfr", Desc: true}}, "bcdea"},
		{[]SortKey{{Name: "risk"}, {Name: "egfr", Desc: true}}, "bcdea"},
		{[]SortKey{{Name: "kfre", Desc: true}}, "dcabe"},
		{[]SortKey{{Name: "last-seen", Desc: true}}, "bcade"},
		{[]SortKey{{Name: "alerts", Desc: true}}, "edbac"},
		{[]SortKey{{Name: "flare"}}, "ceabd"},
		{[]SortKey{{Name: "id", Desc: true}}, "edcba"},
	} {
		rs := slices.Clone(rows)
		Sort(rs, tc.keys, self)
		if got := strings.Join(ids(rs), ""); got != tc.want {
			t.Errorf("sort %v: %s, want %s", tc.keys, got, tc.want)
		}
	}
}

func TestSortKeys(t *testing.T) {
	for _, name := range SortKeyNames() {
		if !IsSortKey(name) {
			t.Errorf("%s is listed but not a key", name)
		}
	}
	if k, ok := ParseSortKey("-kfre", SortKeyNames()); !ok || k != (SortKey{Name: "kfre", Desc: true}) || k.String() != "-kfre" {
		t.Errorf("ParseSortKey(-kfre) = %v, %v", k, ok)
	}
	if _, ok := ParseSortKey("alerts", SortKeyNames()); ok {
		t.Error("alerts is not a key of the patients command")
	}
}

func TestCountAlerts(t *testing.T) {
	got := CountAlerts([]assess.Alert{{Code: "a", Severity: assess.Critical}, {Code: "b", Severity: assess.Warning}, {Code: "c", Severity: assess.Warning}, {Code: "d"}})
	if got.Critical != 1 || got.Warning != 2 || got.Info != 1 || !slices.Equal(got.Codes, []string{"a", "b", "c", "d"}) {
		t.Errorf("CountAlerts: %+v", got)
	}
	if c := CountAlerts(nil).Codes; c == nil || len(c) != 0 {
		t.Errorf("no alerts: codes %v, want [] (JSON [])", c)
	}
}

func TestRows(t *testing.T) {
	var ps []store.PatientSummary
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		ps = append(ps, store.PatientSummary{Patient: record.Patient{ID: id}})
	}
	got, err := Rows(ps, func(p store.PatientSummary) (string, error) { return p.Patient.ID + "!", nil })
	if err != nil || strings.Join(got, "") != "a!b!c!d!e!" {
		t.Errorf("Rows: %q, %v; want one row per patient in their order", got, err)
	}
	_, err = Rows(ps, func(p store.PatientSummary) (string, error) {
		if p.Patient.ID >= "c" {
			return "", errors.New("bad " + p.Patient.ID)
		}
		return "", nil
	})
	if err == nil || err.Error() != "bad c" {
		t.Errorf("Rows: error %v; want the first in the patients' order (bad c)", err)
	}
	if got, err := Rows(nil, func(store.PatientSummary) (int, error) { return 1, nil }); err != nil || len(got) != 0 {
		t.Errorf("Rows of no patient: %v, %v", got, err)
	}
}

func TestStageOf(t *testing.T) {
	if StageOf(assess.Stage{}) != nil {
		t.Error("StageOf without a G category is not nil")
	}
	g, a, r := ckd.G5, ckd.A2, ckd.RiskVeryHigh
	got := StageOf(assess.Stage{G: &g, Suffix: "D", A: &a, Risk: &r})
	if got == nil || got.G != "G5" || got.Suffix != "D" || *got.A != "A2" || *got.Risk != "very high" {
		t.Errorf("StageOf: %+v", got)
	}
	if got := StageOf(assess.Stage{G: &g}); got.A != nil || got.Risk != nil {
		t.Errorf("StageOf without A: %+v; want a and risk nil", got)
	}
}
