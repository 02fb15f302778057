package textfmt

import (
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/units"
)

// NotUsedLines is the "Not used" list of an assessment, one line per
// entry of not_used (NotUsed), except for the eGFRs RenalWatch computed in
// an earlier report (assess.FateOf): those of one equation and one fate
// share a line when there are two or more, their count and dates, "20
// eGFRs computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in
// an earlier report, 2020-05-28 to 2026-09-17: not laboratory results: not
// used; each date's eGFR is computed afresh from its creatinine in the
// record". Those whose creatinine is not in the record come first, each
// date with its value, since those dates have no eGFR from them. The
// other lines keep their place and words. The text report and the
// dashboard's patient page print it, so they agree; --json keeps one
// entry per record.
func NotUsedLines(ns []assess.NotUsed, d Display) []string {
	type key struct {
		equation string
		fate     assess.ComputedFate
	}
	groups := map[key][]assess.NotUsed{}
	var order []key
	var lines []string
	for _, n := range ns {
		f, ok := assess.FateOf(n)
		if !ok || n.Date == nil || n.Value == nil {
			lines = append(lines, NotUsed(n, d))
			continue
		}
		k := key{n.Equation, f}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], n)
	}
	for _, missing := range []bool{true, false} {
		for _, k := range order {
			if (k.fate == assess.SourceNotInRecord) != missing {
				continue
			}
			if g := groups[k]; len(g) == 1 {
				lines = append(lines, NotUsed(g[0], d))
			} else {
				lines = append(lines, computedGroup(g, k.fate, d))
			}
		}
	}
	return lines
}

// computedGroup is the line of two or more eGFRs, in time order, that one
// RenalWatch equation computed in an earlier report and whose dates fared
// f (assess.ComputedReason says the same of one).
func computedGroup(g []assess.NotUsed, f assess.ComputedFate, d Display) string {
	first, last := g[0].Date.UTC().Format(time.DateOnly), g[len(g)-1].Date.UTC().Format(time.DateOnly)
	span := first + " to " + last
	if first == last {
		span = "on " + first
	}
	s := strconv.Itoa(len(g)) + " eGFRs computed by RenalWatch with " + assess.EquationName(g[0].Equation) +
		" in an earlier report, " + span + ": not laboratory results: not used; "
	switch f {
	case assess.FreshFromCreatinine:
		return s + "each date's eGFR is computed afresh from its creatinine in the record"
	case assess.FreshFromCystatinC:
		return s + "each date's eGFR is computed afresh from its cystatin C in the record"
	}
	vs := make([]string, len(g))
	for i, n := range g {
		vs[i] = notUsedValue(units.EGFR, n, d, i == 0) + " on " + n.Date.UTC().Format(time.DateOnly)
	}
	return s + "the creatinine they were computed from is not in the record (import the laboratory's creatinine to have those dates assessed): " +
		strings.Join(vs, ", ")
}
