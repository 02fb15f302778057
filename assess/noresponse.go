package assess

// noResponseAlert raises no-response-6m for an episode that reached no
// response. The time stated is that of the UPCR judged (r.AssessedAt), not
// of as_of: a judgement at 7.8 months is not "47.3 months" of data. When
// that UPCR is older than CurrentWindow the alert is not raised as current
// (a.stale records why in missing): the judgement describes the past, and
// a response may have come since without a measurement in the record.
func (a *assessor) noResponseAlert(r *Response) {
	at := derefTime(r.AssessedAt)
	if at.IsZero() {
		return
	}
	if a.stale("alerts."+AlertNoResponse6m, "the latest UPCR judged for the renal response", at) {
		return
	}
	a.alert(AlertNoResponse6m, Warning, "no renal response ("+*r.Response+" by "+string(r.Rule)+") at "+monthsText(months(r.Since, at))+
		" months after the start of therapy on "+date(r.Since)+" (UPCR of "+date(at)+"); the ACR (American College of Rheumatology) 2024 lupus nephritis guideline suggests considering a repeat biopsy at non-response after 6 months", r.Source, at)
}
