package main

import (
	"strings"
	"text/tabwriter"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// labName is a test's row name (textfmt.LabName).
func labName(analyte string) string { return textfmt.LabName(analyte) }

// labs writes the latest labs table: each test's latest value, unit and
// date, the value before it and the change (in the unit shown). Systolic
// and diastolic BP of the same day share one row.
func (t *textReport) labs() {
	rows := t.r.LatestLabs
	if len(rows) == 0 {
		return
	}
	t.b.WriteString("\nLatest labs\n")
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	tw.Write([]byte("  \tlatest\t\tdate\tprevious\tchange\n"))
	for i := 0; i < len(rows); i++ {
		r := rows[i]
		if r.Analyte == "systolic_bp" && i+1 < len(rows) && rows[i+1].Analyte == "diastolic_bp" && sameDay(r.Date, rows[i+1].Date) {
			d := rows[i+1]
			prev, change := "", ""
			if r.Previous != nil && d.Previous != nil && r.PreviousDate != nil && d.PreviousDate != nil && sameDay(*r.PreviousDate, *d.PreviousDate) {
				ps := textfmt.Lab(units.SystolicBP, r.Previous.Value, r.Previous.Unit)
				pd := textfmt.Lab(units.DiastolicBP, d.Previous.Value, d.Previous.Unit)
				prev = ps + "/" + pd + " on " + ymd(*r.PreviousDate)
				if r.Change != nil && d.Change != nil {
					change = shownChange(textfmt.Lab(units.SystolicBP, r.Value.Value, r.Value.Unit), ps) + "/" + shownChange(textfmt.Lab(units.DiastolicBP, d.Value.Value, d.Value.Unit), pd)
				}
			}
			tw.Write([]byte("  Blood pressure\t" + textfmt.Lab(units.SystolicBP, r.Value.Value, r.Value.Unit) + "/" + textfmt.Lab(units.DiastolicBP, d.Value.Value, d.Value.Unit) + "\t" + r.Value.Unit.Display() + "\t" + ymd(r.Date) + "\t" + prev + "\t" + change + "\n"))
			i++
			continue
		}
		tw.Write([]byte("  " + t.labRow(r) + "\n"))
	}
	tw.Flush()
	for _, l := range strings.SplitAfter(table.String(), "\n") {
		t.b.WriteString(strings.TrimRight(l, " \n"))
		if l != "" {
			t.b.WriteString("\n")
		}
	}
}

// labRow is one row of the table, tab-separated.
func (t *textReport) labRow(r assess.LatestLab) string {
	name := labName(r.Analyte)
	if r.Analyte == "egfr" {
		prev, change := "", ""
		if r.Previous != nil && r.PreviousDate != nil {
			prev = egfrText(r.Previous.Value, "") + " on " + ymd(*r.PreviousDate)
		}
		if r.Change != nil {
			change = shownChange(ckd.EGFRText(r.Value.Value), ckd.EGFRText(r.Previous.Value))
		}
		change += t.notComparable(r)
		return name + "\t" + egfrText(r.Value.Value, "") + "\t" + r.Value.Unit.Display() + "\t" + ymd(r.Date) + "\t" + prev + "\t" + change
	}
	an, _ := units.ParseAnalyte(r.Analyte)
	v, vu := t.u.num(an, r.Value)
	if r.Comparator != "" && vu == r.Value.Unit {
		// A bound ("<3 mg/mmol") is shown as the laboratory wrote it.
		v = measured(r.Value.Value)
	}
	prev, change := "", ""
	if r.Previous != nil && r.PreviousDate != nil {
		p, pu := t.u.num(an, *r.Previous)
		pc := p // the previous value the change is computed from
		if r.PreviousAsReported != nil && pu == r.Previous.Unit {
			// A conversion of the laboratory's value, as a converted
			// value is shown (display.go); the change keeps the
			// precision of the latest value (textfmt.Lab).
			p = converted(an, r.Previous.Value, r.Previous.Unit)
			pc = textfmt.Lab(an, r.Previous.Value, pu)
		} else if r.PreviousComparator != "" && pu == r.Previous.Unit {
			p = measured(r.Previous.Value)
		}
		prev = r.PreviousComparator + p
		if pu != vu {
			prev += " " + pu.Display()
		}
		prev += " on " + ymd(*r.PreviousDate)
		if r.Change != nil && pu == vu {
			change = shownChange(v, pc)
		}
		change += t.notComparable(r)
	}
	return name + "\t" + r.Comparator + v + "\t" + vu.Display() + "\t" + ymd(r.Date) + "\t" + prev + "\t" + change
}

// notComparable is the footnote marker of a previous value that describes
// another kidney state (before a transplant, during ended dialysis), whose
// change is not shown; "" otherwise.
func (t *textReport) notComparable(r assess.LatestLab) string {
	if r.PreviousNotComparable == "" {
		return ""
	}
	return "not compared" + t.note("Not compared with the latest value: the previous value "+r.PreviousNotComparable+".")
}

// shownChange is textfmt.ShownChange: the change as the row shows it.
func shownChange(latest, previous string) string { return textfmt.ShownChange(latest, previous) }

// sameDay reports whether x and y fall on the same UTC date.
func sameDay(x, y time.Time) bool { return ymd(x.UTC()) == ymd(y.UTC()) }
