package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/responsetext"
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// The text report (docs/report.md, "The text report"): identity, kidney,
// lupus (only when the lupus rules apply), latest labs, alerts, therapy
// courses, what was not assessed, footnotes. It shows what --json holds,
// rounded by the policy of format.go and in the units of --units.

// textReport renders one report; notes collects the footnotes.
type textReport struct {
	r     *reportJSON
	u     unitSystem
	b     strings.Builder
	notes []string
}

func printReport(w io.Writer, r *reportJSON, u unitSystem) error {
	r = safeReport(inUnits(r, u)) // messages in the units shown (reportunits.go), stored text escaped (safetext.go)
	t := &textReport{r: r, u: u}
	t.b.WriteString(reportHeader(r))
	t.kidney()
	if r.Lupus.Applicable {
		t.lupus()
	}
	t.labs()
	t.alerts()
	t.therapies()
	t.missing()
	t.notUsed()
	t.footnotes()
	t.b.WriteString("\nRenalWatch informs clinical judgement; it does not prescribe.\n")
	_, err := io.WriteString(w, t.b.String())
	return err
}

// line writes one "  Label     text" line of a block.
func (t *textReport) line(label, text string) {
	fmt.Fprintf(&t.b, "  %-9s %s\n", label, text)
}

// more writes a continuation line under a block line.
func (t *textReport) more(text string) {
	fmt.Fprintf(&t.b, "  %-9s %s\n", "", text)
}

// note adds a footnote and returns its marker, " [n]"; the same text gets
// the same number.
func (t *textReport) note(text string) string {
	i := slices.Index(t.notes, text)
	if i < 0 {
		t.notes = append(t.notes, text)
		i = len(t.notes) - 1
	}
	return fmt.Sprintf(" [%d]", i+1)
}

// eqTitle is an eGFR equation as people name it (textfmt.EquationTitle).
func eqTitle(name string) string { return textfmt.EquationTitle(name) }

// ymd is a date as the report writes it, YYYY-MM-DD.
func ymd(t time.Time) string { return t.Format(time.DateOnly) }

func (t *textReport) kidney() {
	k := t.r.Kidney
	t.b.WriteString("\nKidney\n")
	switch e := k.EGFR; {
	case e != nil && e.Reported != nil:
		lab := e.Reported.Origin()
		if e.Reported.LabEquation != "" {
			lab += ", " + e.Reported.LabEquation
		}
		t.line("eGFR", egfrText(e.Value, e.Unit.Display())+" on "+ymd(e.Date)+" (reported by the laboratory: "+lab+"; no creatinine in the record gives a computed eGFR)")
		for _, w := range e.Warnings {
			t.more("warning: " + w)
		}
	case e != nil:
		// The equation's title names its markers ("creatinine-cystatin C").
		t.line("eGFR", egfrText(e.Value, e.Unit.Display())+" on "+ymd(e.Date)+", "+eqTitle(e.Equation))
	default:
		t.line("eGFR", "none"+textfmt.NoEGFRSex(t.r.Patient.Sex))
	}
	if text := textfmt.Stage(k.EGFR, k.Stage, t.u.display()); text != "" {
		if note := textfmt.StageNote(k.Stage); note != "" {
			text += t.note(note)
		}
		t.line("Stage", text)
		for _, w := range k.Stage.Warnings {
			t.more("warning: " + w)
		}
		t.line("Persists", textfmt.Persists(k.Stage, t.u.display())+t.note(textfmt.PersistsNote))
	}
	if s := k.Slope; s != nil {
		t.line("Trend", textfmt.Trend(*s))
	}
	if f := k.KFRE; f != nil {
		// The KFRE takes the eGFR of the line above (kidney.egfr); its
		// equation and date are named only when they differ.
		in := ""
		if e := k.EGFR; e == nil || e.Equation != f.EGFREquation || !sameDay(e.Date, f.EGFRDate) {
			in = "; eGFR " + egfrText(f.Inputs.EGFR, "") + " " + eqTitle(f.EGFREquation) + " of " + ymd(f.EGFRDate)
		}
		acr := t.u.showQ(units.ACR, f.ACR)
		if f.ACRSource == "estimated" {
			// An estimate (Sumida conversion) is computed, not measured:
			// 4 significant digits, trailing zeros kept, as kfre --pcr prints it.
			q := t.u.show(units.ACR, f.ACR)
			acr = estimated(q.Value) + " " + q.Unit.Display()
		}
		t.line("KFRE", "2-year "+percent(f.Risk2y)+", 5-year "+percent(f.Risk5y)+fmt.Sprintf(" (%d-variable, %s calibration; ACR %s %s%s)",
			f.Variables, f.Region.Calibration(), acr, f.ACRSource, in))
		if f.ACRNote != "" {
			t.more(f.ACRNote)
		}
		for _, w := range f.Warnings {
			if in == "" && strings.HasPrefix(w, "eGFR entered: ") {
				continue // the eGFR of the line above, said in --json
			}
			t.more(w)
		}
	}
	for _, rp := range k.Replacement {
		t.line("KRT", textfmt.KRT(rp))
	}
}

