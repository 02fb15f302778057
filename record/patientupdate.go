package record

import "time"

// FieldChange is one detail of a patient that an import changed: the
// field ("birth date", "sex", "deceased", "date of death") and its old and
// new values as text (dates at the precision the source gave).
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// PatientUpdate is one replacement of a patient's details by a later
// import (a FHIR Patient is the current state of the patient: a death or
// a corrected birth date is sent again under the same id). Previous holds
// the details that were replaced, which the store keeps.
type PatientUpdate struct {
	Time     time.Time     // when the import stored the new details, UTC
	File     string        // the file the new details were read from; empty when unknown
	Previous Patient       // the details before
	Changes  []FieldChange // from Previous to the details that replaced them
}

// PatientChanges lists the details of the patient that differ from old to
// new: birth date (with its precision), sex, deceased and date of death.
// Provenance is not a detail: two records of one patient with equal
// details give none.
func PatientChanges(old, new Patient) []FieldChange {
	var out []FieldChange
	add := func(field, o, n string) {
		if o != n {
			out = append(out, FieldChange{field, o, n})
		}
	}
	add("birth date", dateText(old.BirthDate, old.BirthPrecision), dateText(new.BirthDate, new.BirthPrecision))
	add("sex", old.Sex.String(), new.Sex.String())
	add("deceased", yesNo(old.Deceased), yesNo(new.Deceased))
	add("date of death", dateText(old.DeceasedDate, PrecisionDay), dateText(new.DeceasedDate, PrecisionDay))
	return out
}

// ChangesText writes a patient's changes as the import summary lists
// them: "patient h1: birth date 1980-01-01 → 2025-01-01, deceased no →
// yes".
func ChangesText(patientID string, changes []FieldChange) string {
	s := "patient " + patientID + ":"
	for i, f := range changes {
		if i > 0 {
			s += ","
		}
		s += " " + f.Field + " " + f.Old + " → " + f.New
	}
	return s
}

func dateText(t time.Time, prec DatePrecision) string {
	if t.IsZero() {
		return "unknown"
	}
	return FormatDate(t, prec)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// SetUpdates sets the timeline's Updates to us (oldest first), filling in
// each one's Changes: from its Previous to the next one's Previous, and
// from the last one's to the timeline's Patient.
func (tl *Timeline) SetUpdates(us []PatientUpdate) {
	for i := range us {
		next := tl.Patient
		if i+1 < len(us) {
			next = us[i+1].Previous
		}
		us[i].Changes = PatientChanges(us[i].Previous, next)
	}
	tl.Updates = us
}

// SentAgain applies p, a patient's details sent again, over old, the
// details held (a Patient is the patient's current state: the last one
// read wins; store/importcore for import, the cohort for its rows). The
// details p leaves out are old's (KeepKnown); changes lists what then
// differs (none: nothing changes). older is true when p's
// meta.lastUpdated is before old's: an older state of the patient, which
// is not applied.
func SentAgain(old, p Patient) (merged Patient, changes []FieldChange, older bool) {
	p = KeepKnown(old, p)
	changes = PatientChanges(old, p)
	return p, changes, len(changes) > 0 && !p.Updated.IsZero() && p.Updated.Before(old.Updated)
}

// KeepKnown returns p with the details it leaves out taken from old, the
// details held: a birth date not given, a sex not given or "unknown", and
// a death when p does not say whether the patient is dead. A re-sent
// Patient that omits an element says nothing about it (an export that
// leaves out birthDate, or deceased[x], is not a correction), and erasing
// a known birth date would take every eGFR with it, or bring a dead
// patient back. An explicit deceasedBoolean false (DeceasedGiven without
// Deceased) is the source undoing a death recorded in error, and applies
// (docs/caveats.md, "Patient details sent again").
func KeepKnown(old, p Patient) Patient {
	if p.BirthDate.IsZero() {
		p.BirthDate, p.BirthPrecision = old.BirthDate, old.BirthPrecision
	}
	if p.Sex == SexUnknown {
		p.Sex = old.Sex
	}
	if old.Deceased && !p.Deceased && !p.DeceasedGiven {
		p.Deceased, p.DeceasedDate = true, old.DeceasedDate
	}
	if p.Deceased && p.DeceasedDate.IsZero() {
		p.DeceasedDate = old.DeceasedDate
	}
	return p
}
