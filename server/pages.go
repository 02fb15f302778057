package server

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/asof"
	"renalwatch/internal/labtext"
	"renalwatch/internal/responsetext"
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// parsePages parses the embedded templates.
func parsePages() (*template.Template, error) {
	funcs := template.FuncMap{
		// Numbers follow the one rounding policy of human text
		// (internal/textfmt), as the text report does.
		"egfr":      func(v float64) string { return textfmt.EGFR(v, "") },
		"egfrUnit":  func(v float64) string { return textfmt.EGFR(v, units.MLPerMinBSA.Display()) },
		"derived":   textfmt.Derived,
		"keepDates": keepDates,
		"months":    textfmt.Months,
		// count writes "1 year", "2 years" (labtext.Count, the one plural).
		"count": func(n int, noun string) string { return labtext.Count(n, noun) },
		// responseWhen times a renal response as the report and the
		// alert do: to the UPCR judged, not to as-of.
		"responseWhen": responsetext.When,
		"classes":      textfmt.TherapyClasses,
		"biopsyRules":  biopsyRules,
		"slope":        textfmt.Slope,
		"pct":          textfmt.Percent,
		// threshold is a configured cut-off (5%), not a computed risk.
		"threshold": func(f float64) string { return textfmt.Derived(100*f) + "%" },
		// change is a ratio to baseline shown as a percentage change: a
		// whole percent (textfmt.Pct), as the text report's before/after.
		"ratioPct": textfmt.RatioPct,
		// trendSpan is an eGFR slope's values and span, as the report's
		// trend line ends (textfmt.Trend).
		"trendSpan": func(s assess.Slope) string { return textfmt.TrendSpan(s) },
		// slopeParts splits the trend line's slope at its interval, so
		// that the number and its unit do not wrap: ["-31.1
		// mL/min/1.73 m²/year", "(95% CI -325.1 to 263.0)"].
		"slopeParts": func(s assess.Slope) [2]string {
			v, ci, _ := strings.Cut(textfmt.Slope(s.PerYear, s.CI95, s.CINote), " (")
			return [2]string{v, "(" + ci}
		},
		// converted is a UPCR or ACR of the protein chart's table, in g/g
		// (both ratios read at 2 decimals g/g).
		"converted": func(gPerG float64) string { return textfmt.Converted(units.PCR, gPerG, units.GPerG) },
		// manyCourses: a drug with more courses is one row, as in the report.
		"manyCourses":  func() int { return textfmt.ManyCourses },
		"persistsNote": func() string { return textfmt.PersistsNote },
		// Names as the text report writes them; the JSON keeps codes.
		"equation":     textfmt.EquationTitle,
		"therapyClass": textfmt.TherapyClass,
		// alertCounts names only the severities present: "1 warning,
		// 2 info", or "none".
		"alertCounts": func(critical, warning, info int) string {
			var parts []string
			for _, c := range []struct {
				n    int
				name string
			}{{critical, "critical"}, {warning, "warning"}, {info, "info"}} {
				if c.n > 0 {
					parts = append(parts, strconv.Itoa(c.n)+" "+c.name)
				}
			}
			if len(parts) == 0 {
				return "none"
			}
			return strings.Join(parts, ", ")
		},
		"egfrU": units.MLPerMinBSA.Display,
		// effectGroups: the before/after table by therapy (trial #8).
		"effectGroups": effectGroups,
		"day":          func(t time.Time) string { return t.Format(date) },
		"dayp": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.Format(date)
		},
		"join": strings.Join,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
	return template.New("").Funcs(funcs).ParseFS(assets, "templates/*.html")
}

// page is what every page template receives.
type page struct {
	Title string
	Demo  bool
	Body  any
	// Warning is shown above the page's content: an as-of day in the
	// future, worded as the CLI's --as-of warning (internal/asof).
	Warning string
}

// futureAsOf is the page warning for an as-of day after today by the
// server clock, or "".
func (s *Server) futureAsOf(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	if msg := asof.FutureWarning(d, s.cfg.Now()); msg != "" {
		return "the as-of date " + msg + "."
	}
	return ""
}