func (t *textReport) lupus() {
	l := t.r.Lupus
	t.b.WriteString("\nLupus\n")
	if s := l.SLEDAI; s != nil {
		basis := "from descriptors"
		if s.Basis != "descriptors" {
			basis = s.Basis
		}
		t.line("Activity", fmt.Sprintf("SLEDAI-2K %d on %s (%s)", s.Score, ymd(s.Date), basis))
	}
	if bx := l.Biopsy; bx != nil {
		ai, ci := "not assessed", "not assessed"
		if bx.ActivityIndex != nil {
			ai = fmt.Sprint(*bx.ActivityIndex)
		}
		if bx.ChronicityIndex != nil {
			ci = fmt.Sprint(*bx.ChronicityIndex)
		}
		t.line("Biopsy", ymd(bx.Date)+": ISN/RPS class "+bx.Class+", activity index "+ai+", chronicity index "+ci)
	}
	if rs := l.Response; rs != nil {
		lines := responsetext.Lines(rs, t.u.display())
		t.line("Response", lines[0]+t.note(assess.LNUncontrolledCaveat)) // a response is judged only with lupus nephritis
		for _, m := range lines[1:] {
			t.more(m)
		}
	}
	for _, f := range l.Flares {
		_, prov := provenance(f.Source)
		mark := ""
		if prov != "" {
			mark = t.note(prov)
		}
		t.line("Flare", textfmt.Flare(f, t.u.display(), mark))
	}
	if len(l.Serology) == 0 {
		t.line("Serology", textfmt.NoSerology(t.r.EffectiveDate))
	}
	for i, s := range l.Serology {
		label := "Serology"
		if i > 0 {
			label = ""
		}
		t.line(label, textfmt.Serology(s, t.u.display()))
	}
}

func (t *textReport) alerts() {
	if len(t.r.Alerts) == 0 {
		return
	}
	t.b.WriteString("\nAlerts\n")
	for _, al := range t.r.Alerts {
		src, prov := provenance(al.Source)
		if prov != "" {
			src += t.note(prov)
		}
		fmt.Fprintf(&t.b, "  %-8s %s\n", al.Severity, al.Message)
		fmt.Fprintf(&t.b, "  %-8s source: %s\n", "", src)
	}
}

// provenance splits a rule's source into the citation and a caveat on
// how far its wording was checked ("not confirmed word for word"), which
// the text report prints as a footnote rather than in the citation.
func provenance(src string) (citation, caveat string) {
	for _, marker := range []string{" (not confirmed word for word", "; primary source not confirmed"} {
		if i := strings.Index(src, marker); i >= 0 {
			rest := strings.TrimPrefix(strings.TrimPrefix(src[i:], " ("), "; ")
			rest = strings.TrimSuffix(rest, ")")
			rest = strings.TrimSuffix(strings.TrimSuffix(rest, "; see docs/caveats.md"), " (see docs/caveats.md)")
			return src[:i], "Rule provenance: " + src[:i] + ": " + rest + " against the primary source (docs/caveats.md)."
		}
	}
	return src, ""
}

func (t *textReport) footnotes() {
	if len(t.notes) == 0 {
		return
	}
	t.b.WriteString("\nNotes\n")
	for i, n := range t.notes {
		fmt.Fprintf(&t.b, "  [%d] %s\n", i+1, n)
	}
}
