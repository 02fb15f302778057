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
	ID string
	// G is the GFR category ("" when the patient has none), Suffix the
	// KDIGO suffix shown after it ("T" transplant, "D" dialysis), A the
	// albuminuria category and Risk the heat-map risk ("" when unknown).
	G, Suffix, A, Risk string
	EGFR               *float64 // mL/min/1.73 m2
	KFRE2y, KFRE5y     *float64 // probabilities (0.05 is 5%)
	LastSeen           string   // YYYY-MM-DD of the latest item taken
	LastFlare          *time.Time
	Alerts             *Alerts
	Deceased           bool
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
	if f.G == "" {
		return 0, false
	}
	i := slices.Index(StageOrder, f.G)
	return float64(i), i >= 0
}

func riskRank(f *Facts) (float64, bool) {
	if f.G == "" || f.Risk == "" {
		return 0, false
	}
	i := slices.Index(RiskOrder, f.Risk)
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
