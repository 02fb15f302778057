package assess

import (
	"time"

	"renalwatch/ckd"
	"renalwatch/kfre"
	"renalwatch/lupus"
	"renalwatch/units"
)

// Assessment is one patient's record read at one time. Its JSON form is the
// `report --json` contract (docs/report.md documents every field). A value
// that could not be computed is null and the reason is in Missing.
type Assessment struct {
	Patient PatientInfo `json:"patient"`
	AsOf    time.Time   `json:"as_of"`
	// EffectiveDate is the time the record is judged at: as_of, or the
	// date of death when the patient died before as_of (nothing is judged
	// after death).
	EffectiveDate time.Time `json:"effective_date"`
	Config        Config    `json:"config"`
	Kidney        Kidney    `json:"kidney"`
	Lupus         Lupus     `json:"lupus"`
	Alerts        []Alert   `json:"alerts"`
	Therapies     []Therapy `json:"therapies"`
	Missing       []Missing `json:"missing"`
	// LatestLabs is the latest value of each laboratory test and vital
	// sign the report tabulates, with the one before it (labs.go).
	LatestLabs []LatestLab `json:"latest_labs"`
	// NotUsed lists stored records left out of the assessment (retracted
	// by their source); absent when there is none (notused.go).
	NotUsed []NotUsed `json:"not_used,omitempty"`
}

// PatientInfo identifies the patient and the demographics the equations use.
type PatientInfo struct {
	ID        string     `json:"id"`
	Sex       string     `json:"sex"` // administrative sex as recorded; the equations need it
	BirthDate *time.Time `json:"birth_date"`
	AgeYears  *int       `json:"age_years"` // whole years at effective_date (as_of, or the date of death)
	// BirthPrecision is "month" or "year" when the source gave a partial
	// birth date; empty for a full date.
	BirthPrecision string     `json:"birth_precision,omitempty"`
	Deceased       bool       `json:"deceased"`
	DeceasedDate   *time.Time `json:"deceased_date,omitempty"`
	// AgeAtDeath is the age in whole years on the date of death, when
	// both dates are known.
	AgeAtDeath *int `json:"age_at_death,omitempty"`
	// Comorbidities lists the established diagnoses that change numbers
	// (diabetes, hypertension, diabetic kidney disease) found with onset
	// at or before effective_date; empty when none was found.
	Comorbidities []Comorbidity `json:"comorbidities"`
	// Updates lists the later imports that replaced the patient's details
	// (PatientUpdate), oldest first; absent when none did.
	Updates []PatientUpdate `json:"updates,omitempty"`
}

// Comorbidity is a recorded diagnosis that an equation takes as an input
// (the Sumida PCR-to-ACR conversion's diabetes and hypertension terms).
type Comorbidity struct {
	Kind    string     `json:"kind"`    // diabetes, hypertension or diabetic_kidney_disease
	Code    string     `json:"code"`    // system|code as the source gave it
	Display string     `json:"display"` // the source's display text
	Onset   *time.Time `json:"onset"`   // null when the source gives none
}

// Kidney is the kidney-function half of the assessment.
type Kidney struct {
	EGFR        *EGFR         `json:"egfr"`
	Series      EGFRSeries    `json:"egfr_series"`
	Stage       Stage         `json:"stage"`
	Slope       *Slope        `json:"slope"`
	Progression []Progression `json:"progression"`
	KFRE        *KFRE         `json:"kfre"`
	Replacement []Replacement `json:"replacement"`
}

// EGFR is the eGFR of the assessment: the latest computed eGFR at or
// before as_of, or, on a day no creatinine gave one, the latest eGFR a
// laboratory reported (Equation "reported"). Stage, KFRE and alerts all use
// this value.
type EGFR struct {
	Value    float64    `json:"value"` // mL/min/1.73 m2, unrounded
	Unit     units.Unit `json:"unit"`
	Equation string     `json:"equation"` // an egfr equation name, or "reported"
	Date     time.Time  `json:"date"`
	Source   string     `json:"source"`
	// Markers names the laboratory markers behind a computed Value
	// (as egfr_series[].markers); empty for a reported value.
	Markers []string `json:"markers,omitempty"`
	// Reported describes a laboratory-reported eGFR: its code and the
	// equation the code names.
	Reported *ReportedEGFR `json:"reported,omitempty"`
	Warnings []string      `json:"warnings,omitempty"`
}

