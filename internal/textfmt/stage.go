package textfmt

import (
	"time"

	"renalwatch/assess"
	"renalwatch/units"
)

// StageBasis names the results a KDIGO stage is based on, each with its
// date, as the other lines of the report date theirs (trial #23): "eGFR 27
// on 2026-09-17, UPCR 1.80 g/g on 2026-09-17" (G from the assessment's
// eGFR, kidney.egfr; A from stage.a_value of stage.a_date). show gives the
// unit a ratio is shown in (ShownQ); "" when neither is known. The text
// report's Stage line and the dashboard's KDIGO stage use it, so they
// agree.
func StageBasis(e *assess.EGFR, s assess.Stage, show func(units.Analyte, units.Quantity) units.Quantity) string {
	var out string
	if e != nil && s.G != nil {
		out = "eGFR " + EGFR(e.Value, "") + " on " + e.Date.UTC().Format(time.DateOnly)
	}
	if s.A != nil && s.AValue != nil {
		an, name := units.ACR, "ACR"
		if s.ASource == "pcr" {
			an, name = units.PCR, "UPCR"
		}
		a := name + " " + ShownQ(an, *s.AValue, show)
		if s.AComparator != "" {
			// A bound inside one category (trial-cli #3) reads as the
			// laboratory wrote it in its own unit, "ACR <3 mg/mmol".
			c := *s.AValue
			if show != nil {
				c = show(an, c)
			}
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