// render executes the named template into a buffer first, so a template
// error becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Demo = s.cfg.Demo
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, p); err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// pageError shows an error as a page with the status statusOf maps it to.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, e := statusOf(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "internal error", "route", routeOf(r), "err", err.Error())
	}
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, "error.html", page{Title: "Error", Demo: s.cfg.Demo, Body: e}); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// listPage is the patient list page's data.
type listPage struct {
	Q      ListQuery
	List   List
	Stages []string
	Risks  []string
	Sorts  []sortLink
	Prev   string
	Next   string
	// KFRE is kfre_min read as a fraction; KFREChoices the thresholds offered
	// (fractions of 5-year risk).
	KFRE        string
	KFREChoices []float64
	// PastEnd links to the last page when the page asked for is past it.
	PastEnd string
}

type sortLink struct {
	Key, Label, Href string
	Active, Desc     bool
}

func (s *Server) pageList(w http.ResponseWriter, r *http.Request) {
	q, l, err := s.listed(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	lp := listPage{Q: q, List: l, Stages: stages, Risks: risks, KFREChoices: []float64{0.03, 0.05, 0.1, 0.2, 0.4}}
	if q.KFREMin != nil {
		lp.KFRE = strconv.FormatFloat(*q.KFREMin, 'g', -1, 64) // kfre_min=5% selects 0.05
	}
	for _, k := range [][2]string{{"id", "Patient"}, {"egfr", "eGFR"}, {"stage", "Stage"}, {"risk", "Risk"}, {"kfre", "KFRE 5-year"}, {"flare", "Last flare"}, {"alerts", "Alerts"}} {
		// The first click on a heading puts the patients who need attention
		// first: lowest eGFR; highest stage, risk, KFRE, latest flare, most
		// alerts. A second click reverses.
		worstFirstDesc := k[0] == "stage" || k[0] == "risk" || k[0] == "kfre" || k[0] == "flare" || k[0] == "alerts"
		desc := worstFirstDesc
		if q.Sort == k[0] {
			desc = !q.Desc
		}
		lp.Sorts = append(lp.Sorts, sortLink{Key: k[0], Label: k[1], Href: "/?" + q.encode(1, k[0], desc), Active: q.Sort == k[0], Desc: q.Desc})
	}
	if q.Page > 1 {
		lp.Prev = "/?" + q.encode(q.Page-1, q.Sort, q.Desc)
	}
	if q.Page > l.Pages && l.Pages > 0 {
		lp.PastEnd = "/?" + q.encode(l.Pages, q.Sort, q.Desc)
		lp.Prev = lp.PastEnd
	}
	if q.Page < l.Pages {
		lp.Next = "/?" + q.encode(q.Page+1, q.Sort, q.Desc)
	}
	s.render(w, r, http.StatusOK, "list.html", page{Title: "Patients", Body: lp, Warning: s.futureAsOf(q.Day)})
}

// patientPage is the patient page's data.
type patientPage struct {
	Day    string
	Row    Row
	Report Report
	Charts chartData
	JSON   template.JS // chartData as JSON inside <script type="application/json">
	Labs   []labRow
	SI     bool
	Caveat string
	KFRE   kfreView
	// NotAssessed is the text report's short "Not assessed" list;
	// NotAssessedLeft counts the entries left to the JSON.
	NotAssessed     []textfmt.NotAssessedItem
	NotAssessedLeft int
	// NotUsed are the report's "Not used" lines (textfmt.NotUsedLines):
	// stored records their source retracted or replaced, and the eGFRs
	// RenalWatch computed in an earlier report, by group.
	NotUsed []string
	// Lines are the text report's Kidney, Lupus and Therapy courses
	// lines, from its own builders (internal/textfmt, responsetext).
	Lines reportLines
	// TherapyKey says what the therapy chart's bar colours mean, naming
	// only the kinds drawn.
	TherapyKey string
	// KRTKey says how the eGFR and proteinuria charts draw the kidney
	// replacement therapy periods; "" without any.
	KRTKey string
}

// reportLines are the lines of the text report the patient page prints
// in the report's words, rounding and units.
type reportLines struct {
	Stage     string // "KDIGO G4 A3, very high risk (eGFR 27 on 2026-09-17, UPCR 1.80 g/g on 2026-09-17)"
	StageNote string // textfmt.StageNote: the footnote of G1 and G2 (G1T, G2T)
	// Persists is the report's Persists line (textfmt.Persists): what has
	// persisted more than 90 days; its footnote is textfmt.PersistsNote.
	Persists string
	// StageWarnings are the stage's caveats, such as creatinine not in
	// steady state, printed under the Stage line as the report does.
	StageWarnings []string
	Trend         string
	// NoTrend says why there is no trend (textfmt.NoTrend), as the
	// report's Not assessed list does.
	NoTrend  string
	KRT      []string
	Response []string // the "Response" line, then its continuation lines
	Flares   []string
	Serology []string
	Courses  []textfmt.Course
}

// linesOf builds the report's lines for the page; si shows values in the
// SI units of the page's units switch (siUnit), otherwise each as the
// laboratory reported it, as "renalwatch report" does by default.
func linesOf(r Report, si bool) reportLines {
	d := textfmt.Display{}
	if si {
		d.Convert = siShow
	}
	k, l := r.Kidney, r.Lupus
	out := reportLines{Stage: textfmt.Stage(k.EGFR, k.Stage, d), StageNote: textfmt.StageNote(k.Stage), Persists: textfmt.Persists(k.Stage, d),
		StageWarnings: k.Stage.Warnings, Courses: textfmt.Courses(r.Therapies)}
	if k.Slope != nil {
		out.Trend = textfmt.Trend(*k.Slope)
	}
	for _, rp := range k.Replacement {
		out.KRT = append(out.KRT, textfmt.KRT(rp))
	}
	if !l.Applicable {
		return out
	}
	if l.Response != nil {
		out.Response = responsetext.Lines(l.Response, d)
	}
	for _, f := range l.Flares {
		out.Flares = append(out.Flares, textfmt.Flare(f, d, ""))
	}
	if len(l.Serology) == 0 {
		out.Serology = []string{textfmt.NoSerology(r.EffectiveDate)}
	}
	for _, sv := range l.Serology {
		out.Serology = append(out.Serology, textfmt.Serology(sv, d))
	}
	return out
}

func (s *Server) pagePatient(w http.ResponseWriter, r *http.Request) {
	// units is "" (as reported) or "si": another value is an error, not
	// the values as reported under a units choice the reader believes was
	// applied (trial 7 #4: ?units=xyz showed conventional units).
	if u := r.URL.Query().Get("units"); u != "" && u != "si" {
		s.pageError(w, r, Errorf(KindBadRequest, "units", "units %q: leave it out (as reported) or give si", u))
		return
	}
	p, err := s.assessed(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	day, a := p.day, p.a
	row := rowOf(p.tl, p.asOf, a)
	charts := buildCharts(p.tl, a, p.asOf)
	js, err := json.Marshal(charts) // escapes <, > and & so the script element cannot be closed early
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	si := r.URL.Query().Get("units") == "si"
	rep := reportOf(a, day)
	pp := patientPage{Day: day, Row: row, Report: rep, Charts: charts, JSON: template.JS(js),
		Labs: latestLabs(a.LatestLabs, si), SI: si, Caveat: assess.TherapyCaveat(a.Therapies),
		KFRE: kfreOf(a.Kidney.KFRE, a.Missing, si), Lines: linesOf(rep, si), TherapyKey: therapyKey(charts.Therapies, day), KRTKey: krtKey(charts.KRT)}
	if si {
		pp.Report.Alerts = alertsInSI(pp.Report.Alerts, a.Lupus.Flares) // the messages' values in SI units, as the SI column
	}
	until := "the as-of date" // trial-cli #22: the windows of a patient who died end at death
	if a.EffectiveDate.Before(a.AsOf) {
		until = "death (" + a.EffectiveDate.Format(time.DateOnly) + ")"
	}
	pp.NotAssessed, pp.NotAssessedLeft = textfmt.NotAssessedUntil(a.Missing, a.Lupus.Applicable, until)
	pp.Lines.NoTrend = textfmt.NoTrend(a.Missing, until) // trial #4: why there is no trend, as the report's Not assessed says
	d := textfmt.Display{}
	if si {
		d.Convert = siShow
	}
	pp.NotUsed = textfmt.NotUsedLines(a.NotUsed, d)
	s.render(w, r, http.StatusOK, "patient.html", page{Title: "Patient " + row.ID, Body: pp, Warning: s.futureAsOf(day)})
}
