package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"renalwatch/assess"
)

// safeText is the one escaping function of the human (non-JSON) output:
// every text that came from input (ids, codes, displays, file names,
// reasons that quote them) goes through it before it is printed. Control
// characters (C0, DEL, C1), Unicode format characters (bidirectional
// overrides, zero-width) and line or paragraph separators are written as
// Go escapes (\n, \x1b, \u202e), and invalid UTF-8 as \xNN, so that input
// cannot forge rows, move the cursor or change the terminal. Printable
// text, including non-ASCII letters, is unchanged.
func safeText(s string) string {
	clean := true
	for _, r := range s {
		if needsEscape(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r):
			q := fmt.Sprintf("%+q", string(r)) // "\x1b", "\u202e"
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// safeLines escapes each line of a multi-line message (an error joined
// from several), keeping the line breaks the program put there.
func safeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safeText(l)
	}
	return strings.Join(lines, "\n")
}

// safe returns a copy of the import summary with every text that came
// from input escaped for printing.
func (s *importSummary) safe() *importSummary {
	c := *s
	c.Files = append([]fileSummary(nil), s.Files...)
	for i := range c.Files {
		c.Files[i].File = safeText(c.Files[i].File)
	}
	c.Rejected = append([]rejectedItem(nil), s.Rejected...)
	for i := range c.Rejected {
		r := &c.Rejected[i]
		r.File, r.ResourceType, r.ID, r.Reason = safeText(r.File), safeText(r.ResourceType), safeText(r.ID), safeText(r.Reason)
	}
	c.Retracted = safeRetracted(s.Retracted)
	c.Corrections = safeCorrected(s.Corrections)
	c.PatientUpdates, c.NotApplied = safeUpdated(s.PatientUpdates), safeUpdated(s.NotApplied)
	for _, l := range []*[]codeSummary{&c.Unmapped, &c.Ignored, &c.Skipped, &c.Notes} {
		*l = append([]codeSummary(nil), *l...)
		for i := range *l {
			x := &(*l)[i]
			x.ResourceType, x.System, x.Code, x.Display, x.Reason = safeText(x.ResourceType), safeText(x.System), safeText(x.Code), safeText(x.Display), safeText(x.Reason)
			x.Example = safeText(x.Example)
		}
	}
	return &c
}

// safe returns a copy of the list with the stored text escaped.
func (l *patientsList) safe() *patientsList {
	c := *l
	c.Patients = append([]patientRow(nil), l.Patients...)
	for i := range c.Patients {
		c.Patients[i].ID, c.Patients[i].Sex = safeText(c.Patients[i].ID), safeText(c.Patients[i].Sex)
	}
	return &c
}

// safe returns a copy of the report with the stored text escaped.
func safeReport(r *reportJSON) *reportJSON {
	c := *r
	c.Patient.ID, c.Patient.Sex = safeText(r.Patient.ID), safeText(r.Patient.Sex)
	c.Therapies = append([]assess.Therapy(nil), r.Therapies...)
	for i := range c.Therapies {
		c.Therapies[i].Name, c.Therapies[i].Dose = safeText(c.Therapies[i].Name), safeText(c.Therapies[i].Dose)
	}
	if rs := r.Lupus.Response; rs != nil {
		cp := *rs
		cp.Therapies = append([]string(nil), rs.Therapies...)
		for i := range cp.Therapies {
			cp.Therapies[i] = safeText(cp.Therapies[i])
		}
		cp.AddedTo = append([]string(nil), rs.AddedTo...)
		for i := range cp.AddedTo {
			cp.AddedTo[i] = safeText(cp.AddedTo[i])
		}
		cp.Concurrent = append([]assess.Concurrent(nil), rs.Concurrent...)
		for i := range cp.Concurrent {
			cp.Concurrent[i].Name = safeText(cp.Concurrent[i].Name)
		}
		c.Lupus.Response = &cp
	}
	c.Alerts = append([]assess.Alert(nil), r.Alerts...)
	for i := range c.Alerts {
		c.Alerts[i].Message = safeText(c.Alerts[i].Message)
	}
	c.Missing = append([]assess.Missing(nil), r.Missing...)
	for i := range c.Missing {
		c.Missing[i].Reason = safeText(c.Missing[i].Reason)
	}
	c.Patient.Updates = append([]assess.PatientUpdate(nil), r.Patient.Updates...)
	for i := range c.Patient.Updates {
		c.Patient.Updates[i].Text = safeText(c.Patient.Updates[i].Text)
	}
	c.NotUsed = append([]assess.NotUsed(nil), r.NotUsed...)
	for i := range c.NotUsed {
		c.NotUsed[i].ID, c.NotUsed[i].Reason = safeText(c.NotUsed[i].ID), safeText(c.NotUsed[i].Reason)
	}
	return &c
}
