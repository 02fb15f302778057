package server

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/internal/textfmt"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// gBands are the KDIGO GFR categories drawn behind the eGFR chart: G1 ≥90,
// G2 60-89, G3a 45-59, G3b 30-44, G4 15-29, G5 <15 mL/min/1.73 m² (KDIGO
// 2024 CKD guideline, Kidney Int 2024;105(4S):S117-S314, with the
// categories of KDIGO 2012 Table 5; the same bounds as ckd.GCategory,
// which TestPatientPageTwins checks). Hi of G1 is the top drawn.
type gBand struct {
	G      string  `json:"g"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Colour string  `json:"colour"`
}

// gBandTop is the top of the drawn G1 band (mL/min/1.73 m²); values above
// it widen the axis.
const gBandTop = 150

var gBands = []gBand{
	{"G1", 90, gBandTop, "#e8f5e9"}, {"G2", 60, 90, "#f1f8e9"}, {"G3a", 45, 60, "#fffde7"},
	{"G3b", 30, 45, "#fff3e0"}, {"G4", 15, 30, "#ffe0b2"}, {"G5", 0, 15, "#ffcdd2"},
}

// proteinLines are the UPCR lines of the proteinuria chart, in g/g, from
// the KDIGO 2024 lupus nephritis guideline's response definitions (Kidney
// Int 2024;105(1S):S1-S69): complete response is a fall to <0.5 g/g (50
// mg/mmol); partial response a fall of at least 50% to <3 g/g (300
// mg/mmol). Checked against the guideline's summary of response criteria.
var proteinLines = []float64{0.5, 3}

// proteinFloor is the bottom of the log axis (g/g). A value below it (a
// 0 reported below the laboratory's detection limit, which a log axis
// cannot place, or any ratio under 0.01 g/g) is flagged BelowAxis and drawn
// at the floor with its own mark and legend text "(below axis)", never as
// an ordinary point on the floor (trial 3 #5); a value reported below a
// detection limit ("<") has its own hollow mark.
const proteinFloor = 0.01

// chartData is the JSON the page's script draws; the HTML tables carry the
// same values. Times are Unix seconds (UTC).
type chartData struct {
	EGFR      egfrChart     `json:"egfr"`
	Protein   proteinChart  `json:"protein"`
	Therapies []therapyBar  `json:"therapies"`
	SLEDAI    []sledaiPoint `json:"sledai"`
	Biopsies  []biopsyMark  `json:"biopsies"`
	// KRT are the kidney replacement therapy periods (krtchart.go), drawn
	// on the eGFR and proteinuria charts and listed in a table.
	KRT      []krtSpan `json:"krt"`
	KRTStyle krtStyle  `json:"krt_style"`
}

type egfrChart struct {
	Unit   string      `json:"unit"`
	Points []egfrPoint `json:"points"`
	Bands  []gBand     `json:"bands"`
	Slope  *slopeLine  `json:"slope"`
	// Series are the kidneys the points describe (native, graft), one
	// line each, in the order drawn.
	Series []kidneySeries `json:"series"`
}

type egfrPoint struct {
	T        int64   `json:"t"`
	Date     string  `json:"date"`
	Value    float64 `json:"value"`
	Equation string  `json:"equation"`
	G        string  `json:"g"`
	Text     string  `json:"text"`    // as the table and the text report show it (textfmt.EGFR)
	Kidney   string  `json:"kidney"`  // "native" or "graft" (kidneyAt)
	Segment  int     `json:"segment"` // points of one segment are joined, others never (segmentEGFR)
}

// slopeLine is the report's least-squares slope drawn over the span it was
// fitted on, through the mean of the plotted values in that span (an
// ordinary least-squares line passes through the means).
type slopeLine struct {
	T       [2]int64   `json:"t"`
	Value   [2]float64 `json:"value"`
	PerYear float64    `json:"per_year"`
	Text    string     `json:"text"` // as the report's trend line (textfmt.Slope), for the legend
}

type proteinChart struct {
	Unit   string         `json:"unit"`
	Floor  float64        `json:"floor"`
	Lines  []float64      `json:"lines"`
	Points []proteinPoint `json:"points"`
}

type proteinPoint struct {
	T       int64   `json:"t"`
	Date    string  `json:"date"`
	Analyte string  `json:"analyte"` // upcr or acr
	Value   float64 `json:"value"`   // g/g
	Below   bool    `json:"below"`   // reported below a detection limit ("<")
	// BelowAxis: the value is under the axis floor (proteinFloor; a 0
	// among them): drawn at the floor with its own mark, labelled so.
	BelowAxis bool `json:"below_axis,omitempty"`
	// Shown is the value as the laboratory reported it, with comparator
	// and unit, at its laboratory reporting precision (textfmt.LabQ, as
	// the report's labs table: "1.80 g/g", "265 mg/g").
	Shown string `json:"shown"`
	// Text is Value in g/g as the table's g/g column shows it: the
	// laboratory precision (2 decimals) when it was reported in g/g, else
	// a conversion for display (3 significant digits), with comparator.
	Text string `json:"text"`
	// Segment: points of one analyte are joined only within a segment; a
	// kidney replacement therapy period starting or ending between two
	// values breaks the line (segmentEGFR).
	Segment int `json:"segment"`
}

type therapyBar struct {
	Name  string `json:"name"`
	Class string `json:"class"`
	Start int64  `json:"start"`
	// End is where the bar stops: the recorded end (or the date of death),
	// the last record's start when the end was not recorded, null for a
	// course ongoing at as_of (drawn to the end of the axis).
	End *int64 `json:"end"`
	// State is "ended" (a recorded end, or death), "ongoing"
	// (assess.Therapy.Open) or "end not recorded" (drawn to its last
	// record, never as ongoing).
	State string `json:"state"`
	From  string `json:"from"`
	To    string `json:"to"` // the report's wording (textfmt.CourseEnd)
}

type sledaiPoint struct {
	T     int64  `json:"t"`
	Date  string `json:"date"`
	Score int    `json:"score"`
	Basis string `json:"basis"`
}

type biopsyMark struct {
	T     int64  `json:"t"`
	Date  string `json:"date"`
	Class string `json:"class"`
	// Activity and Chronicity are the modified NIH indices (ISN/RPS 2018,
	// Bajema et al. Kidney Int 2018;93:789-96) as the assessment reads
	// them, for the latest biopsy only (Assessed); earlier rows link to
	// the page as of their date, where they are the latest.
	Activity, Chronicity string `json:"-"`
	Assessed             bool   `json:"-"`
}

// biopsyIndex is an index as the text report writes it: the number or
// "not assessed".
func biopsyIndex(v *int) string {
	if v == nil {
		return "not assessed"
	}
	return strconv.Itoa(*v)
}

// biopsyRules names the ISN/RPS rule set the assessment read the class
// under (assess.Biopsy.Rules): lupus.ISNRPS2018 is the 2018 revision
// (Bajema et al. Kidney Int 2018;93:789-96), lupus.ISNRPS2003 the original
// (Weening et al. Kidney Int 2004;65:521-30).
func biopsyRules(rules string) string {
	switch lupus.ClassRules(rules) {
	case lupus.ISNRPS2018:
		return "ISN/RPS 2018 revision (Bajema et al. 2018)"
	case lupus.ISNRPS2003:
		return "ISN/RPS 2003 (Weening et al. 2004)"
	}
	return rules
}

// labRow is one line of the latest labs table.
type labRow struct {
	Analyte string
	Date    string
	Value   string // as stored (canonical unit), with comparator
	SI      string // in the SI unit when it differs, else empty
	// Previous is the value before it with its date, as the text report's
	// "previous" column.
	Previous string
}

const date = time.DateOnly

func buildCharts(tl *record.Timeline, a assess.Assessment, asOf time.Time) chartData {
	c := chartData{
		EGFR:      egfrChart{Unit: units.MLPerMinBSA.Display(), Points: []egfrPoint{}, Bands: gBands},
		Protein:   proteinChart{Unit: units.GPerG.Display(), Floor: proteinFloor, Lines: proteinLines, Points: []proteinPoint{}},
		Therapies: []therapyBar{}, SLEDAI: []sledaiPoint{}, Biopsies: []biopsyMark{},
		KRT: krtSpans(a.Kidney.Replacement), KRTStyle: krtColours,
	}
	for _, p := range a.Kidney.Series.All() {
		if p.Value == nil {
			continue
		}
		g, _ := ckd.GCategory(*p.Value)
		c.EGFR.Points = append(c.EGFR.Points, egfrPoint{T: p.Date.Unix(), Date: p.Date.Format(date), Value: *p.Value, Equation: p.Equation, G: g.String(), Text: textfmt.EGFR(*p.Value, "")})
	}
	c.EGFR.Series = segmentEGFR(c.EGFR.Points, a.Kidney.Replacement)
	if s := a.Kidney.Slope; s != nil {
		var n, st, sv float64
		for _, p := range c.EGFR.Points {
			if p.T >= s.From.Unix() && p.T <= s.To.Unix() {
				n, st, sv = n+1, st+float64(p.T), sv+p.Value
			}
		}
		if n > 0 {
			mt, mv := st/n, sv/n
			perSec := s.PerYear / (365.25 * 86400)
			t0, t1 := s.From.Unix(), s.To.Unix()
			c.EGFR.Slope = &slopeLine{T: [2]int64{t0, t1}, Value: [2]float64{mv + perSec*(float64(t0)-mt), mv + perSec*(float64(t1)-mt)}, PerYear: s.PerYear, Text: textfmt.Slope(s.PerYear, s.CI95, s.CINote)}
		}
	}
	for _, an := range []units.Analyte{units.PCR, units.ACR} {
		for _, o := range tl.Values(an) {
			if o.Time.After(asOf) {
				continue
			}
			g, err := o.Value.ConvertTo(units.GPerG)
			if err != nil {
				continue
			}
			rep := assess.Reported(o) // the unit of report, as the report's labs table
			shown := textfmt.LabQ(an, rep)
			if o.Comparator != "" { // a bound, as the laboratory wrote it
				shown = textfmt.MeasuredQ(rep)
			}
			shown = string(o.Comparator) + shown
			below := o.Comparator == record.Less || o.Comparator == record.LessOrEqual
			name := "upcr"
			if an == units.ACR {
				name = "acr"
			}
			c.Protein.Points = append(c.Protein.Points, proteinPoint{T: o.Time.Unix(), Date: o.Time.Format(date), Analyte: name, Value: g.Value, Below: below, Shown: shown,
				Text: string(o.Comparator) + gPerGText(an, rep, o.Comparator != "", g.Value), BelowAxis: g.Value < proteinFloor})
		}
	}
	slices.SortStableFunc(c.Protein.Points, func(x, y proteinPoint) int { return cmp.Compare(x.T, y.T) })
	segmentProtein(c.Protein.Points, a.Kidney.Replacement)
	for _, t := range a.Therapies {
		b := therapyBar{Name: t.Name, Class: t.Class, Start: t.Start.Unix(), From: t.Start.Format(date), To: textfmt.CourseEnd(t)}
		switch {
		case t.End != nil:
			e := t.End.Unix()
			b.End, b.State = &e, "ended"
		case t.Open:
			b.State = "ongoing"
		default:
			e := t.LastRecord.Unix()
			b.End, b.State = &e, "end not recorded"
		}
		c.Therapies = append(c.Therapies, b)
	}
	for _, bx := range tl.Biopsies {
		if bx.Time.After(asOf) {
			continue
		}
		cl := ""
		for i, k := range bx.Classes {
			if i > 0 {
				cl += "+"
			}
			cl += k
		}
		m := biopsyMark{T: bx.Time.Unix(), Date: bx.Time.Format(date), Class: cl}
		if lb := a.Lupus.Biopsy; lb != nil && lb.Date.Equal(bx.Time) {
			m.Assessed = true
			m.Activity = biopsyIndex(lb.ActivityIndex)
			m.Chronicity = biopsyIndex(lb.ChronicityIndex)
		}
		c.Biopsies = append(c.Biopsies, m)
	}
	c.SLEDAI = sledaiHistory(tl, asOf)
	return c
}

// therapyKey explains the therapy chart's bar colours for the kinds of
// bar drawn: a course whose end was not recorded is never called
// ongoing (trial-web #2).
func therapyKey(bars []therapyBar, day string) string {
	var ended, ongoing, unknown bool
	for _, b := range bars {
		switch b.State {
		case "ended":
			ended = true
		case "ongoing":
			ongoing = true
		default:
			unknown = true
		}
	}
	var parts []string
	if ended {
		parts = append(parts, "dark bars: courses that ended (on their recorded end, or at death)")
	}
	if ongoing {
		parts = append(parts, "light bars: courses ongoing at "+day)
	}
	if unknown {
		parts = append(parts, "grey bars: courses whose end was not recorded, drawn to their last record")
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, "; ") + "."
	return strings.ToUpper(s[:1]) + s[1:]
}

// gPerGText is a UPCR or ACR in g/g as the page's table shows it, by the
// report's rounding policy (docs/report.md, "Numbers in human text"): a
// value the laboratory reported in g/g at its reporting precision (UPCR
// 1.80 g/g, trailing zeros kept, internal/labtext), a bound as written,
// and a value converted from another unit with 3 significant digits (a
// conversion for display adds no precision).
func gPerGText(an units.Analyte, rep units.Quantity, bound bool, g float64) string {
	switch {
	case rep.Unit == units.GPerG && !bound:
		return textfmt.Lab(an, rep.Value, units.GPerG)
	case rep.Unit == units.GPerG:
		return textfmt.Measured(rep.Value)
	}
	return textfmt.Converted(an, g, units.GPerG)
}

// maxSLEDAIDates bounds the SLEDAI-2K history to the latest visit dates.
const maxSLEDAIDates = 40

// sledaiHistory scores SLEDAI-2K at each day with findings, with the
// assessment itself (assess.Assess as of the end of that day), so every
// point is the score the report would have shown then.
func sledaiHistory(tl *record.Timeline, asOf time.Time) []sledaiPoint {
	var days []time.Time
	for _, f := range tl.Findings {
		d := f.Time.UTC().Truncate(24 * time.Hour)
		if f.Time.After(asOf) || (len(days) > 0 && days[len(days)-1].Equal(d)) {
			continue
		}
		days = append(days, d)
	}
	if len(days) > maxSLEDAIDates {
		days = days[len(days)-maxSLEDAIDates:]
	}
	out := []sledaiPoint{}
	for _, d := range days {
		end := d.Add(24*time.Hour - time.Nanosecond)
		a := assess.Assess(tl, end, assess.DefaultConfig())
		s := a.Lupus.SLEDAI
		if s == nil || s.Date.UTC().Truncate(24*time.Hour) != d {
			continue
		}
		out = append(out, sledaiPoint{T: s.Date.Unix(), Date: s.Date.Format(date), Score: s.Score, Basis: s.Basis})
	}
	return out
}

// latestLabs is the report's latest labs table (assess.LatestLab, the
// rows "report" prints): each test's latest value as measured (an eGFR as
// the report rounds it), in the SI unit too when asked, and the value
// before it, marked when it describes another kidney state.
func latestLabs(rows []assess.LatestLab, si bool) []labRow {
	var out []labRow
	for _, l := range rows {
		r := labRow{Analyte: textfmt.LabName(l.Analyte), Date: l.Date.Format(date)}
		prev := ""
		if l.Analyte == "egfr" {
			r.Value = textfmt.EGFR(l.Value.Value, l.Value.Unit.Display())
			if l.Previous != nil {
				prev = textfmt.EGFR(l.Previous.Value, l.Previous.Unit.Display())
			}
		} else {
			an, known := units.ParseAnalyte(l.Analyte)
			r.Value = l.Comparator + textfmt.LabQ(an, l.Value)
			if l.Comparator != "" { // a bound, as the laboratory wrote it
				r.Value = l.Comparator + textfmt.MeasuredQ(l.Value)
			}
			if known && si {
				if u, ok := siUnit[an]; ok && u != l.Value.Unit {
					if q, err := an.Convert(l.Value, u); err == nil {
						r.SI = l.Comparator + textfmt.Converted(an, q.Value, u) + " " + u.Display()
					}
				}
			}
			if l.Previous != nil {
				prev = textfmt.Lab(an, l.Previous.Value, l.Previous.Unit)
				if l.PreviousComparator != "" {
					prev = textfmt.Measured(l.Previous.Value)
				}
				if l.PreviousAsReported != nil { // a conversion of the laboratory's value
					prev = textfmt.Converted(an, l.Previous.Value, l.Previous.Unit)
				}
				// With its unit: beside the SI column, a bare number read as
				// if in SI units (trial 7 #7).
				prev = l.PreviousComparator + prev + " " + l.Previous.Unit.Display()
			}
		}
		if prev != "" && l.PreviousDate != nil {
			r.Previous = prev + " on " + l.PreviousDate.Format(date)
			if l.PreviousNotComparable != "" {
				r.Previous += " (not compared: " + l.PreviousNotComparable + ")"
			}
		}
		out = append(out, r)
	}
	return out
}
