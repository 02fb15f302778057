package server

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/worklist"
	"renalwatch/record"
	"renalwatch/store"
)

// Row is one patient in GET /api/patients and on the list page: the
// assessment's headline as of the list's date (default configuration, the
// same assessment as "renalwatch report").
type Row struct {
	ID             string  `json:"id"`
	BirthDate      *string `json:"birth_date"`      // YYYY-MM-DD, null when unknown
	BirthPrecision string  `json:"birth_precision"` // day, month or year
	Sex            string  `json:"sex"`
	Deceased       bool    `json:"deceased"`
	// EGFR is the latest eGFR (mL/min/1.73 m2), null when none.
	EGFR *RowEGFR `json:"egfr"`
	// Stage is the KDIGO stage; null without a G category.
	Stage *RowStage `json:"stage"`
	// KFRE is the Kidney Failure Risk Equation result, null when it does
	// not apply or lacks inputs (as in the report).
	KFRE *RowKFRE `json:"kfre"`
	// Flares counts renal flare events found by the configured rule;
	// LastFlare is the date of the latest one's last visit.
	Flares    int        `json:"flares"`
	LastFlare *string    `json:"last_flare"`
	Alerts    RowAlerts  `json:"alerts"`
	Overdue   bool       `json:"overdue"` // a monitoring-overdue alert is raised
	Therapies int        `json:"therapies"`
	asOf      time.Time  // the list's date, for links
	lastFlare *time.Time // for sorting
	// notBorn: as_of is before the birth date (as "renalwatch patients"
	// marks not_born_by_as_of): the list leaves the patient out.
	notBorn bool
}

// RowEGFR is the latest eGFR of a patient.
type RowEGFR struct {
	Value    float64 `json:"value"` // mL/min/1.73 m2
	Unit     string  `json:"unit"`
	Equation string  `json:"equation"`
	Date     string  `json:"date"`
}

// RowStage is kidney.stage in short, as the patients command shows it.
type RowStage = worklist.Stage

// RowKFRE is the KFRE risk as fractions (0.2 is 20%).
type RowKFRE struct {
	Variables int     `json:"variables"`
	Risk2y    float64 `json:"risk_2y"`
	Risk5y    float64 `json:"risk_5y"`
}

// RowAlerts counts a patient's alerts by severity, as the patients
// command does.
type RowAlerts = worklist.Alerts

// rowOf is the row of a patient whose record tl was assessed as of asOf
// (a).
func rowOf(tl *record.Timeline, asOf time.Time, a assess.Assessment) Row {
	p := tl.Patient
	r := Row{ID: p.ID, Sex: p.Sex.String(), BirthPrecision: p.BirthPrecision.String(), Deceased: p.Deceased,
		Alerts: worklist.CountAlerts(a.Alerts), Therapies: len(a.Therapies), asOf: asOf}
	if !p.BirthDate.IsZero() {
		d := p.BirthDate.Format(time.DateOnly)
		r.BirthDate = &d
		r.notBorn = asOf.Before(p.BirthDate)
	}
	if e := a.Kidney.EGFR; e != nil {
		r.EGFR = &RowEGFR{Value: e.Value, Unit: string(e.Unit), Equation: e.Equation, Date: e.Date.Format(time.DateOnly)}
	}
	r.Stage = worklist.StageOf(a.Kidney.Stage)
	if k := a.Kidney.KFRE; k != nil {
		r.KFRE = &RowKFRE{Variables: k.Variables, Risk2y: k.Risk2y, Risk5y: k.Risk5y}
	}
	r.Flares = len(a.Lupus.Flares)
	for _, f := range a.Lupus.Flares {
		if r.lastFlare == nil || f.LastDate.After(*r.lastFlare) {
			t := f.LastDate
			r.lastFlare = &t
		}
	}
	if r.lastFlare != nil {
		d := r.lastFlare.Format(time.DateOnly)
		r.LastFlare = &d
	}
	r.Overdue = slices.Contains(r.Alerts.Codes, assess.AlertMonitoringOverdue)
	return r
}

// facts describes a row to internal/worklist, whose filters and sort keys
// the list shares with the patients command.
func (r *Row) facts() worklist.Facts {
	f := worklist.Facts{ID: r.ID, Stage: r.Stage, Alerts: &r.Alerts, Deceased: r.Deceased, LastFlare: r.lastFlare}
	if r.EGFR != nil {
		f.EGFR = &r.EGFR.Value
	}
	if r.KFRE != nil {
		f.KFRE2y, f.KFRE5y = &r.KFRE.Risk2y, &r.KFRE.Risk5y
	}
	return f
}

// rows assesses every stored patient as of asOf, concurrently.
func rows(ctx context.Context, db store.Store, asOf time.Time) ([]Row, error) {
	ps, err := db.Patients(ctx)
	if err != nil {
		return nil, err
	}
	return worklist.Rows(ps, func(p store.PatientSummary) (Row, error) {
		tl, err := db.Timeline(ctx, p.Patient.ID)
		if err != nil {
			return Row{}, err
		}
		return rowOf(tl, asOf, assess.Assess(tl, asOf, assess.DefaultConfig())), nil
	})
}

