package server

import (
	"strconv"
	"strings"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// kfreView is the KFRE row of the patient page's Kidney block: the result
// on its own line, its basis and source below in small type (as the
// alerts give theirs), or why it was not computed.
type kfreView struct {
	Result string // "2-year 22.7%, 5-year 55.2%"; "" when not computed
	Basis  string // "4-variable model, North American calibration; ACR 744 mg/g estimated"
	Note   string // how the ACR was estimated (assess.KFRE.ACRNote)
	Source string
	Why    string // not computed: the assessment's reason ("not applicable: age 11 (…)")
}

// kfreOf words the assessment's KFRE as the text report does (numbers by
// internal/textfmt: risks as percentages, an estimated ACR as a converted
// value of 3 significant digits), in SI units when si.
func kfreOf(k *assess.KFRE, missing []assess.Missing, si bool) kfreView {
	if k == nil {
		var why []string
		for _, m := range missing {
			if m.Path == "kidney.kfre" {
				why = append(why, m.Reason)
			}
		}
		if len(why) == 0 {
			return kfreView{Why: "not computed"}
		}
		r := strings.Join(why, "; ")
		if !strings.HasPrefix(r, "not applicable") {
			r = "not computed: " + r
		}
		return kfreView{Why: r}
	}
	q := k.ACR
	converted := false
	note := k.ACRNote
	if si {
		note = assess.RenderQuotes(k.ACRNote, k.ACRNoteQuotes, siShow)
		if c, err := units.ACR.Convert(q, siUnit[units.ACR]); err == nil {
			q, converted = c, true
		}
	}
	// A measured ACR at its laboratory precision; one converted for
	// display at 3 significant digits; an estimate (Sumida conversion),
	// computed, at 4 with trailing zeros (textfmt.Estimated), as the report and kfre --pcr.
	acr := textfmt.LabQ(units.ACR, q)
	switch {
	case k.ACRSource == "estimated":
		acr = textfmt.Estimated(q.Value) + " " + q.Unit.Display()
	case converted:
		acr = textfmt.Converted(units.ACR, q.Value, q.Unit) + " " + q.Unit.Display()
	}
	return kfreView{
		Result: "2-year " + textfmt.Percent(k.Risk2y) + ", 5-year " + textfmt.Percent(k.Risk5y),
		Basis:  strconv.Itoa(k.Variables) + "-variable model, " + k.Region.Calibration() + " calibration; ACR " + acr + " " + k.ACRSource,
		Note:   note,
		Source: k.Source,
	}
}
