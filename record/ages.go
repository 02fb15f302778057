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
	// The year of age of the latest answer of Next from 1 year on: age
	// from the birthday at lo (Unix seconds, midnight UTC) to the next one
	// at hi, excluded (hi 0: none yet).
	lo, hi int64
	age    int
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

// Next is At for times asked mostly in order (an assessment's creatinines):
// it remembers the year of age of its latest answer, from one birthday to
// the next, and answers a time in that year without reading its calendar
// date. At counts a year at the birthday's date (UTC), so the year of age
// k runs from midnight UTC of the k-th birthday (by time.Date, which puts
// 29 February of a common year on 1 March, the first day At counts the
// year) to that of the next; only years from 1 on are remembered, which
// start after the birth itself (TestAgesNextIsAt).
func (g *Ages) Next(t time.Time) (int, bool) {
	if s := t.Unix(); s >= g.lo && s < g.hi {
		return g.age, true
	}
	age, ok := g.At(t)
	if ok && age >= 1 {
		g.age = age
		g.lo = time.Date(g.by+age, g.bm, g.bd, 0, 0, 0, 0, time.UTC).Unix()
		g.hi = time.Date(g.by+age+1, g.bm, g.bd, 0, 0, 0, 0, time.UTC).Unix()
	}
	return age, ok
}
