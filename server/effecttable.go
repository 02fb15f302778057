package server

import (
	"strconv"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
)

// effectGroup is one therapy's rows of the patient page's before/after
// table (trial #8): the drug (with its indication, such as graft
// immunosuppression) and evidence level once, as the group's heading,
// then one row per course. Caution is the text report's caution for a
// course of unestablished benefit (textfmt.Unestablished), "" otherwise.
type effectGroup struct {
	Name, Indication string
	Evidence         assess.Evidence
	Caution          string
	Courses          []effectRow
}

// effectRow is one course of the table. A slope reads as the report's
// trend line, with its 95% CI, values and span (textfmt.Trend; trial 8
// F1: a bare "-31.05" over 3 values hid a CI of -325 to 263); a slope
// not estimated says why, with the assessment's reason (its "missing"
// entry: fewer than 3 values over 90 days, dialysis, graft); so does a
// UPCR change not computed (NoUPCR6m, NoUPCR12m: too early, no UPCR near
// the time point; trial 11 F3: the cells showed a bare "–"). Alongside
// names the therapies running in the 12 months after its start, as the
// text report does (textfmt.Alongside; trial 9 F-h).
type effectRow struct {
	assess.Therapy
	NoBefore, NoAfter   string
	NoUPCR6m, NoUPCR12m string
	Alongside           string
}

// effectGroups groups the therapy courses ths by drug, indication and
// evidence level: the groups in the order of their first course, the
// courses of a group in the order of ths (start date, then name, then id;
// assess lists them so). missing is the assessment's list, for the
// reasons a slope is absent.
func effectGroups(ths []assess.Therapy, missing []assess.Missing) []effectGroup {
	why := map[string]string{}
	for _, m := range missing {
		why[m.Path] = m.Reason
	}
	reason := func(i int, field string) string {
		p := "therapies[" + strconv.Itoa(i) + "].effect"
		for _, k := range []string{p + "." + field, p, "therapies"} {
			if r, ok := why[k]; ok {
				return r
			}
		}
		return ""
	}
	var out []effectGroup
	at := map[[3]string]int{}
	for i, th := range ths {
		k := [3]string{th.Name, th.Indication, string(th.Evidence)}
		g, ok := at[k]
		if !ok {
			g = len(out)
			at[k] = g
			out = append(out, effectGroup{Name: th.Name, Indication: th.Indication, Evidence: th.Evidence, Caution: textfmt.Unestablished(th)})
		}
		row := effectRow{Therapy: th, Alongside: textfmt.Alongside([]assess.Therapy{th})}
		if th.Effect.EGFRSlopeBefore == nil {
			row.NoBefore = reason(i, "egfr_slope_before")
		}
		if th.Effect.EGFRSlopeAfter == nil {
			row.NoAfter = reason(i, "egfr_slope_after")
		}
		if th.Effect.UPCRChange6m == nil {
			row.NoUPCR6m = reason(i, "upcr_change_6m")
		}
		if th.Effect.UPCRChange12m == nil {
			row.NoUPCR12m = reason(i, "upcr_change_12m")
		}
		out[g].Courses = append(out[g].Courses, row)
	}
	return out
}
