package assess

import (
	"strings"

	"renalwatch/ckd"
	"renalwatch/internal/labtext"
	"renalwatch/lupus"
	"renalwatch/units"
)

// srcRepeatBiopsy is the guideline the no-response alert quotes: ACR 2024
// LN guideline (Sammaritano LR et al. Arthritis Care Res 2025;77:1045),
// consider a repeat kidney biopsy at non-response after 6 months of
// therapy (lupus.md §2.5).
const srcRepeatBiopsy = "ACR (American College of Rheumatology) 2024 lupus nephritis guideline (Sammaritano LR et al. Arthritis Care Res 2025;77:1045): consider a repeat kidney biopsy at non-response after 6 months of therapy"

// ruleTitles name the response rules as their sources do, for text.
var ruleTitles = map[lupus.ResponseRule]string{
	lupus.KDIGO2024: "KDIGO 2024", lupus.EULAR2019: "EULAR 2019", lupus.ACR2024: "ACR 2024",
}

// ruleTitle is a response rule as people name it ("KDIGO 2024" for
// kdigo-2024); a rule without a title keeps its code.
func ruleTitle(r lupus.ResponseRule) string {
	if s, ok := ruleTitles[r]; ok {
		return s
	}
	return string(r)
}

// noResponseAlert raises no-response-6m for an episode that reached no
// response. The time stated is that of the UPCR judged (r.AssessedAt), not
// of as_of: a judgement at 7.8 months is not "47.3 months" of data. When
// that UPCR is older than CurrentWindow the alert is not raised as current
// (a.stale records why in missing): the judgement describes the past, and
// a response may have come since without a measurement in the record.
// The message names the partial-response criterion that failed (trial
// #12) and the source cites both the response rule and the ACR 2024
// guideline whose repeat-biopsy advice it quotes (trial #11).
func (a *assessor) noResponseAlert(r *Response) {
	at := derefTime(r.AssessedAt)
	if at.IsZero() {
		return
	}
	if a.stale("alerts."+AlertNoResponse6m, "the latest UPCR judged for the renal response", at) {
		return
	}
	msg := "no renal response (" + ruleTitle(r.Rule) + " criteria) at " + monthsText(months(r.Since, at)) +
		" months after the start of therapy on " + date(r.Since) + " (UPCR of " + date(at) + ")"
	parts := []text{str(msg)}
	if why, qs := ResponseShortfall(r); why != "" {
		parts = append(parts, str("; "), text{s: why, qs: qs})
	}
	m := a.cat(append(parts, str("; the ACR (American College of Rheumatology) 2024 lupus nephritis guideline suggests considering a repeat biopsy at non-response after 6 months"))...)
	src := srcRepeatBiopsy
	if r.Source != "" {
		src = r.Source + "; " + srcRepeatBiopsy
	}
	a.alertT(AlertNoResponse6m, Warning, m, src, at)
}

// ResponseShortfall names, for a kdigo-2024 or eular-2019 response of
// "none", the partial-response criteria that were not met, with their
// numbers: "not partial: eGFR 27 is 15% below baseline 32 (...)".
// Partial response (KDIGO 2024 LN guideline: UPCR reduced by >= 50% and
// below 3 g/g with eGFR within 10-15% of baseline, RenalWatch applying
// 10%; EULAR 2019: >= 50% to sub-nephrotic with (near-)normal GFR, read as
// eGFR >= 90 or no more than 10% below baseline; lupus.Response) is the
// lesser response, so its failed criteria say why none was reached. ""
// otherwise. The quotes are the UPCR it quotes (RenderQuotes shows it in
// another unit system).
func ResponseShortfall(r *Response) (string, []Quote) {
	if r == nil || r.Response == nil || *r.Response != lupus.ResponseNone ||
		(r.Rule != lupus.KDIGO2024 && r.Rule != lupus.EULAR2019) || len(r.Criteria) != 4 {
		return "", nil
	}
	var fail []text
	for i, c := range r.Criteria {
		if i == 0 || c.Met == nil || *c.Met {
			continue // criterion 0 is the complete response's UPCR
		}
		switch i {
		case 1:
			if r.EGFR == nil || r.BaselineEGFR == nil || *r.BaselineEGFR <= 0 {
				fail = append(fail, str(c.Name))
				continue
			}
			// A whole percent, from the unrounded eGFRs, kept on its side
			// of the 10% (and KDIGO's 15%) it is read against (egfrPct).
			why, bounds := "EULAR 2019 asks for (near-)normal GFR: eGFR >= 90 or no more than 10% below baseline", []float64{10}
			if r.Rule == lupus.KDIGO2024 {
				why, bounds = "KDIGO 2024 asks for eGFR within 10-15% of baseline; RenalWatch applies 10%", []float64{10, 15}
			}
			pct, note := egfrPct(*r.EGFR, *r.BaselineEGFR, pctBelow, bounds...)
			if note != "" {
				why = note + "; " + why
			}
			fail = append(fail, str("eGFR "+ckd.EGFRText(*r.EGFR)+" is "+pct+"% below baseline "+ckd.EGFRText(*r.BaselineEGFR)+" ("+why+")"))
		case 2:
			b, err1 := units.PCR.Convert(derefQ(r.BaselineUPCR), units.GPerG)
			u, err2 := units.PCR.Convert(derefQ(r.UPCR), units.GPerG)
			if err1 != nil || err2 != nil || b.Value <= 0 {
				fail = append(fail, str(c.Name))
				continue
			}
			// Signed changes are worded by their direction (trial 3 #6:
			// "fell by -28.26%" was a rise).
			switch fall := (b.Value - u.Value) / b.Value * 100; {
			case fall > 0:
				fail = append(fail, str("UPCR fell by "+labtext.Pct(fall, 50)+"% from baseline (at least 50% required)"))
			case fall < 0:
				fail = append(fail, str("UPCR rose by "+labtext.Pct(-fall)+"% from baseline (a fall of at least 50% is required)"))
			default:
				fail = append(fail, str("UPCR unchanged from baseline (a fall of at least 50% is required)"))
			}
		case 3:
			// The UPCR failed "< 3 g/g" (KDIGO 2024) or "< 3.5 g/g"
			// (EULAR 2019): no rounding brings it below.
			u := labT(units.PCR, derefQ(r.UPCR))
			if r.Rule == lupus.KDIGO2024 {
				u = u.withCuts(nephroticCuts) // "< 3 g/g (300 mg/mmol)": KDIGO's pairing
			}
			fail = append(fail, cat(str("UPCR "), u, str(", required "+strings.TrimPrefix(c.Name, "UPCR "))))
		}
	}
	if len(fail) == 0 {
		return "", nil
	}
	parts := make([]text, 0, 2*len(fail))
	for i, f := range fail {
		sep := "; "
		if i == 0 {
			sep = "not partial: "
		}
		parts = append(parts, str(sep), f)
	}
	t := cat(parts...)
	return t.s, t.quotes()
}

func derefQ(q *units.Quantity) units.Quantity {
	if q == nil {
		return units.Quantity{}
	}
	return *q
}
