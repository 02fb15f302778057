package textfmt

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// The wording of the text report's Kidney, Lupus and Therapy courses
// lines (docs/report.md, "Text output"), shared by `renalwatch report`
// and the dashboard's patient page so that both say the same thing in the
// same words and with the same rounding. Each builder returns the text
// after the report's label ("Stage", "Trend", "KRT", "Flare", ...);
// footnote markers are the caller's.

// Display converts a value for a text output's unit system: Convert
// returns q, a value of analyte an, in the unit it is shown in (q itself
// when it is shown as reported). The report's --units and the page's
// units switch each give one.
type Display struct {
	Convert func(an units.Analyte, q units.Quantity) units.Quantity
}

// Show converts q for display (q itself without a Convert).
func (d Display) Show(an units.Analyte, q units.Quantity) units.Quantity {
	if d.Convert == nil {
		return q
	}
	return d.Convert(an, q)
}

// Q formats q, a value of analyte an, with its unit: at its laboratory
// reporting precision when shown in the unit reported ("UPCR 1.80 g/g"),
// with 3 significant digits when converted for display only ("50.4
// µmol/L"): the conversion adds no precision.
func (d Display) Q(an units.Analyte, q units.Quantity) string {
	return ShownQ(an, q, d.Show)
}

// G1G2Note is the report's footnote to a G1 or G2 stage.
const G1G2Note = "G1 and G2 are CKD only with a marker of kidney damage, such as albuminuria, for more than 3 months (KDIGO 2024 CKD guideline)."

// TransplantNote is the footnote to G1T or G2T: a kidney transplant is
// itself a marker of kidney damage, so every recipient has CKD, whatever
// the GFR (KDIGO 2012 CKD guideline 1.1.1 criteria, kept in KDIGO 2024;
// trial-cli #11).
const TransplantNote = "A kidney transplant recipient has CKD at any GFR: a history of kidney transplantation is a marker of kidney damage (KDIGO 2024 CKD guideline, criteria for CKD); the T suffix marks it."

// Stage is the report's stage line, "KDIGO G4 A3, very high risk (eGFR
// 27 on 2026-09-17, UPCR 1.80 g/g on 2026-09-17)": the G and A
// categories, the KDIGO heat-map risk and the results they rest on with
// their dates (StageBasis). What has persisted is the next line,
// Persists. e is the assessment's eGFR (kidney.egfr). "" when there is no
// G category, except when the categories do not apply to the eGFR (a child
// under 2 years): then the line says so, with the A category and what it
// rests on, and no risk (the heat map needs G). Without a G category but
// with an A category (no eGFR: no creatinine, or a sex the equations do not
// cover) the A category is still shown, since it does not depend on sex or
// eGFR (KDIGO 2012 Table 6, kept in KDIGO 2024): "KDIGO G? A2 (ACR 40 mg/g
// on D), G unknown without an eGFR, risk unknown without a G category"
// (trial 3 #14). "" when neither is known. Its footnote is StageNote.
func Stage(e *assess.EGFR, s assess.Stage, d Display) string {
	if s.G == nil && s.GNotApplicable != "" {
		out := "no KDIGO G category or CKD stage, " + s.GNotApplicable
		if s.A != nil {
			out += "; albuminuria " + s.A.String()
			if basis := StageBasis(e, s, d.Show); basis != "" {
				out += " (" + basis + ")"
			}
		}
		return out
	}
	if s.G == nil {
		if s.A == nil {
			return ""
		}
		a := s.A.String()
		if basis := StageBasis(e, s, d.Show); basis != "" {
			a += " (" + basis + ")"
		}
		return "KDIGO G?" + s.Suffix + " " + a + ", G unknown without an eGFR, risk unknown without a G category"
	}
	a, risk := "A?", "risk unknown without albuminuria"
	if s.A != nil {
		a = s.A.String()
	}
	if s.Risk != nil {
		risk = s.Risk.String() + " risk"
	}
	out := "KDIGO " + s.G.String() + s.Suffix + " " + a + ", " + risk
	if basis := StageBasis(e, s, d.Show); basis != "" {
		out += " (" + basis + ")"
	}
	return out
}

// StageNote is the footnote of the stage line: TransplantNote for G1T and
// G2T, G1G2Note for G1 and G2, and the caveat of an A category read from
// the ratio of a child under 2 years (assess.Stage.ANote: adult
// thresholds, KDIGO 2024); "" when none applies.
func StageNote(s assess.Stage) string {
	var note string
	switch {
	case s.G == nil || (*s.G != ckd.G1 && *s.G != ckd.G2):
	case s.Suffix == "T":
		note = TransplantNote
	default:
		note = G1G2Note
	}
	if s.ANote != "" {
		a := "Albuminuria: " + s.ANote + "."
		if note == "" {
			return a
		}
		return note + " " + a
	}
	return note
}

