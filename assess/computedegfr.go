package assess

import (
	"slices"
	"strconv"
	"time"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/record"
	"renalwatch/units"
)

// ComputedEGFRSystem is the code system of the RenalWatch equation that
// computed an eGFR. The FHIR report Bundle writes it on every eGFR
// Observation (fhir.SystemEquation; docs/report.md), with or without a
// LOINC code. An eGFR read back with a code of this system was computed by
// RenalWatch in an earlier report: it is not a laboratory result.
const ComputedEGFRSystem = "urn:renalwatch:egfr-equation"

// OriginRenalWatchReport is NotUsed.Origin for an eGFR RenalWatch computed
// in an earlier report and read back from its FHIR Bundle.
const OriginRenalWatchReport = "renalwatch-report"

// ComputedEarlier reports whether o is an eGFR RenalWatch computed in an
// earlier report (its source code is in ComputedEGFRSystem), and the
// equation code it names ("ckd-epi-2021").
func ComputedEarlier(o *record.Observation) (string, bool) {
	if o.Analyte != units.EGFR {
		return "", false
	}
	c := o.SourceCode()
	return c.Code, c.System == ComputedEGFRSystem
}

// values returns the observations of an analyte the assessment reads, in
// time order: tl.Values(an) without the eGFRs RenalWatch computed in an
// earlier report. Such an eGFR is not a laboratory result; it is listed
// under not_used (notUsedComputed) and nothing of the assessment rests on
// it. The slice is shared; do not modify it.
func (a *assessor) values(an units.Analyte) []record.Observation {
	if an != units.EGFR {
		v := a.view(an)
		if v == nil {
			return a.tl.Values(an)
		}
		if !v.valsDone {
			v.vals, v.valsDone = a.tl.Values(an), true
		}
		return v.vals
	}
	obs := a.tl.Values(an)
	if !a.labEGFRDone {
		a.labEGFRDone, a.labEGFR = true, obs
		for i := range obs {
			if _, ok := ComputedEarlier(&obs[i]); ok {
				// Copied only when there is one to leave out.
				a.labEGFR = slices.DeleteFunc(slices.Clone(obs), func(o record.Observation) bool { _, ok := ComputedEarlier(&o); return ok })
				break
			}
		}
	}
	return a.labEGFR
}

// notUsedComputed lists, after the retracted records, the eGFRs at or
// before the effective date that RenalWatch computed in an earlier report
// (ComputedEarlier), in time order. A previously computed eGFR is never
// shown as a laboratory eGFR (which the report would have to call
// "reported by the laboratory") nor used in its place: the creatinine it
// was computed from, when it is in the record, gives this assessment's own
// eGFR by the equation of today's configuration.
func (a *assessor) notUsedComputed() {
	creat, cys := a.upTo(units.Creatinine), a.upTo(units.CystatinC)
	obs := a.tl.Values(units.EGFR)
	for i := range obs[:firstAfter(obs, a.asOf)] {
		o := &obs[i]
		code, ok := ComputedEarlier(o)
		if !ok {
			continue
		}
		fate := SourceNotInRecord
		switch {
		case takenAt(creat, o.Time):
			fate = FreshFromCreatinine
		case takenAt(cys, o.Time):
			fate = FreshFromCystatinC
		}
		reason := ComputedReason(code, fate)
		t, v := o.Time.UTC(), o.Value
		a.out.NotUsed = append(a.out.NotUsed, NotUsed{Kind: record.RetractObservation, ID: o.ID, Date: &t, What: o.Analyte.String(),
			Value: &v, Comparator: string(o.Comparator), Reason: reason, Origin: OriginRenalWatchReport, Equation: code})
	}
}

// ComputedFate says what became of the date of an eGFR RenalWatch
// computed in an earlier report (ComputedEarlier): its creatinine or
// cystatin C is in the record, and this assessment computes that date's
// eGFR afresh, or it is not, and the date has no eGFR from it.
type ComputedFate int

const (
	FreshFromCreatinine ComputedFate = iota
	FreshFromCystatinC
	SourceNotInRecord
)

// EquationName is the title of the RenalWatch equation code ("CKD-EPI
// 2021 creatinine (race-free)" for "ckd-epi-2021"), or the code itself
// when RenalWatch has no such equation.
func EquationName(code string) string {
	if eq, ok := egfr.Lookup(code); ok {
		return eq.Title
	}
	return code
}

// ComputedReason is the not_used reason of an eGFR the RenalWatch
// equation code computed in an earlier report, whose date fared f.
func ComputedReason(code string, f ComputedFate) string {
	reason := "computed by RenalWatch with " + EquationName(code) + " in an earlier report, not a laboratory result: not used; "
	switch f {
	case FreshFromCreatinine:
		return reason + "the eGFR of that date is computed afresh from its creatinine in the record"
	case FreshFromCystatinC:
		return reason + "the eGFR of that date is computed afresh from its cystatin C in the record"
	}
	return reason + "the creatinine it was computed from is not in the record (import the laboratory's creatinine to have that date assessed)"
}

// FateOf returns the ComputedFate an entry of not_used of an eGFR
// RenalWatch computed in an earlier report states (its reason is
// ComputedReason), and false for any other entry.
func FateOf(n NotUsed) (ComputedFate, bool) {
	if n.Origin != OriginRenalWatchReport || n.What != units.EGFR.String() {
		return 0, false
	}
	for _, f := range []ComputedFate{FreshFromCreatinine, FreshFromCystatinC, SourceNotInRecord} {
		if n.Reason == ComputedReason(n.Equation, f) {
			return f, true
		}
	}
	return 0, false
}

// takenAt reports whether obs (in time order) holds one taken at t: the sample
// an eGFR of a report Bundle was computed from has the eGFR's time.
func takenAt(obs []record.Observation, t time.Time) bool {
	j := firstFrom(obs, t)
	return j < len(obs) && obs[j].Time.Equal(t)
}

// computedEarlierUpTo returns how many eGFRs at or before the effective
// date RenalWatch computed in an earlier report, and the latest of them.
func (a *assessor) computedEarlierUpTo() (int, *record.Observation) {
	n, obs := 0, a.tl.Values(units.EGFR)
	var last *record.Observation
	for i := range obs[:firstAfter(obs, a.asOf)] {
		if _, ok := ComputedEarlier(&obs[i]); ok {
			n, last = n+1, &obs[i]
		}
	}
	return n, last
}

// computedEarlierMissing says, for kidney.egfr in missing, what the
// record's eGFRs computed by RenalWatch in an earlier report would have
// told: with no eGFR here (latest nil), that they exist and are not
// used; with one, that a newer one exists whose creatinine is not in the
// record. It says nothing when there is none, or none newer.
func (a *assessor) computedEarlierMissing(latest *point) {
	n, last := a.computedEarlierUpTo()
	if last == nil || latest != nil && !last.Time.After(latest.obs.Time) {
		return
	}
	v := ckd.EGFRText(last.Value.Value) + " " + last.Value.Unit.Display() + " on " + date(last.Time)
	if latest != nil {
		a.miss("kidney.egfr", "an eGFR computed by RenalWatch in an earlier report ("+v+") is newer than the latest eGFR here, but the creatinine it was computed from is not in the record: it is not a laboratory result and is not used (listed under Not used); import that creatinine")
		return
	}
	what := "an eGFR"
	if n > 1 {
		what = strconv.Itoa(n) + " eGFRs"
	}
	a.miss("kidney.egfr", "the record holds "+what+" computed by RenalWatch in an earlier report (latest "+v+", listed under Not used): not laboratory results and not used here; import the creatinine they were computed from")
}
