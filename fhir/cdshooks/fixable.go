package cdshooks

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"renalwatch/assess"
	"renalwatch/egfr"
	"renalwatch/record"
)

// fixableEGFR says, like notAssessed, what the assessment could not do
// when the latest creatinine gave no eGFR for want of something the EHR
// can record (trial 10 F10: a 12-year-old with a creatinine of 300
// umol/L and no height got cards for potassium, albuminuria and anaemia,
// and nothing said that kidney function was not assessed): no height in
// the window before the sample for a child's equation that needs one
// (CKiD U25, Pierce CB et al. Kidney Int 2021;99:948-956; bedside
// Schwartz, Schwartz GJ et al. J Am Soc Nephrol 2009;20:629-637), or a
// birth date too coarse to tell whether the adult or the paediatric
// equation applies. Only when the assessment lists it as the reason
// kidney.egfr is missing, and only for a creatinine within the
// assessment's current window (cfg.CurrentWindow): the reasons the EHR
// cannot fix (a creatinine on dialysis, an infant under an equation's
// validated age, a creatinine given as a bound) and an old sample make
// no card. Both "" otherwise.
func fixableEGFR(a assess.Assessment, p record.Patient, cfg *assess.Config) (detail, summary string) {
	n := a.Kidney.Series.Len()
	if n == 0 {
		return "", ""
	}
	last := a.Kidney.Series.At(n - 1)
	if last.Value != nil || a.AsOf.Sub(last.Date) > cfg.CurrentWindow || !listedMissing(a, last.Reason) {
		return "", ""
	}
	sample := "creatinine of " + day(last.Date)
	head, it := "Kidney function not assessed: ", "the creatinine"
	if a.Kidney.EGFR != nil {
		head, it = "Latest creatinine not assessed: ", "it"
	}
	var why, fix string
	switch {
	case strings.HasPrefix(last.Reason, assess.NoHeightReason):
		years, ok := p.AgeAt(last.Date)
		if !ok {
			return "", ""
		}
		eq := cfg.CreatinineEquation(years)
		title := eq
		if e, ok := egfr.Lookup(eq); ok {
			title = e.Title
		}
		days := strconv.Itoa(int(cfg.HeightWindow / (24 * time.Hour)))
		age := strconv.Itoa(years)
		summary = head + "no height in the " + days + " days before " + it + " (needed by " + title + " at age " + age + ")"
		why = "no height in the " + days + " days before it, needed by the " + title + " equation for a " + age + "-year-old"
		fix = "Record the child's height (measured within " + days + " days before a creatinine) in the EHR to have it assessed."
	case strings.HasPrefix(last.Reason, assess.BirthPrecisionReason):
		summary = head + "the birth date is known to the " + a.Patient.BirthPrecision + " only, so the age may be under or over 18"
		why = "the birth date is known to the " + a.Patient.BirthPrecision + " only, so the age at the sample may be under or over 18 and neither the adult nor the paediatric equation can be chosen"
		fix = "Record the full birth date in the EHR to have it assessed."
	default:
		return "", ""
	}
	if utf8.RuneCountInString(summary) >= maxSummary {
		summary = strings.TrimSuffix(head, ": ")
	}
	detail = "the " + sample + " gave no eGFR: " + why + ". "
	if a.Kidney.EGFR == nil {
		detail += "RenalWatch computed no eGFR, so no CKD G stage, no kidney failure risk (KFRE), no eGFR trend or renal response, and none of their cards. "
	} else {
		detail += "The eGFR the cards use is of " + day(a.Kidney.EGFR.Date) + ", before it. "
	}
	return detail + fix, summary
}

// listedMissing reports whether the assessment lists reason among why
// kidney.egfr is missing.
func listedMissing(a assess.Assessment, reason string) bool {
	for _, m := range a.Missing {
		if m.Path == "kidney.egfr" && reason != "" && strings.Contains(m.Reason, reason) {
			return true
		}
	}
	return false
}
