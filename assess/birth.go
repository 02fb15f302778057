package assess

// beforeBirth reports whether as_of is before the patient's birth date
// and, if so, records it in missing: nothing is computed for a day before
// birth (no age, eGFR, stage, response or alert). A birth date known to the
// month or year only is the earliest possible one, so as_of before it is
// before birth whatever the exact day.
func (a *assessor) beforeBirth() bool {
	b := a.tl.Patient.BirthDate
	if b.IsZero() || !a.asOf.Before(b) {
		return false
	}
	a.miss("as_of", "as_of "+date(a.asOf)+" is before the birth date "+date(b)+": the patient was not born, nothing is assessed")
	return true
}
