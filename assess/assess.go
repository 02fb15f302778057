package assess

import (
	"fmt"
	"slices"
	"time"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/kfre"
	"renalwatch/record"
	"renalwatch/units"
)

// Options configure an assessment. DefaultOptions gives the documented
// defaults.
type Options struct {
	// AdultEquation is used from 18 years; ChildEquation below. With a
	// cystatin C on the same day the creatinine-cystatin form of the family
	// is used (ckd-epi-2021-cys, ckid-u25-avg).
	AdultEquation string
	ChildEquation string
	// Region is the KFRE calibration.
	Region kfre.Region
	// SlopeWindow is how far back eGFR values enter the slope.
	SlopeWindow time.Duration
	// PotassiumHigh and PotassiumCritical (mmol/L, inclusive) raise the
	// hyperkalemia alert; they are a local protocol, not a KDIGO cut-off
	// (lupus.md §7.8).
	PotassiumHigh, PotassiumCritical float64
}

// DefaultOptions returns ckd-epi-2021 for adults, ckid-u25 below 18, the
// North American KFRE calibration, a 3-year slope window and potassium
// alerts at 5.5 and 6.0 mmol/L.
func DefaultOptions() Options {
	return Options{AdultEquation: "ckd-epi-2021", ChildEquation: "ckid-u25", Region: kfre.NorthAmerica,
		SlopeWindow: 3 * 365 * ckd.Day, PotassiumHigh: 5.5, PotassiumCritical: 6.0}
}

// Assessment is the state of one patient's kidneys and lupus at AsOf.
type Assessment struct {
	Patient   Patient   `json:"patient"`
	AsOf      time.Time `json:"as_of"`
	Kidney    Kidney    `json:"kidney"`
	Lupus     Lupus     `json:"lupus"`
	Alerts    []Alert   `json:"alerts"`
	Therapies []Therapy `json:"therapies"`
	// Missing lists, in words, what the assessment needed and did not have.
	Missing []string `json:"missing"`
}

// Patient identifies the patient and what the equations used about them.
type Patient struct {
	ID  string `json:"id"`
	Sex string `json:"sex"` // administrative sex as recorded; the equations use it
	Age *int   `json:"age"` // whole years at AsOf; nil when the birth date is unknown
}

// EGFR is one eGFR computed from a stored creatinine.
type EGFR struct {
	Value        float64   `json:"value"` // mL/min/1.73 m2, unrounded
	Equation     string    `json:"equation"`
	Date         time.Time `json:"date"`
	CreatinineID string    `json:"creatinine_id"`
	CystatinID   string    `json:"cystatin_id,omitempty"`
	Warnings     []string  `json:"warnings,omitempty"`
}

// Stage is the KDIGO category pair at AsOf.
type Stage struct {
	G    string  `json:"g"`
	A    *string `json:"a"`    // nil without an ACR or UPCR in the 12 months before AsOf
	Risk *string `json:"risk"` // heat-map risk; nil without A
	// ASource says what A came from: "acr" or "pcr" (KDIGO PCR equivalents).
	ASource    string `json:"a_source,omitempty"`
	Persistent bool   `json:"persistent"`
	Rule       string `json:"rule"`
}

// Slope is the least-squares eGFR trend.
type Slope struct {
	PerYear float64    `json:"per_year"`
	CI95    [2]float64 `json:"ci95"`
	Points  int        `json:"points"`
	Method  string     `json:"method"`
}

// KFRE is a Kidney Failure Risk Equation result.
type KFRE struct {
	Variables int     `json:"variables"`
	Risk2y    float64 `json:"risk_2y"`
	Risk5y    float64 `json:"risk_5y"`
	ACRSource string  `json:"acr_source"` // "measured" (an estimated ACR is not used yet)
	Source    string  `json:"source"`
}

// Kidney is the kidney part of the assessment.
type Kidney struct {
	EGFR   *EGFR  `json:"egfr"`   // the latest
	Series []EGFR `json:"series"` // every eGFR computed, oldest first
	Stage  *Stage `json:"stage"`
	Slope  *Slope `json:"slope"`
	KFRE   *KFRE  `json:"kfre"`
}