// Trend is the report's trend line: the slope with its unit and 95% CI,
// the number of values and their span.
func Trend(s assess.Slope) string {
	return Slope(s.PerYear, s.CI95, s.CINote) + ", " + TrendSpan(s)
}

// TrendSpan is the trend line's number of values and their span: "3
// values 2021-12-09 to 2022-09-15".
func TrendSpan(s assess.Slope) string {
	return fmt.Sprint(s.Points) + " values " + day(s.From) + " to " + day(s.To)
}

// KRT is the report's line for one kidney replacement period:
// "hemodialysis from 1985-09-15 to 1990-10-27", "… , ongoing", or
// "kidney transplant on 1990-10-28".
func KRT(rp assess.Replacement) string {
	kind := record.ReplacementTitle(rp.Kind)
	if rp.Kind == "kidney_transplant" {
		return kind + " on " + day(rp.Start)
	}
	text := kind + " from " + day(rp.Start)
	if rp.End != nil {
		return text + " to " + day(*rp.End)
	}
	return text + ", ongoing"
}

// Flare is the report's line for one renal flare: "moderate renal flare
// on 2022-09-15 (kdigo-2012): UPCR 0.40 g/g to 2.40 g/g". mark, a
// footnote marker or "", follows the rule's name.
func Flare(f assess.FlareEvent, d Display, mark string) string {
	kind := "renal flare"
	if f.Type != nil {
		kind = *f.Type + " " + kind
	}
	if f.Severity != nil {
		kind = *f.Severity + " " + kind
	}
	if f.Provisional {
		kind = "provisional " + kind
	}
	d = d.Paired(lupus.FlareUPCRLevels(f.Rule)).AllOrNone(units.PCR, f.BaselineUPCR, f.UPCR) // Table 29's own mg/mmol numbers, one unit a line
	why := ""
	if met := flareMet(f); len(met) > 0 {
		why = strings.Join(met, "; ") + "; "
	}
	return kind + " on " + day(f.Date) + " (" + string(f.Rule) + mark + "): " + why + "UPCR " + d.Q(units.PCR, f.BaselineUPCR) + " to " + d.Q(units.PCR, f.UPCR)
}

// flareMet names the criteria a flare met when none of them is a UPCR
// rise, without their severity prefix ("recurrence of ≥ 1 RBC or WBC cast
// (no infection)"): a flare met on the urine sediment or on creatinine
// alone is named by what it met, not only by its UPCRs, which may even
// have fallen (a mild flare on recurring casts while the UPCR fell from
// 383 to 298.7 mg/mmol read as a flare on the UPCR). Nil when a UPCR
// criterion was met: the UPCRs shown are then the reason.
func flareMet(f assess.FlareEvent) []string {
	var met []string
	for _, c := range f.Criteria {
		if c.Met == nil || !*c.Met {
			continue
		}
		if strings.Contains(c.Name, "UPCR") {
			return nil
		}
		name := c.Name
		if _, after, ok := strings.Cut(name, ": "); ok {
			name = after
		}
		if !slices.Contains(met, name) {
			met = append(met, name)
		}
	}
	return met
}

// NoSerology is the report's serology line when none of C3, C4 and
// anti-dsDNA was measured in the 12 months before effectiveDate.
func NoSerology(effectiveDate string) string {
	return "no C3, C4 or anti-dsDNA in the 12 months before " + effectiveDate
}

// Serology is the report's line for one serology trend: "C3         0.48
// → 0.72 g/L (2025-10-01 to 2026-09-17)" (the test name padded to 10
// characters, as the report aligns them).
func Serology(s assess.SerologyTrend, d Display) string {
	an, _ := units.ParseAnalyte(s.Analyte)
	var vs []string
	for _, v := range s.Values {
		q := d.Show(an, v.Value)
		vs = append(vs, v.Comparator+Lab(an, q.Value, q.Unit))
	}
	unit := ""
	span := ""
	if n := len(s.Values); n > 0 {
		unit = d.Show(an, s.Values[0].Value).Unit.Display()
		span = day(s.Values[0].Date)
		if n > 1 {
			span += " to " + day(s.Values[n-1].Date)
		}
	}
	return fmt.Sprintf("%-10s %s %s (%s)", LabName(s.Analyte), strings.Join(vs, " → "), unit, span)
}

