package textfmt

import (
	"strconv"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/units"
)

// StageBasis names the results a KDIGO stage is based on, each with its
// date, as the other lines of the report date theirs (trial #23): "eGFR 27
// on 2026-09-17, UPCR 1.80 g/g on 2026-09-17" (G from the assessment's
// eGFR, kidney.egfr; A from stage.a_value of stage.a_date). show gives the
// unit a ratio is shown in (ShownQ); "" when neither is known. The text
// report's Stage line and the dashboard's KDIGO stage use it, so they
// agree.
//
// The ratio keeps the unit it was reported in when, shown in the other
// unit, it would fall in another category under that unit's own KDIGO
// thresholds (ShownRatio): KDIGO pairs 3 mg/mmol with 30 mg/g rather than
// converting (3 mg/mmol is 26.5 mg/g, A1 by the mg/g table), as the
// alerts keep it (assess.Quote.Cuts).
func StageBasis(e *assess.EGFR, s assess.Stage, show func(units.Analyte, units.Quantity) units.Quantity) string {
	var out string
	if e != nil && s.G != nil {
		out = "eGFR " + EGFR(e.Value, "") + " on " + e.Date.UTC().Format(time.DateOnly)
	}
	if s.A != nil && s.AValue != nil {
		an, name := ratioOf(s)
		c := ShownRatio(an, *s.AValue, s.AComparator, *s.A, show)
		a := name + " " + ShownQ(an, *s.AValue, func(units.Analyte, units.Quantity) units.Quantity { return c })
		if s.AComparator != "" {
			// A bound inside one category (trial-cli #3) reads as the
			// laboratory wrote it, "ACR <3 mg/mmol".
			v := Measured(c.Value)
			if c.Unit != s.AValue.Unit {
				v = Converted(an, c.Value, c.Unit)
			}
			a = name + " " + s.AComparator + v + " " + c.Unit.Display()
		}
		if s.ADate != nil {
			a += " on " + s.ADate.UTC().Format(time.DateOnly)
		}
		if out != "" {
			out += ", "
		}
		out += a
	}
	return out
}

// ratioOf is the analyte of the ratio behind the A category and its name.
func ratioOf(s assess.Stage) (units.Analyte, string) {
	if s.ASource == "pcr" {
		return units.PCR, "UPCR"
	}
	return units.ACR, "ACR"
}

// ShownRatio is q, the ACR or UPCR (an) behind the A category a, in the
// unit show gives it, unless that would contradict a: shown in another
// unit it must fall in the same category by that unit's KDIGO thresholds
// (ckd.ACategory, ckd.ACategoryFromPCR), else it keeps its unit of report.
// comparator is the bound's ("<" for "<3 mg/mmol"; "" for a measurement).
func ShownRatio(an units.Analyte, q units.Quantity, comparator string, a ckd.A, show func(units.Analyte, units.Quantity) units.Quantity) units.Quantity {
	if show == nil {
		return q
	}
	c := show(an, q)
	if c.Unit == q.Unit {
		return c
	}
	cat := ckd.ACategory
	if an == units.PCR {
		cat = ckd.ACategoryFromPCR
	}
	want := a // a bound lies inside a
	if comparator == "" {
		w, err := cat(q)
		if err != nil {
			return q
		}
		want = w
	}
	if got, err := cat(c); err != nil || got != want {
		return q
	}
	return c
}

// ShownQ formats a measured quantity q of analyte an in the unit show
// gives it (nil: as it is): at its laboratory precision when that is its
// own unit (LabQ), else as a value converted for display (Converted).
func ShownQ(an units.Analyte, q units.Quantity, show func(units.Analyte, units.Quantity) units.Quantity) string {
	c := q
	if show != nil {
		c = show(an, q)
	}
	if c.Unit == q.Unit {
		return LabQ(an, q)
	}
	return Converted(an, c.Value, c.Unit) + " " + c.Unit.Display()
}

// PersistsNote is the footnote of the Persists line: the rule it applies.
const PersistsNote = "Persists: KDIGO 2024 CKD guideline, an abnormality of kidney function or damage present for more than 3 months; here two abnormal results more than 90 days apart with no normal result between them."

// Persists is the report's Persists line: what has persisted more than
// 90 days, the chronicity criterion of CKD (KDIGO 2012 CKD guideline
// 1.1.1, kept in KDIGO 2024; PersistsNote), and what has not yet:
// "eGFR < 60 for > 90 days (since 2024-09-05), G4 since 2026-07-16; UPCR
// ≥ 0.15 g/g for > 90 days (since 2020-05-28)". Each abnormality names its
// threshold, never a span of categories: albuminuria persists as the
// ratio at or above the A2 threshold (KDIGO 2012 Tables 6-7) in the unit
// the Stage line shows it in. Without a G category (no eGFR) only the
// albuminuria part; "" when there is neither category, or no G category
// and nothing abnormal.
func Persists(s assess.Stage, d Display) string {
	if s.G == nil && s.A == nil {
		return ""
	}
	var parts []string
	e, al := s.Persistence.EGFR, s.Persistence.Albuminuria
	switch {
	case s.G == nil:
	case e.Persistent:
		p := "eGFR < 60 for > 90 days (since " + day(e.Since) + ")"
		if s.GSince != nil && s.GSince.After(e.Since) {
			p += ", " + s.G.String() + " since " + day(*s.GSince)
		}
		parts = append(parts, p)
	case s.Suffix == "D":
		parts = append(parts, "on dialysis (G5D): no eGFR is estimated")
	case *s.G >= ckd.G3a:
		parts = append(parts, "eGFR < 60 not shown to persist > 90 days")
	}
	an, name := ratioOf(s)
	switch {
	case al.Persistent:
		from := "at or above the A2 threshold"
		if s.AValue != nil && s.A != nil {
			u := ShownRatio(an, *s.AValue, s.AComparator, *s.A, d.Show).Unit
			if cut, ok := ckd.A2From(an, u); ok {
				from = "≥ " + strconv.FormatFloat(cut.Value, 'f', -1, 64) + " " + u.Display()
			}
		}
		parts = append(parts, name+" "+from+" for > 90 days (since "+day(al.Since)+")")
	case s.A != nil && *s.A >= ckd.A2 && s.AAbnormalValues == 1:
		parts = append(parts, s.A.String()+" on a single value (repeat to confirm)")
	case s.A != nil && *s.A >= ckd.A2:
		parts = append(parts, s.A.String()+" not shown to persist > 90 days")
	}
	if len(parts) > 0 {
		return join(parts)
	}
	if s.G == nil {
		return ""
	}
	if s.A == nil {
		return "eGFR ≥ 60; albuminuria not known"
	}
	if s.Suffix == "T" {
		return "eGFR ≥ 60 and " + s.A.String() + " (the kidney transplant is itself a marker of kidney damage)"
	}
	return "eGFR ≥ 60 and " + s.A.String() + " on the latest results: no abnormality persists now"
}

// join joins the parts of a line with "; ".
func join(parts []string) string {
	out := parts[0]
	for _, p := range parts[1:] {
		out += "; " + p
	}
	return out
}