// Alert is something that needs attention, with a stable code.
type Alert struct {
	Code     string `json:"code"`
	Severity string `json:"severity"` // info, warning or critical
	Message  string `json:"message"`
	Source   string `json:"source"`
}

// Severities.
const (
	Info     = "info"
	Warning  = "warning"
	Critical = "critical"
)

// Therapy is a therapy episode as the record holds it. Evidence and Effect
// are not computed yet (nil), and Missing says so.
type Therapy struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Class    string     `json:"class"`
	Evidence *string    `json:"evidence"`
	Start    time.Time  `json:"start"`
	End      *time.Time `json:"end"`
	Effect   *struct{}  `json:"effect"`
}

// Assess assesses timeline tl as it stood at asOf.
func Assess(tl *record.Timeline, asOf time.Time, opt Options) *Assessment {
	tl = tl.AsOf(asOf)
	a := &Assessment{AsOf: asOf, Alerts: []Alert{}, Therapies: []Therapy{}, Missing: []string{}}
	a.Patient = Patient{ID: tl.Patient.ID, Sex: tl.Patient.Sex.String()}
	if age, ok := tl.Patient.AgeAt(asOf); ok {
		a.Patient.Age = &age
	} else {
		a.miss("birth date (age is needed for eGFR and KFRE)")
	}
	k := &kidney{a: a, tl: tl, asOf: asOf, opt: opt}
	k.egfrSeries()
	k.stage()
	k.slope()
	k.kfre()
	k.alerts()
	assessLupus(a, tl)
	for _, th := range tl.Therapies {
		t := Therapy{ID: th.ID, Name: th.Name, Class: th.Class.String(), Start: th.Start}
		if !th.End.IsZero() {
			end := th.End
			t.End = &end
		}
		a.Therapies = append(a.Therapies, t)
		if th.Class == record.MSCInfusion {
			a.alert("investigational-therapy", Warning,
				fmt.Sprintf("%s on %s: no randomized trial has shown mesenchymal stem cells improve eGFR or kidney outcomes in lupus nephritis, and no LN guideline recommends them",
					th.Name, th.Start.Format(time.DateOnly)),
				"docs/lupus.md §8 (KDIGO 2024, EULAR 2023, ACR 2024 LN regimens)")
		}
	}
	if len(a.Therapies) > 0 {
		a.miss("therapy evidence levels and before/after effects (not computed yet)")
	}
	slices.SortStableFunc(a.Alerts, func(x, y Alert) int { return severityRank(y.Severity) - severityRank(x.Severity) })
	return a
}

func severityRank(s string) int {
	switch s {
	case Critical:
		return 3
	case Warning:
		return 2
	}
	return 1
}

func (a *Assessment) miss(what string) {
	if !slices.Contains(a.Missing, what) {
		a.Missing = append(a.Missing, what)
	}
}

func (a *Assessment) alert(code, severity, msg, source string) {
	a.Alerts = append(a.Alerts, Alert{Code: code, Severity: severity, Message: msg, Source: source})
}

// egfrSex maps the recorded sex; unknown and other are not given.
func egfrSex(s record.Sex) egfr.Sex {
	switch s {
	case record.Female:
		return egfr.Female
	case record.Male:
		return egfr.Male
	}
	return egfr.SexNotGiven
}

// yearsBetween is the exact age in years (365.2425-day years) used by the
// equations.
func yearsBetween(birth, t time.Time) float64 {
	return t.Sub(birth).Hours() / 24 / 365.2425
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// within returns the latest measured (no comparator) observation of an
// analyte at or before asOf and no older than maxAge.
func within(tl *record.Timeline, an units.Analyte, asOf time.Time, maxAge time.Duration) (record.Observation, bool) {
	vals := tl.Window(an, asOf.Add(-maxAge), asOf.Add(time.Nanosecond))
	for i := len(vals) - 1; i >= 0; i-- {
		if vals[i].Comparator == record.Exact {
			return vals[i], true
		}
	}
	return record.Observation{}, false
}