// ListQuery is the filter, sort and page of the patient list; the API
// and the page take the same query parameters.
type ListQuery struct {
	AsOf    time.Time // end of the day the list describes
	Day     string    // that day, YYYY-MM-DD
	Given   string    // as_of as given in the request ("" for today)
	Q       string    // id contains (case-insensitive)
	Stage   string    // G1 G2 G3a G3b G4 G5 (the category, with or without D/T)
	Risk    string    // low, moderate, high, very high
	KFREMin *float64  // 5-year KFRE risk at least this fraction
	Flare   bool      // at least one renal flare
	Alerts  string    // any, critical, warning (at least one of that severity)
	Overdue bool      // monitoring overdue
	Sort    string    // id, egfr, stage, risk, kfre, alerts, flare
	Desc    bool
	Page    int // from 1
	PerPage int
	// conds are Stage, Risk, KFREMin and Overdue in the filter grammar
	// of internal/worklist (stage=G4, risk=high, kfre5y>=0.05, overdue).
	conds []worklist.Condition
}

var (
	stages    = worklist.StageOrder
	risks     = worklist.RiskOrder
	sortKeys  = []string{"id", "egfr", "stage", "risk", "kfre", "alerts", "flare"}
	alertKeys = []string{"any", "critical", "warning"}
)

// worklistSortKey is the internal/worklist key of each sort parameter:
// the list's stage sorts by the G category alone.
var worklistSortKey = map[string]string{"id": "id", "egfr": "egfr", "stage": "g", "risk": "risk", "kfre": "kfre", "alerts": "alerts", "flare": "flare"}

// listParams are the query parameters of the list (page and API, as
// openapi.json lists them); any other is refused by name, so a misspelt
// filter (stag=G4) does not silently show every patient.
var listParams = []string{"as_of", "q", "stage", "risk", "kfre_min", "flare", "alerts", "overdue", "sort", "desc", "page", "per_page"}

// parseListQuery reads the list parameters; a bad one is an *Error naming it.
func parseListQuery(v url.Values, now time.Time) (ListQuery, error) {
	q := ListQuery{Page: 1, PerPage: 50, Sort: "id"}
	for _, k := range slices.Sorted(maps.Keys(v)) {
		if !slices.Contains(listParams, k) {
			return q, Errorf(KindBadRequest, k, "unknown parameter %q; the list takes %s", k, strings.Join(listParams, ", "))
		}
	}
	day := now.UTC().Truncate(24 * time.Hour)
	if s := v.Get("as_of"); s != "" {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return q, Errorf(KindBadRequest, "as_of", "as_of %q is not a date; write YYYY-MM-DD", s)
		}
		day, q.Given = d, s
	}
	q.Day, q.AsOf = day.Format(time.DateOnly), day.Add(24*time.Hour-time.Nanosecond)
	q.Q = strings.TrimSpace(v.Get("q"))
	oneOf := func(field string, allowed []string, dst *string) error {
		s := v.Get(field)
		if s == "" {
			return nil
		}
		for _, a := range allowed {
			if strings.EqualFold(s, a) {
				*dst = a
				return nil
			}
		}
		return Errorf(KindBadRequest, field, "%s %q is not one of %s", field, s, strings.Join(allowed, ", "))
	}
	if err := cmp.Or(oneOf("stage", stages, &q.Stage), oneOf("risk", risks, &q.Risk), oneOf("alerts", alertKeys, &q.Alerts), oneOf("sort", sortKeys, &q.Sort)); err != nil {
		return q, err
	}
	boolean := func(field string, dst *bool) error {
		s := v.Get(field)
		if s == "" {
			return nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return Errorf(KindBadRequest, field, "%s %q: want true or false", field, s)
		}
		*dst = b
		return nil
	}
	if err := cmp.Or(boolean("flare", &q.Flare), boolean("overdue", &q.Overdue), boolean("desc", &q.Desc)); err != nil {
		return q, err
	}
	if s := v.Get("kfre_min"); s != "" {
		// A fraction (0.05) or, as the CLI's kfre5y>=5% filter, a
		// percentage (5%).
		pct, isPct := strings.CutSuffix(strings.TrimSpace(s), "%")
		f, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
		if isPct {
			f /= 100
		}
		if err != nil || math.IsNaN(f) || f < 0 || f > 1 {
			return q, Errorf(KindBadRequest, "kfre_min", "kfre_min %q: want a fraction from 0 to 1 or a percentage (0.05 or 5%% is 5%% at 5 years)", s)
		}
		q.KFREMin = &f
	}
	integer := func(field string, lo, hi int, dst *int) error {
		s := v.Get(field)
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return Errorf(KindBadRequest, field, "%s %q: want a whole number from %d to %d", field, s, lo, hi)
		}
		*dst = n
		return nil
	}
	if err := cmp.Or(integer("page", 1, 1_000_000, &q.Page), integer("per_page", 1, 500, &q.PerPage)); err != nil {
		return q, err
	}
	return q, q.parseConditions()
}

