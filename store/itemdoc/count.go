package itemdoc

import "renalwatch/store"

// Count sets the count of kind in s to n (a row of SELECT patient_id,
// kind, count(*) FROM items GROUP BY patient_id, kind); an unknown kind is
// ignored.
func Count(s *store.PatientSummary, kind string, n int) {
	switch kind {
	case KindCondition:
		s.Conditions = n
	case KindFinding:
		s.Findings = n
	case KindBiopsy:
		s.Biopsies = n
	case KindTherapy:
		s.Therapies = n
	case KindReplacement:
		s.Replacements = n
	}
}