// ReportedEGFR is an eGFR as a laboratory reported it. RenalWatch did not
// compute it and cannot check it.
type ReportedEGFR struct {
	ObservationID string `json:"observation_id"`
	System        string `json:"system"`  // code system, e.g. http://loinc.org
	Code          string `json:"code"`    // e.g. 33914-3
	Display       string `json:"display"` // the source's display text
	// LabEquation is the equation the code names ("MDRD", "CKD-EPI 2021
	// creatinine", ...), empty when the code names none.
	LabEquation string `json:"lab_equation"`
	// RaceSpecific is true for the legacy codes that report an eGFR for
	// one race group (among blacks / non-blacks).
	RaceSpecific bool `json:"race_specific"`
	// ResourceType is what the value was read from: "Observation" (FHIR)
	// or "csv" (a row of a CSV import, which carries no code).
	ResourceType string `json:"resource_type"`
}

// Origin names where a laboratory eGFR came from, for human text: "LOINC
// 33914-3", or the source when it gave no code ("a CSV row, no LOINC
// code"), never an empty code (trial 3 #10).
func (r ReportedEGFR) Origin() string { return labEGFROrigin(r.System, r.Code, r.ResourceType) }

// EGFRPoint is the eGFR of one creatinine sample; Value is null when it
// could not be computed, with the reason in Reason.
type EGFRPoint struct {
	Date       time.Time       `json:"date"`
	Value      *float64        `json:"value"` // mL/min/1.73 m2, unrounded
	Equation   string          `json:"equation,omitempty"`
	Creatinine units.Quantity  `json:"creatinine"`
	Comparator string          `json:"comparator,omitempty"`
	CystatinC  *units.Quantity `json:"cystatin_c,omitempty"`
	// CystatinObservationID is the id of the cystatin C used in Value, so
	// a writer can reference it (derivedFrom).
	CystatinObservationID string `json:"cystatin_observation_id,omitempty"`
	// Markers names the laboratory markers Value was computed from:
	// ["creatinine"], ["creatinine","cystatin_c"], or ["cystatin_c"] (the
	// CKiD U25 cystatin fallback; the creatinine is then not in Value).
	Markers       []string        `json:"markers,omitempty"`
	Height        *units.Quantity `json:"height,omitempty"`
	AgeYears      float64         `json:"age_years"`
	ObservationID string          `json:"observation_id"`
	Reason        string          `json:"reason,omitempty"`
	Notes         []string        `json:"notes,omitempty"`
	Warnings      []string        `json:"warnings,omitempty"`
}

// Stage is the KDIGO G and A category, the heat-map risk and whether the
// abnormality has persisted for more than 90 days.
type Stage struct {
	G       *ckd.G          `json:"g"`
	Suffix  string          `json:"suffix,omitempty"` // "D" on dialysis, "T" after a kidney transplant (KDIGO)
	A       *ckd.A          `json:"a"`
	ASource string          `json:"a_source,omitempty"` // "acr" or "pcr"
	AValue  *units.Quantity `json:"a_value,omitempty"`  // in the unit of report
	// AComparator is the comparator of a ratio reported only as a bound
	// that lies inside one category ("<" for "<3 mg/mmol", A1); empty for
	// a measurement.
	AComparator string     `json:"a_comparator,omitempty"`
	ADate       *time.Time `json:"a_date,omitempty"`
	Risk        *ckd.Risk  `json:"risk"`
	// GNotApplicable says why an eGFR has no G category: the child was
	// under 2 years at the sample (ckd.GCategoryMinAge, KDIGO 2024); then
	// g and risk are null and no CKD stage is given. Empty otherwise.
	GNotApplicable string `json:"g_not_applicable,omitempty"`
	// ANote is the caveat of the A category when the child was under 2
	// years at its ratio (or may have been: a partial birth date): the A
	// thresholds are adult values, and normal urine protein is higher in
	// infancy (ckd.ACategoryUnder2). Empty otherwise.
	ANote string `json:"a_note,omitempty"`
	// EGFREquation is the equation of the eGFR behind G (kidney.egfr):
	// an egfr equation name or "reported".
	EGFREquation string `json:"egfr_equation,omitempty"`
	// GSince is the first eGFR of the trailing run of results in the
	// present G category (the present kidney, not on dialysis): how long
	// the category itself has lasted, which persistence does not say
	// (trial-cli #4).
	GSince *time.Time `json:"g_since,omitempty"`
	// AAbnormalValues counts the trailing run of A2-A3 results that ends
	// at the latest ratio (1: a single value); 0 when the latest is A1.
	AAbnormalValues int `json:"a_abnormal_values,omitempty"`
	// Warnings: the stage assumes steady-state creatinine (trial-cli #4).
	Warnings    []string `json:"warnings,omitempty"`
	Persistent  bool     `json:"persistent"`
	Persistence struct {
		EGFR        ckd.Persistence `json:"egfr"`
		Albuminuria ckd.Persistence `json:"albuminuria"`
	} `json:"persistence"`
	Source string `json:"source"`
}

