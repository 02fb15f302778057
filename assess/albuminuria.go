package assess

import (
	"time"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// AlertAlbuminuriaReferral: a KDIGO referral criterion for significant
// albuminuria.
const AlertAlbuminuriaReferral = "albuminuria-referral"

// srcAlbuminuriaReferral cites the criterion.
const srcAlbuminuriaReferral = "KDIGO 2012 CKD guideline rec 5.1.1, kept in KDIGO 2024: refer to specialist kidney care for a consistent finding of significant albuminuria (ACR >= 300 mg/g [>= 30 mg/mmol], approximately equivalent to PCR >= 500 mg/g [>= 50 mg/mmol])"

// albuminuriaCut is the KDIGO 2012 rec 5.1.1 threshold of each ratio in
// each unit it is reported in (compared in the unit of report, as the A
// category is).
var albuminuriaCut = map[units.Analyte]map[units.Unit]float64{
	units.ACR: {units.MgPerG: 300, units.MgPerMmol: 30, units.GPerG: 0.3},
	units.PCR: {units.MgPerG: 500, units.MgPerMmol: 50, units.GPerG: 0.5},
}

// meetsReferral reports whether o is at or above its threshold, in the
// unit the source reported it, and the threshold as text.
func meetsReferral(o record.Observation) (bool, text) {
	q := reported(o)
	cut, ok := albuminuriaCut[o.Analyte][q.Unit]
	if !ok {
		// A unit without a listed threshold: compare in the canonical unit.
		q = o.Value
		cut, ok = albuminuriaCut[o.Analyte][q.Unit]
		if !ok {
			return false, text{}
		}
	}
	return q.Value >= cut, thresholdT(o.Analyte, units.Q(cut, q.Unit)).withCuts(albuminuriaCuts[o.Analyte])
}

// referralText is o's ratio in its unit of report at laboratory precision
// (labq), kept to 6 significant digits when rounding would reach the
// referral threshold it is compared with.
func referralText(o record.Observation) text {
	q := reported(o)
	if cut, ok := albuminuriaCut[o.Analyte][q.Unit]; ok {
		return labT(o.Analyte, q, cut).withCuts(albuminuriaCuts[o.Analyte])
	}
	return labT(o.Analyte, q)
}

// albuminuriaCuts are albuminuriaCut as quantities (Quote.Cuts): KDIGO
// pairs 30 mg/mmol with 300 mg/g (which is 33.9 mg/mmol).
var albuminuriaCuts = map[units.Analyte][]units.Quantity{
	units.ACR: {units.Q(300, units.MgPerG), units.Q(30, units.MgPerMmol), units.Q(0.3, units.GPerG)},
	units.PCR: {units.Q(500, units.MgPerG), units.Q(50, units.MgPerMmol), units.Q(0.5, units.GPerG)},
}

// albuminuriaReferral raises albuminuria-referral on the latest current
// ratio (ACR or UPCR, as the A category is chosen: ratioOrder) at or above the KDIGO 2012
// rec 5.1.1 threshold. The rule asks for a consistent finding: when the
// measurement before it (same ratio, same kidney state) also met the
// threshold the alert is a warning, like the other referral criteria
// (ckd-g4, ckd-g5, kfre-5y-referral); a single value is info, asking for a
// repeat, because one ratio varies from day to day (KDIGO 2024 asks for
// confirmation of an elevated ACR on repeat samples). Not raised on
// dialysis, where referral has happened. With lupus nephritis (diagnosis
// or biopsy) it is always info: those patients are under specialist
// kidney care. SLE without known nephritis keeps the warning: there,
// proteinuria at this level calls for a nephrologist (and a biopsy).
func (a *assessor) albuminuriaReferral() {
	if a.onDialysis != nil {
		return
	}
	o, found := a.currentRatio()
	if !found {
		return
	}
	met, cut := meetsReferral(o)
	if !met {
		return
	}
	name, what := "ACR", "significant albuminuria"
	if o.Analyte == units.PCR {
		name, what = "UPCR", "significant proteinuria (the albuminuria criterion by PCR)"
	}
	msg := append(make([]text, 0, 8), str(name+" "), referralText(o), str(" on "+date(o.Time)+" is at or above "), cut)
	prev := a.ratioBefore(o, false)
	sev := Info
	switch {
	case prev != nil && a.currentState(prev.Time):
		if m, _ := meetsReferral(*prev); m {
			sev = Warning
			msg = append(msg, str(", as was "), referralText(*prev), str(" on "+date(prev.Time)+": a consistent finding of "+what+", a criterion for referral to specialist kidney care"))
			break
		}
		msg = append(msg, str("; the value before it ("), referralText(*prev), str(" on "+date(prev.Time)+") was below: a consistent finding on a repeat value is a criterion for referral to specialist kidney care"))
	default:
		msg = append(msg, str("; a single value: a consistent finding on a repeat value is a criterion for referral to specialist kidney care"))
	}
	if a.hasCondition(record.LupusNephritis) || a.out.Lupus.Biopsy != nil {
		// Every patient with lupus nephritis is under specialist kidney
		// care already: the referral rule adds nothing to act on, so it
		// is shown as information only.
		sev = Info
		msg = append(msg, str(" (with lupus nephritis the patient is normally under specialist kidney care already)"))
	}
	// A child under 2 years at the ratio: the threshold is an adult one
	// (ckd.AReferralUnder2), as the A category's caveat says.
	source := "acr"
	if o.Analyte == units.PCR {
		source = "pcr"
	}
	if note := a.ratioUnder2(o.Time, source, ckd.AReferralUnder2); note != "" {
		msg = append(msg, str("; "+note))
	}
	a.alertT(AlertAlbuminuriaReferral, sev, a.cat(msg...), srcAlbuminuriaReferral, o.Time)
}

// currentRatio is the latest current urine ratio, ACR or UPCR, chosen as
// the A category is (ratioOrder).
func (a *assessor) currentRatio() (record.Observation, bool) {
	for _, an := range a.ratioOrder(a.asOf) {
		if x, ok := a.current(an); ok {
			return x, true
		}
	}
	return record.Observation{}, false
}

// ratioBefore is the measured value of o's ratio taken before o (the
// repeat value a consistent finding is judged on), or nil. With otherDay it
// is the latest taken on an earlier day than o.
func (a *assessor) ratioBefore(o record.Observation, otherDay bool) *record.Observation {
	obs := a.upTo(o.Analyte)
	for i := len(obs) - 1; i >= 0; i-- {
		if x := obs[i]; x.Time.Before(o.Time) && x.Comparator == record.Exact && !(otherDay && sameDay(x.Time, o.Time)) {
			return &obs[i]
		}
	}
	return nil
}

// ratioOrder is the one rule for which urine ratio describes the present
// albuminuria, for the A category (stage), the albuminuria-referral alert
// and the KFRE's ACR: the most recent measured ratio at or before at, ACR or
// UPCR, first; on the same day (or when neither or only an ACR was
// measured) the ACR first. KDIGO classifies albuminuria by the current
// measurement (KDIGO 2024 CKD guideline, Kidney Int 2024;105(4S):S117-S314:
// A categories by ACR, PCR by its approximate equivalents), and prefers the
// ACR when both measure the same urine (Sumida K et al. Ann Intern Med
// 2020;173:426-435: "urine ACR is the preferred measure of albuminuria").
// An older ACR does not outrank a newer UPCR (trial: an ACR of 20 mg/g in
// January gave A1 beside a UPCR of 2.1 g/g in November).
func (a *assessor) ratioOrder(at time.Time) [2]units.Analyte {
	acr, okA := a.latestExact(units.ACR, at, 0)
	pcr, okP := a.latestExact(units.PCR, at, 0)
	if okP && (!okA || (pcr.Time.After(acr.Time) && !sameDay(pcr.Time, acr.Time))) {
		return [2]units.Analyte{units.PCR, units.ACR}
	}
	return [2]units.Analyte{units.ACR, units.PCR}
}