// ManyCourses: a drug with more courses than this is one line in the
// text report and on the page ("lisinopril (RAAS blockade): 17 courses,
// 190 records"); --json lists each.
const ManyCourses = 3

// Course is one line of the therapy courses: a course, or every course of
// a drug with more than ManyCourses of them.
type Course struct {
	Dates string // "2024-03-05 to ongoing", "1969-06-01 to 1994-11-12 (death)"
	// Text is the rest of the line: the drug, its class and evidence or
	// indication, and the dose, or the number of courses and records.
	Text string
	// Name, Start and End are the (first) course's drug and dates: End
	// is the end shown (CourseEnd).
	Name, Start, End string
	// Courses and Records count what a grouped line joins (1 and the
	// course's records for a single course).
	Courses, Records int
}

// Courses returns the report's therapy course lines in the order of ths.
func Courses(ths []assess.Therapy) []Course {
	count := map[string]int{}
	for _, th := range ths {
		count[th.Name]++
	}
	done := map[string]bool{}
	var out []Course
	for _, th := range ths {
		if count[th.Name] <= ManyCourses {
			out = append(out, Course{Dates: CourseDates(th), Text: TherapyClass(th.Name) + CourseWhat(th) + CourseDose(th),
				Name: th.Name, Start: day(th.Start), End: CourseEnd(th), Courses: 1, Records: th.Records})
			continue
		}
		if done[th.Name] {
			continue
		}
		done[th.Name] = true
		var first, last assess.Therapy
		n, records := 0, 0
		for _, o := range ths {
			if o.Name != th.Name {
				continue
			}
			if n == 0 {
				first = o
			}
			last = o
			n++
			records += o.Records
		}
		// The date column is the latest course's: "first start to
		// ongoing" read as decades of continuous therapy (trial-cli #22:
		// 38 courses of lisinopril from 1985 on, with gaps between them).
		end := CourseEnd(last)
		out = append(out, Course{Dates: CourseDates(last), Text: fmt.Sprintf("%s%s: latest of %d separate courses (%d records) from %s on, with gaps between them", TherapyClass(th.Name), CourseWhat(first), n, records, day(first.Start)),
			Name: th.Name, Start: day(first.Start), End: end, Courses: n, Records: records})
	}
	return out
}

// CourseDates is "start to end", or one date for a single-day course.
func CourseDates(th assess.Therapy) string {
	if th.End != nil && day(*th.End) == day(th.Start) {
		return day(th.Start)
	}
	return day(th.Start) + " to " + CourseEnd(th)
}

// CourseEnd is the end of a course: its date, "ongoing" for an open
// course (assess.Therapy.Open), "end not recorded" otherwise; a course
// still open when the patient died ends on the date of death, "(death)".
// A course is never "ongoing" after death: assess closes it then.
func CourseEnd(th assess.Therapy) string {
	switch {
	case th.End != nil && th.EndBasis == "death":
		return day(*th.End) + " (death)"
	case th.End != nil:
		return day(*th.End)
	case th.Open:
		return "ongoing"
	}
	return "end not recorded"
}

// CourseWhat is " (class)" or " (class; evidence unproven)" or " (class;
// graft immunosuppression)"; the class is left out when it is the drug.
func CourseWhat(th assess.Therapy) string {
	var parts []string
	if th.Class != "" && th.Class != "other" && th.Class != th.Name {
		parts = append(parts, TherapyClass(th.Class))
	}
	switch {
	case th.Indication != "":
		parts = append(parts, th.Indication)
	case th.Evidence == assess.Investigational || th.Evidence == assess.Unproven:
		parts = append(parts, "evidence "+string(th.Evidence))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// CourseDose is ", DOSE" with the dose as the source wrote it, or ",
// latest dose DOSE" when the course's records give different doses; ""
// when none gives one.
func CourseDose(th assess.Therapy) string {
	switch {
	case th.Dose == "":
		return ""
	case th.DoseChanged:
		return ", latest dose " + th.Dose
	}
	return ", " + th.Dose
}

// day is a date as the report writes it, YYYY-MM-DD.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// NoEGFRSex is what the eGFR line adds to "none" when the recorded sex is
// neither female nor male: " (sex other: the eGFR equations are
// sex-specific)"; "" otherwise. The CKD-EPI 2021 and EKFC equations have
// sex-specific constants (Inker 2021; Pottel 2021), and RenalWatch does not
// pick one (trial 3 #14).
func NoEGFRSex(sex string) string {
	switch sex {
	case "female", "male", "":
		return ""
	}
	return " (sex " + sex + ": the eGFR equations are sex-specific)"
}
