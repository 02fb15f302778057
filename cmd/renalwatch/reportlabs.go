package main

import (
	"math"
	"strconv"
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
				prev = measured(r.Previous.Value) + "/" + measured(d.Previous.Value) + " on " + ymd(*r.PreviousDate)
				if r.Change != nil && d.Change != nil {
					change = signed(derived(*r.Change)) + "/" + signed(derived(*d.Change))
				}
			}
			tw.Write([]byte("  Blood pressure\t" + measured(r.Value.Value) + "/" + measured(d.Value.Value) + "\t" + r.Value.Unit.Display() + "\t" + ymd(r.Date) + "\t" + prev + "\t" + change + "\n"))
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
	prev, change := "", ""
	if r.Previous != nil && r.PreviousDate != nil {
		p, pu := t.u.num(an, *r.Previous)
		if r.PreviousAsReported != nil && pu == r.Previous.Unit {
			// A conversion of the laboratory's value, as a converted
			// value is shown (display.go).
			p = converted(r.Previous.Value)
		}
		prev = r.PreviousComparator + p
		if pu != vu {
			prev += " " + pu.Display()
		}
		prev += " on " + ymd(*r.PreviousDate)
		if r.Change != nil && pu == vu {
			change = shownChange(v, p)
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

// decimals is the number of digits after the point in a formatted number.
func decimals(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// shownChange is the change from the previous to the latest value as the
// table shows them (latest − previous), to the decimals shown, with its
// sign: "+0.1", "-2", "0" (never "-0"). It is the difference of the
// numbers on the row, so the row adds up: an eGFR of 99.88 after 97.4
// reads "100 ... 97 ... +3" (the unrounded change, 2.48, is in --json
// latest_labs[].change). A number shown with a suffix ("60 (59.71
// unrounded)") counts by its first number.
func shownChange(latest, previous string) string {
	first := func(s string) (float64, int) {
		s, _, _ = strings.Cut(s, " ")
		v, _ := strconv.ParseFloat(s, 64)
		return v, decimals(s)
	}
	l, dl := first(latest)
	p, dp := first(previous)
	d := max(dl, dp)
	scale := math.Pow(10, float64(d))
	r := math.Round((l-p)*scale) / scale
	if r == 0 {
		return "0"
	}
	return signed(strconv.FormatFloat(r, 'f', d, 64))
}

// signed puts a "+" before a positive number; "0" stays "0".
func signed(s string) string {
	if s == "0" || strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}

// sameDay reports whether x and y fall on the same UTC date.
func sameDay(x, y time.Time) bool { return ymd(x.UTC()) == ymd(y.UTC()) }