// parseConditions sets q.conds from the parameters parseListQuery has
// checked.
func (q *ListQuery) parseConditions() error {
	var exprs [][2]string // parameter, expression
	if q.Stage != "" {
		exprs = append(exprs, [2]string{"stage", "stage=" + q.Stage})
	}
	if q.Risk != "" {
		exprs = append(exprs, [2]string{"risk", "risk=" + q.Risk})
	}
	if q.KFREMin != nil {
		exprs = append(exprs, [2]string{"kfre_min", "kfre5y>=" + strconv.FormatFloat(*q.KFREMin, 'g', -1, 64)})
	}
	if q.Overdue {
		exprs = append(exprs, [2]string{"overdue", "overdue"})
	}
	for _, e := range exprs {
		c, err := worklist.Parse(e[1])
		if err != nil {
			return Errorf(KindBadRequest, e[0], "%s: %v", e[0], err)
		}
		q.conds = append(q.conds, c)
	}
	return nil
}

// filter keeps the rows q selects.
func (q ListQuery) filter(rs []Row) []Row {
	out := rs[:0:0]
	for _, r := range rs {
		switch {
		case q.Q != "" && !strings.Contains(strings.ToLower(r.ID), strings.ToLower(q.Q)):
		case q.Flare && r.Flares == 0:
		case q.Alerts == "any" && len(r.Alerts.Codes) == 0:
		case q.Alerts == "critical" && r.Alerts.Critical == 0:
		case q.Alerts == "warning" && r.Alerts.Warning == 0:
		default:
			out = append(out, r)
		}
	}
	return worklist.Filter(out, q.conds, (*Row).facts)
}

// sort orders rows by q.Sort; patients without the value come last in
// either direction, ties by id.
func (q ListQuery) sort(rs []Row) {
	worklist.Sort(rs, []worklist.SortKey{{Name: worklistSortKey[q.Sort], Desc: q.Desc}}, (*Row).facts)
}

// List is GET /api/patients.
type List struct {
	AsOf     string `json:"as_of"`
	Total    int    `json:"total"` // patients matching the filters
	Page     int    `json:"page"`
	PerPage  int    `json:"per_page"`
	Pages    int    `json:"pages"`
	Patients []Row  `json:"patients"`
	// NotBorn counts the stored patients left out because as_of is before
	// their birth date (trial-web #20): nothing can be assessed for them.
	NotBorn int    `json:"not_born"`
	Note    string `json:"note"`
	// AssessedAt is when the rows were assessed: the list reuses them for
	// up to 15 seconds.
	AssessedAt time.Time `json:"assessed_at"`
}

const listNote = "Each patient is assessed as the record stood at the end of as_of (UTC) with the default configuration, the assessment of GET /api/patients/{id}/assessment; a patient born after as_of is left out (counted in not_born). KFRE risks are fractions (0.2 is 20%). The list reuses its assessments for up to 15 seconds (an import through this server renews them); the per-patient routes are always current."

// list builds one page of the list.
func (s *Server) list(ctx context.Context, q ListQuery) (List, error) {
	var version int64
	if cc, ok := s.cfg.Store.(store.ChangeCounter); ok {
		v, err := cc.Changes(ctx)
		if err != nil {
			return List{}, err
		}
		version = v
	}
	all, at, err := s.rowCache.getAt(ctx, s.cfg.Now, q.AsOf, version, func(ctx context.Context) ([]Row, error) { return rows(ctx, s.cfg.Store, q.AsOf) })
	if err != nil {
		return List{}, err
	}
	born := make([]Row, 0, len(all))
	notBorn := 0
	for _, r := range all {
		if r.notBorn {
			notBorn++
			continue
		}
		born = append(born, r)
	}
	sel := q.filter(born)
	q.sort(sel)
	l := List{AsOf: q.Day, Total: len(sel), Page: q.Page, PerPage: q.PerPage, Patients: []Row{}, NotBorn: notBorn, Note: listNote, AssessedAt: at.UTC()}
	l.Pages = (len(sel) + q.PerPage - 1) / q.PerPage
	if from := (q.Page - 1) * q.PerPage; from < len(sel) {
		l.Patients = sel[from:min(from+q.PerPage, len(sel))]
	}
	return l, nil
}

// encode writes q back as query parameters, with page replaced; used by
// the page's links.
func (q ListQuery) encode(page int, sort string, desc bool) string {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("as_of", q.Given)
	set("q", q.Q)
	set("stage", q.Stage)
	set("risk", q.Risk)
	set("alerts", q.Alerts)
	if q.KFREMin != nil {
		v.Set("kfre_min", strconv.FormatFloat(*q.KFREMin, 'g', -1, 64))
	}
	if q.Flare {
		v.Set("flare", "true")
	}
	if q.Overdue {
		v.Set("overdue", "true")
	}
	if sort != "id" {
		v.Set("sort", sort)
	}
	if desc {
		v.Set("desc", "true")
	}
	if page > 1 {
		v.Set("page", fmt.Sprint(page))
	}
	if q.PerPage != 50 {
		v.Set("per_page", fmt.Sprint(q.PerPage))
	}
	return v.Encode()
}
