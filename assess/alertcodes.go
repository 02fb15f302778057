package assess

// AlertCodes lists every alert code Assess can raise, in the order of the
// constants. Callers that accept a code from a user (such as the patient
// list's --filter alert=CODE) check it against this list so that a typo
// is an error, not an empty list. A test keeps it complete.
func AlertCodes() []string {
	return []string{
		AlertCKDG4, AlertCKDG5, AlertKFRE5yReferral, AlertKFRE2yMultidisciplinary, AlertKFRE2yKRTPlanning,
		AlertRapidProgression, AlertEGFRDrop, AlertNephroticProteinuria, AlertActiveSediment,
		AlertRenalFlare, AlertNoResponse6m, AlertMonitoringOverdue, AlertAnemia, AlertBPAboveTarget,
		AlertHyperkalemia, AlertKidneyReplacement, AlertInvestigationalTherapy, AlertAlbuminuriaReferral,
		AlertLNEvaluation,
	}
}
