package record

import "time"

// Ages gives a patient's age in whole years at many times, as AgeAt does,
// with the birth date's calendar fields read once: an assessment asks for
// the age at every creatinine.
type Ages struct {
	birth time.Time
	by    int
	bm    time.Month
	bd    int
}

// Ages returns the age calculator of p's birth date.
func (p Patient) Ages() Ages { return agesOf(p.BirthDate) }

func agesOf(birth time.Time) Ages {
	g := Ages{birth: birth}
	if !birth.IsZero() {
		g.by, g.bm, g.bd = birth.UTC().Date()
	}
	return g
}

// At returns the age in whole years at t, and false when the birth date is
// unknown or after t (Patient.AgeAt).
func (g Ages) At(t time.Time) (int, bool) {
	if g.birth.IsZero() || t.Before(g.birth) {
		return 0, false
	}
	ty, tm, td := t.UTC().Date()
	age := ty - g.by
	if tm < g.bm || (tm == g.bm && td < g.bd) {
		age--
	}
	return age, true
}
