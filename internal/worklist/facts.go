package worklist

import (
	"slices"
	"time"

	"renalwatch/assess"
)

// StageOrder and RiskOrder rank the KDIGO categories from mildest to most
// severe (KDIGO 2012 Table 5 and Figure 9, kept in KDIGO 2024).
var (
	StageOrder = []string{"G1", "G2", "G3a", "G3b", "G4", "G5"}
	RiskOrder  = []string{"low", "moderate", "high", "very high"}
)

// Facts are what a filter or sort key reads of one row of a list. A value
// that is not known is "" or nil, never zero.
type Facts struct {
	ID             string
	Stage          *Stage   // nil without a G category
	EGFR           *float64 // mL/min/1.73 m2
	KFRE2y, KFRE5y *float64 // probabilities (0.05 is 5%)
	LastSeen       string   // YYYY-MM-DD of the latest item taken
	LastFlare      *time.Time
	Alerts         *Alerts
	Deceased       bool
}

// Stage is the KDIGO stage of a list row (kidney.stage of the report, in
// short): the G category with the suffix the list shows (KDIGO 2012 CKD
// guideline, 1.2: "T" after a kidney transplant, "D" on dialysis), a and
// risk null when unknown.
type Stage struct {
	G      string  `json:"g"`
	Suffix string  `json:"suffix,omitempty"`
	A      *string `json:"a"`
	Risk   *string `json:"risk"` // low, moderate, high, very high
}

// StageOf is s in short; nil without a G category.
func StageOf(s assess.Stage) *Stage {
	if s.G == nil {
		return nil
	}
	st := &Stage{G: s.G.String(), Suffix: s.Suffix}
	if s.A != nil {
		v := s.A.String()
		st.A = &v
	}
	if s.Risk != nil {
		v := s.Risk.String()
		st.Risk = &v
	}
	return st
}

// Alerts counts a patient's alerts by severity; Codes lists them as the
// assessment gives them (critical first).
type Alerts struct {
	Critical int      `json:"critical"`
	Warning  int      `json:"warning"`
	Info     int      `json:"info"`
	Codes    []string `json:"codes"`
}

// CountAlerts counts als by severity, listing their codes in their order.
func CountAlerts(als []assess.Alert) Alerts {
	a := Alerts{Codes: []string{}}
	for _, al := range als {
		switch al.Severity {
		case assess.Critical:
			a.Critical++
		case assess.Warning:
			a.Warning++
		default:
			a.Info++
		}
		a.Codes = append(a.Codes, al.Code)
	}
	return a
}

// value is one sortable, filterable column of a row: a number, or ok
// false when the patient has no value.
type value func(f *Facts) (v float64, ok bool)

func stageRank(f *Facts) (float64, bool) {
	if f.Stage == nil {
		return 0, false
	}
	i := slices.Index(StageOrder, f.Stage.G)
	return float64(i), i >= 0
}

func riskRank(f *Facts) (float64, bool) {
	if f.Stage == nil || f.Stage.Risk == nil {
		return 0, false
	}
	i := slices.Index(RiskOrder, *f.Stage.Risk)
	return float64(i), i >= 0
}

func egfrValue(f *Facts) (float64, bool) { return deref(f.EGFR) }
func kfre5y(f *Facts) (float64, bool)    { return deref(f.KFRE5y) }
func kfre2y(f *Facts) (float64, bool)    { return deref(f.KFRE2y) }

func deref(p *float64) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return *p, true
}

func lastSeenValue(f *Facts) (float64, bool) {
	if f.LastSeen == "" {
		return 0, false
	}
	t, err := time.Parse(time.DateOnly, f.LastSeen)
	return float64(t.Unix()), err == nil
}

// alertWeight orders rows by their alerts: critical, then warning, then
// info counts; every row has one.
func alertWeight(f *Facts) (float64, bool) {
	if f.Alerts == nil {
		return 0, true
	}
	return float64(f.Alerts.Critical*10000 + f.Alerts.Warning*100 + f.Alerts.Info), true
}

func lastFlareValue(f *Facts) (float64, bool) {
	if f.LastFlare == nil {
		return 0, false
	}
	return float64(f.LastFlare.Unix()), true
}

func hasAlert(code string) func(f *Facts) bool {
	return func(f *Facts) bool { return f.Alerts != nil && slices.Contains(f.Alerts.Codes, code) }
}