// Slope is the least-squares eGFR trend.
type Slope struct {
	PerYear float64 `json:"per_year"` // mL/min/1.73 m2 per year, unrounded
	// CI95 is the 95% confidence interval of PerYear; null when the
	// values lie on a straight line (ckd.MinResidualSD), then CINote says
	// why.
	CI95     *[2]float64 `json:"ci95"`
	CINote   string      `json:"ci_note,omitempty"`
	Points   int         `json:"points"`
	Days     float64     `json:"days"`
	From     time.Time   `json:"from"`
	To       time.Time   `json:"to"`
	Equation string      `json:"equation"`
	Method   string      `json:"method"`
}

// Progression is one named progression rule applied to the eGFR series.
type Progression struct {
	Rule ckd.ProgressionRule `json:"rule"`
	Met  bool                `json:"met"`
	// Possible is set on kdigo-2012-rapid when the slope's point estimate
	// is a decline faster than 5 a year but its 95% CI reaches −5 or above:
	// not shown to be sustained, so Met is false and no alert is raised.
	Possible bool   `json:"possible,omitempty"`
	Detail   string `json:"detail"`
	Source   string `json:"source"`
}

// KFRE is a Kidney Failure Risk Equation result.
type KFRE struct {
	Variables int            `json:"variables"`
	Region    kfre.Region    `json:"region"`
	Risk2y    float64        `json:"risk_2y"` // probability, unrounded
	Risk5y    float64        `json:"risk_5y"`
	ACRSource string         `json:"acr_source"` // "measured" or "estimated"
	ACR       units.Quantity `json:"acr"`        // mg/g, as entered into the equation
	ACRNote   string         `json:"acr_note,omitempty"`
	// ACRNoteQuotes are the quantities ACRNote quotes (RenderQuotes); not
	// in JSON.
	ACRNoteQuotes []Quote `json:"-"`
	// EGFREquation and EGFRDate name the eGFR entered: the assessment's
	// eGFR (kidney.egfr), with cystatin C when the report shows it.
	EGFREquation string      `json:"egfr_equation"`
	EGFRDate     time.Time   `json:"egfr_date"`
	Inputs       kfre.Inputs `json:"inputs"`
	Warnings     []string    `json:"warnings"`
	Source       string      `json:"source"`
}

// Replacement is a period of kidney replacement therapy: dialysis
// sessions no more than 14 days apart merged into one period, or a kidney
// transplant.
type Replacement struct {
	Kind   string     `json:"kind"`
	Start  time.Time  `json:"start"`
	End    *time.Time `json:"end"`    // null: ongoing at as_of, or a transplant
	Events int        `json:"events"` // events merged (dialysis sessions)
}

// Lupus is the lupus and lupus nephritis half of the assessment.
type Lupus struct {
	// Applicable is true when the record shows lupus: an SLE or lupus
	// nephritis diagnosis, a biopsy, or SLEDAI-2K findings. Otherwise the
	// lupus rules are not applied (a UPCR rise in diabetic kidney disease is
	// not a lupus flare).
	Applicable bool         `json:"applicable"`
	SLEDAI     *SLEDAI      `json:"sledai"`
	Biopsy     *Biopsy      `json:"biopsy"`
	Response   *Response    `json:"response"`
	Flares     []FlareEvent `json:"flares"`
	// Serology is the C3, C4 and anti-dsDNA results of the 12 months
	// before effective_date; null when the lupus rules do not apply.
	Serology []SerologyTrend `json:"serology"`
}

// SLEDAI is the latest SLEDAI-2K.
type SLEDAI struct {
	Score      int                `json:"score"`
	RenalScore *int               `json:"renal_score"`
	Date       time.Time          `json:"date"`
	Basis      string             `json:"basis"` // "descriptors" or "reported score"
	WindowDays int                `json:"window_days"`
	Recorded   int                `json:"recorded"` // descriptors recorded present or absent (of 24); 0 for a reported score
	Items      []lupus.ScoredItem `json:"items"`
	Source     string             `json:"source"`
}

