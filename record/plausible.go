package record

import (
	"errors"
	"fmt"
	"iter"
	"time"
)

// ErrImplausibleDate is the reason a birth date before EarliestBirth, or an
// item dated before the patient's birth, is refused.
var ErrImplausibleDate = errors.New("implausible date")

// EarliestBirth is the earliest birth date RenalWatch accepts (the bound
// issue 8 sets). The oldest verified human lifespan is 122 years and 164
// days (Jeanne Calment, 21 February 1875 - 4 August 1997; confirmed in her
// Wikipedia article, which cites the Guinness and GRG validation); no
// living patient was born before 1890, so an earlier birth date is a data
// error (a placeholder such as 0001-01-01 or 1900-01-01 typed as 1600),
// not a record to compute ages from.
var EarliestBirth = time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC)

// CheckBirthDate returns an error wrapping ErrImplausibleDate when a known
// birth date lies before EarliestBirth.
func CheckBirthDate(birth time.Time) error {
	if !birth.IsZero() && birth.Before(EarliestBirth) {
		return fmt.Errorf("%w: birth date %s is before %s; check the source", ErrImplausibleDate,
			FormatDate(birth, PrecisionDay), EarliestBirth.Format(time.DateOnly))
	}
	return nil
}

// CheckAfterBirth returns an error wrapping ErrImplausibleDate when an item
// dated t (given with precision prec) certainly lies before the patient's
// birth: when the last instant t can stand for is before the earliest
// birth date the record allows (a partial date is not refused while any
// day it covers could be on or after the birth). what names the date
// ("observation time", "therapy start"). t is a known date: the zero
// time is 0001-01-01, which callers whose zero time means "unknown" (a
// condition's onset) must not pass. With an unknown birth date nothing is
// refused.
func (p Patient) CheckAfterBirth(what string, t time.Time, prec DatePrecision) error {
	earliest, _ := p.BirthRange()
	if earliest.IsZero() {
		return nil
	}
	if prec.Last(t).Before(earliest) {
		return fmt.Errorf("%w: %s %s is before the patient's birth date %s", ErrImplausibleDate, what,
			FormatDate(t, prec), FormatDate(p.BirthDate, p.BirthPrecision))
	}
	return nil
}

// FormatDate writes t (UTC) as far as precision prec gives it: 2008,
// 2008-05, 2008-05-17, or an RFC 3339 instant.
func FormatDate(t time.Time, prec DatePrecision) string {
	t = t.UTC()
	switch prec {
	case PrecisionYear:
		return t.Format("2006")
	case PrecisionMonth:
		return t.Format("2006-01")
	case PrecisionInstant:
		return t.Format(time.RFC3339Nano)
	}
	return t.Format(time.DateOnly)
}

// CheckItemAfterBirth is CheckAfterBirth for an item of kind
// ("observation", "condition", "finding", "biopsy", "therapy",
// "replacement") dated t with precision prec, its date named as the import
// names it (ItemDateField: "observation time", "condition onset",
// "therapy start"). A zero t is an unknown date, not checked, for every
// kind but an observation (whose zero time is 0001-01-01). It is the one
// rule for an item dated before birth: store/importcore rejects such an
// item, and refuses a birth date sent again that would put a stored one
// before birth; the cohort applies the same (docs/cohort.md).
func (p Patient) CheckItemAfterBirth(kind string, t time.Time, prec DatePrecision) error {
	if t.IsZero() && kind != "observation" {
		return nil
	}
	// CheckAfterBirth's test, without naming the date for every item (t is
	// the start of what it stands for: one on or after the birth is kept).
	if earliest, _ := p.BirthRange(); earliest.IsZero() || !t.Before(earliest) || !prec.Last(t).Before(earliest) {
		return nil
	}
	return p.CheckAfterBirth(kind+" "+ItemDateField(kind), t, prec)
}

// ItemDateField names the date of an item of kind: a condition's
// "onset", a therapy's or a replacement's "start", any other's "time".
func ItemDateField(kind string) string {
	switch kind {
	case "condition":
		return "onset"
	case "therapy", "replacement":
		return "start"
	}
	return "time"
}

// DatedItem is an item held for a patient (kind as CheckItemAfterBirth
// takes it, id, date and its precision), as a birth date sent again is
// checked against it.
type DatedItem struct {
	Kind, ID string
	Time     time.Time
	Prec     DatePrecision
}

// BirthRefused returns why p, a patient's details sent again (changes:
// from the details held), is refused, nil when it is not: the earliest of
// items (the patient's items held already: stored by import, read before
// p by the cohort) that p's birth date would put before birth
// (CheckItemAfterBirth), "observation time 2022-03-30 is before the
// patient's birth date 2023-01-01 (observation o1 is stored); the stored
// details of patient x are kept (birth date 1995-07-13)".
func BirthRefused(p Patient, changes []FieldChange, items iter.Seq[DatedItem]) error {
	var (
		first   error
		firstAt time.Time
	)
	for it := range items {
		err := p.CheckItemAfterBirth(it.Kind, it.Time, it.Prec)
		if err != nil && (first == nil || it.Time.Before(firstAt)) {
			first, firstAt = fmt.Errorf("%w (%s %s is stored)", err, it.Kind, it.ID), it.Time
		}
	}
	if first == nil {
		return nil
	}
	held := ""
	for i, c := range changes {
		if i > 0 {
			held += ", "
		}
		held += c.Field + " " + c.Old
	}
	return fmt.Errorf("%w; the stored details of patient %s are kept (%s)", first, p.ID, held)
}