// Biopsy is the latest kidney biopsy.
type Biopsy struct {
	Class           string    `json:"class"`
	ClassName       string    `json:"class_name"`
	Rules           string    `json:"rules"`
	ActivityIndex   *int      `json:"activity_index"`
	ChronicityIndex *int      `json:"chronicity_index"`
	IndexBasis      string    `json:"index_basis"` // "items" or "reported totals"
	NotAssessed     []string  `json:"not_assessed"`
	Date            time.Time `json:"date"`
	Note            string    `json:"note"`
}

// Response is the renal response to the latest induction therapy.
type Response struct {
	Rule       lupus.ResponseRule `json:"rule"`
	Response   *string            `json:"response"` // the best category reached (see Best), the rule's negative one when none was, "too early", or null
	Since      time.Time          `json:"since"`    // start of the induction episode
	Months     float64            `json:"months"`   // from since to as_of, unrounded
	Therapies  []string           `json:"therapies"`
	AssessedAt *time.Time         `json:"assessed_at"` // date of the UPCR behind Response: the latest that showed it
	// AssessedMonths is the timepoint of the judgement: months (30.4375
	// days) from Since to AssessedAt, unrounded; the text's "at 7.8
	// months" and the rule's window warning. Months runs to as_of (trial
	// 3 #9). Omitted when AssessedAt is null.
	AssessedMonths *float64                `json:"assessed_months,omitempty"`
	BaselineUPCR   *units.Quantity         `json:"baseline_upcr"`
	UPCR           *units.Quantity         `json:"upcr"`
	BaselineEGFR   *float64                `json:"baseline_egfr"`
	EGFR           *float64                `json:"egfr"`
	Provisional    bool                    `json:"provisional"`
	Criteria       []lupus.CriterionResult `json:"criteria"`
	Warnings       []string                `json:"warnings"`
	Source         string                  `json:"source,omitempty"`
	// Concurrent lists the other therapy courses running between since
	// and the UPCR judged: the response belongs to the whole regimen.
	Concurrent []Concurrent `json:"concurrent"`
	// AddedTo names the guideline-recommended or approved therapies that
	// were running when every agent of the episode (glucocorticoids aside)
	// was investigational or unproven: the episode is that agent added to
	// this regimen, and the response belongs to the regimen (issue 7 item
	// 16). Empty otherwise.
	AddedTo []string `json:"added_to,omitempty"`

	// Best is the best response reached from 6 months after Since to the
	// time judged, dated by the first UPCR that reached it; null when none
	// was reached (then Response is the rule's negative category).
	Best *ResponseReached `json:"best"`
	// Current is the state at the latest UPCR judged: the rule's category
	// there, or "flare" after a flare that followed the best response.
	Current *ResponseState `json:"current"`
}

// FlareEvent is one renal flare found by the configured rule. Consecutive
// visits that each meet the rule are one event: Date is the first, LastDate
// the last, Severity the worst.
type FlareEvent struct {
	Date         time.Time               `json:"date"`
	LastDate     time.Time               `json:"last_date"`
	Visits       int                     `json:"visits"`
	Rule         lupus.FlareRule         `json:"rule"`
	Severity     *string                 `json:"severity"`
	Type         *string                 `json:"type"`
	Provisional  bool                    `json:"provisional"`
	BaselineUPCR units.Quantity          `json:"baseline_upcr"`
	UPCR         units.Quantity          `json:"upcr"`
	Criteria     []lupus.CriterionResult `json:"criteria"`
	Source       string                  `json:"source"`

	last int // index of the latest visit's UPCR in assessor.upcrs()
}

// Severity of an alert.
type Severity string

// Alert severities.
const (
	Info     Severity = "info"
	Warning  Severity = "warning"
	Critical Severity = "critical"
)

// Alert is something that needs attention now. Code is stable; Source names
// the guideline and table or practice point behind it.
type Alert struct {
	Code     string     `json:"code"`
	Severity Severity   `json:"severity"`
	Message  string     `json:"message"`
	Source   string     `json:"source"`
	Date     *time.Time `json:"date,omitempty"` // the result that raised it
	// Quotes are the measured values and thresholds Message quotes, for
	// showing it in another unit system (MessageIn); not in JSON.
	Quotes []Quote `json:"-"`
	// Due is set on an alert raised by the absence or the age of a
	// result (monitoring-overdue), saying which result it waits for; nil
	// on every other alert. Not in JSON.
	Due *Due `json:"-"`
}

// Due is what an alert raised by the absence or the age of a result
// waits for. A reader that left a newer result of one of Analytes out
// of the record (a CDS Hooks resource the fhir reader rejected, never
// seen by the assessment) uses it to say so rather than present the test
// as not done.
type Due struct {
	What     string          // the test as the message names it: "creatinine (or laboratory eGFR)"
	Analytes []units.Analyte // a result of any of them answers the alert
	Last     time.Time       // the latest result used; zero when the record has none
	// Interval is the message's tail: "due every 91 days (KDIGO G4A3: 4
	// times a year; overdue at G4-G5 is a warning)".
	Interval string
}

// Therapy is one course of a therapy (the records of one drug that follow
// each other, see docs/report.md) with what followed it. ID is the id of
// its first record.
type Therapy struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	Class          string     `json:"class"`
	Evidence       Evidence   `json:"evidence"`
	EvidenceSource string     `json:"evidence_source"`
	EvidenceNote   string     `json:"evidence_note"`
	Start          time.Time  `json:"start"`
	End            *time.Time `json:"end"`
	// EndBasis says where End comes from: "recorded", or "death" for a
	// course still open when the patient died; empty when End is null.
	EndBasis string `json:"end_basis,omitempty"`
	// Open is true when End is null and no later record of the drug
	// follows after a gap: ongoing at as_of, or its end not recorded.
	// A course with End null and Open false stopped some time after
	// LastRecord (a later course of the same drug starts after a gap).
	Open bool `json:"open"`
	// Records is the number of records (prescriptions, refills,
	// infusions) the course joins; RecordIDs are their ids, by start.
	Records   int      `json:"records"`
	RecordIDs []string `json:"record_ids"`
	// LastRecord is the start of the course's latest record.
	LastRecord time.Time `json:"last_record"`
	// Indication is "graft immunosuppression" for mycophenolate, a
	// calcineurin inhibitor or azathioprine started from a week before a
	// kidney transplant on; empty otherwise.
	Indication string `json:"indication,omitempty"`
	// Dose is the dose of the course's latest record as the source wrote
	// it ("1 g twice daily"), informative only and never computed with;
	// DoseChanged is true when the course's records give different doses
	// (a taper). Both are empty when no record gives a dose.
	Dose        string `json:"dose,omitempty"`
	DoseChanged bool   `json:"dose_changed,omitempty"`
	Effect      Effect `json:"effect"`
}

// Concurrent is another therapy course running during a before/after
// window or a response.
type Concurrent struct {
	ID       string     `json:"id"` // id of the course (its first record)
	Name     string     `json:"name"`
	Class    string     `json:"class"`
	Evidence Evidence   `json:"evidence"`
	Start    time.Time  `json:"start"`
	End      *time.Time `json:"end"` // null: ongoing or end not recorded
}

// Effect is the uncontrolled before/after comparison around one therapy
// episode. Caveat is always present.
type Effect struct {
	EGFRSlopeBefore *Slope      `json:"egfr_slope_before"`
	EGFRSlopeAfter  *Slope      `json:"egfr_slope_after"`
	UPCRChange6m    *UPCRChange `json:"upcr_change_6m"`
	UPCRChange12m   *UPCRChange `json:"upcr_change_12m"`
	Response        *Response   `json:"response"`
	// Concurrent lists the other courses running in the 12 months after
	// the start (to as_of when sooner).
	Concurrent []Concurrent `json:"concurrent"`
	Caveat     string       `json:"caveat"`
	// Note names what the record shows that makes this comparison read
	// as an effect when it may be none (beforeafter.go): a renal flare in
	// the 12 months before the start, a last eGFR before the start taken
	// during an acute fall, or a kidney transplant in the 12 months after
	// (the slope after is the graft's). Absent when none is seen, or when
	// the comparison has no value at all.
	Note string `json:"note,omitempty"`
}

// UPCRChange is the relative change of UPCR from the baseline at a
// therapy's start to a follow-up value: (follow-up − baseline) / baseline,
// a unitless ratio (−0.5 is a 50% fall), computed on the canonical mg/g
// values, so it does not depend on the unit of report.
type UPCRChange struct {
	Ratio        float64        `json:"ratio"` // (value - baseline) / baseline, unrounded
	Baseline     units.Quantity `json:"baseline"`
	BaselineDate time.Time      `json:"baseline_date"`
	Value        units.Quantity `json:"value"`
	Date         time.Time      `json:"date"`
}

// Missing is something the assessment needed and did not have; Path is
// the JSON path of the value left null or incomplete.
type Missing struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}
