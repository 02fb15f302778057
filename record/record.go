package record

import (
	"fmt"
	"time"

	"renalwatch/units"
)

// Sex is a patient's administrative sex as the record gives it. The eGFR
// equations and the KFRE need it; a report that uses it should say so.
type Sex int

// Administrative sex values (FHIR AdministrativeGender, with "other"
// kept distinct from "unknown").
const (
	SexUnknown Sex = iota
	Female
	Male
	SexOther
)

var sexNames = [...]string{SexUnknown: "unknown", Female: "female", Male: "male", SexOther: "other"}

// String returns "female", "male", "other" or "unknown".
func (s Sex) String() string {
	if s < 0 || int(s) >= len(sexNames) {
		return "unknown"
	}
	return sexNames[s]
}

// ParseSex reads "female", "male", "other", "unknown" (any case) and the
// one-letter forms "F", "M"; anything else is false.
func ParseSex(s string) (Sex, bool) {
	switch lower(s) {
	case "female", "f":
		return Female, true
	case "male", "m":
		return Male, true
	case "other":
		return SexOther, true
	case "unknown", "":
		return SexUnknown, true
	}
	return SexUnknown, false
}

// Coding is a code in a code system, as the source gave it.
type Coding struct {
	System  string
	Code    string
	Display string
}

// Provenance says where an item came from. File and Line locate the item in
// the file it was last read from; they serve error messages and are not part
// of the item's content (two identical observations read from different
// files are the same observation) and are not kept by stores.
type Provenance struct {
	System       string // source system, such as a FHIR server or "csv"
	ResourceType string // FHIR resource type, or "csv"
	ResourceID   string // id in the source
	Code         Coding // the code the source used
	Unit         string // the unit as the source wrote it
	Value        string // the value as the source wrote it
	File         string
	Line         int
}

// Patient is one person. BirthDate is the zero time when unknown.
type Patient struct {
	ID        string
	BirthDate time.Time
	// BirthPrecision says how much of BirthDate the source gave. A FHIR
	// birthDate of "2008" or "2008-05" is kept as the first day of that
	// year or month with BirthPrecision Year or Month; the day was not
	// given and is not guessed. Use BirthRange and AgeRangeAt to see
	// whether a decision that depends on age (an age band, a cut-off such
	// as 18 years) is certain.
	BirthPrecision DatePrecision
	Sex            Sex
	// Deceased is true when the source records the patient as dead
	// (FHIR Patient.deceasedBoolean true or any deceasedDateTime).
	// DeceasedDate is the date of death, the zero time when the source
	// does not give it: a patient can be Deceased with an unknown date.
	// See DeadAt.
	Deceased     bool
	DeceasedDate time.Time
	// DeceasedGiven is true when the source said whether the patient is
	// dead (FHIR Patient.deceased[x] present, deceasedBoolean false
	// included): a Patient sent again with deceasedBoolean false undoes a
	// death recorded in error, while one without deceased[x] says nothing
	// about it (record.KeepKnown). Like Updated it is not
	// content (ContentHash leaves it out) and is not stored: it matters
	// only while the Patient is imported.
	DeceasedGiven bool
	// Updated is when the source last changed the patient's record (FHIR
	// Patient.meta.lastUpdated), the zero time when it did not say. It is
	// not content (ContentHash leaves it out): a store uses it to keep
	// stored details that a Patient sent later but updated earlier would
	// replace.
	Updated    time.Time
	Provenance Provenance
}

// AgeAt returns the patient's age in whole years at t, and false when the
// birth date is unknown or after t. With a partial birth date it counts
// from the first day of the year or month given, so it is the oldest age
// the patient can have; AgeRangeAt gives both ends.
func (p Patient) AgeAt(t time.Time) (int, bool) {
	return ageAt(p.BirthDate, t)
}

func ageAt(birth, t time.Time) (int, bool) { return agesOf(birth).At(t) }

// BirthRange returns the earliest and latest birth dates the record
// allows: the same day twice for a full date, the first and last day of
// the month or year for a partial one. Both are zero when the birth date
// is unknown.
func (p Patient) BirthRange() (earliest, latest time.Time) {
	if p.BirthDate.IsZero() {
		return time.Time{}, time.Time{}
	}
	b := p.BirthDate.UTC()
	switch p.BirthPrecision {
	case PrecisionMonth:
		return b, b.AddDate(0, 1, -1)
	case PrecisionYear:
		return b, b.AddDate(1, 0, -1)
	}
	return b, b
}

// AgeRangeAt returns the youngest and oldest whole-year age the patient can
// have at t given the precision of the birth date; they differ only for a
// partial birth date. ok is false when the birth date is unknown or every
// possible birth date is after t. An age-band decision (adult equation from
// 18 years, KDIGO anaemia bands) is certain only when both ends fall in the
// same band; otherwise the caller must say so rather than pick one.
func (p Patient) AgeRangeAt(t time.Time) (youngest, oldest int, ok bool) {
	earliest, latest := p.BirthRange()
	oldest, ok = ageAt(earliest, t)
	if !ok {
		return 0, 0, false
	}
	youngest, _ = ageAt(latest, t) // 0 when the latest possible birth is after t
	return youngest, oldest, true
}

// DeadAt reports whether the patient is recorded as dead at t: Deceased
// with a date of death at or before t, or Deceased with no date (the death
// is recorded but not when, so every t counts as after it). Assessments
// should raise no alerts for a patient dead at as-of and say why.
func (p Patient) DeadAt(t time.Time) bool {
	return p.Deceased && (p.DeceasedDate.IsZero() || !t.Before(p.DeceasedDate))
}

// DatePrecision says how much of a date the source gave. The zero value is
// a full date (day precision).
type DatePrecision int

// Date precisions: FHIR date values YYYY-MM-DD, YYYY-MM and YYYY, and a
// dateTime or instant that gives the time of day (PrecisionInstant).
const (
	PrecisionDay DatePrecision = iota
	PrecisionMonth
	PrecisionYear
	PrecisionInstant
)

var precisionNames = [...]string{PrecisionDay: "day", PrecisionMonth: "month", PrecisionYear: "year", PrecisionInstant: "instant"}

// Last returns the last instant a time t given with precision d can stand
// for: the end of its year, month or day, or t itself for an instant.
func (d DatePrecision) Last(t time.Time) time.Time {
	switch d {
	case PrecisionYear:
		return t.AddDate(1, 0, 0).Add(-time.Nanosecond)
	case PrecisionMonth:
		return t.AddDate(0, 1, 0).Add(-time.Nanosecond)
	case PrecisionDay:
		return t.AddDate(0, 0, 1).Add(-time.Nanosecond)
	}
	return t
}

// String returns "day", "month", "year" or "instant".
func (d DatePrecision) String() string {
	if d < 0 || int(d) >= len(precisionNames) {
		return "day"
	}
	return precisionNames[d]
}

// ParseDatePrecision is the inverse of String; "" is day.
func ParseDatePrecision(s string) (DatePrecision, bool) {
	switch s {
	case "day", "":
		return PrecisionDay, true
	case "month":
		return PrecisionMonth, true
	case "year":
		return PrecisionYear, true
	case "instant":
		return PrecisionInstant, true
	}
	return PrecisionDay, false
}

// Comparator qualifies a value that is a bound rather than a measurement
// ("<0.2 mg/dL"). The empty Comparator means the value was measured.
type Comparator string

// Comparators FHIR Quantity allows.
const (
	Exact          Comparator = ""
	Less           Comparator = "<"
	LessOrEqual    Comparator = "<="
	Greater        Comparator = ">"
	GreaterOrEqual Comparator = ">="
)

// Observation is one measured value of an analyte at a time.
type Observation struct {
	ID         string
	PatientID  string
	Analyte    units.Analyte
	Value      units.Quantity // in Analyte.Canonical()
	Comparator Comparator
	Time       time.Time
	// TimePrecision says how much of Time the source gave: an instant
	// (a dateTime with the time of day), or only the day, month or year
	// (Time is then the first instant of it, UTC).
	TimePrecision DatePrecision
	// Notes record what the importer had to decide about this value, such as
	// a unit that contradicts its code. An observation with notes is kept
	// but callers should show the notes wherever they use the value.
	Notes []string
	// The observation's provenance is held in parts, so that a patient
	// with a million observations does not hold a million copies of what
	// they have in common (issue 8 item 4: 152 bytes each): Source is the
	// part shared with the other observations read from the same place
	// (nil when none was given), ResourceID, SourceValue and Line are its
	// own (Provenance.ResourceID, .Value and .Line). Provenance returns
	// them as one Provenance; SetProvenance (or Sources.SetProvenance)
	// sets them.
	Source      *Source
	ResourceID  string
	SourceValue string
	Line        int
}

// Source is the part of a Provenance that the observations read from one
// place usually share: everything but the resource id, the value as the
// source wrote it and the line. Observations point to a Source and must
// not modify it: it may be shared.
type Source struct {
	System       string
	ResourceType string
	Code         Coding
	Unit         string
	File         string
}

// String returns the source's fields, so that fmt prints them in place
// of the pointer's address.
func (s *Source) String() string {
	if s == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%+v", *s)
}

// Provenance returns where the observation came from, in one piece.
func (o Observation) Provenance() Provenance {
	p := Provenance{ResourceID: o.ResourceID, Value: o.SourceValue, Line: o.Line}
	if s := o.Source; s != nil {
		p.System, p.ResourceType, p.Code, p.Unit, p.File = s.System, s.ResourceType, s.Code, s.Unit, s.File
	}
	return p
}

// SourceCode returns the code the source used (Provenance().Code).
func (o *Observation) SourceCode() Coding {
	if o.Source == nil {
		return Coding{}
	}
	return o.Source.Code
}

// SourceUnit returns the unit as the source wrote it (Provenance().Unit).
func (o *Observation) SourceUnit() string {
	if o.Source == nil {
		return ""
	}
	return o.Source.Unit
}

// SetProvenance sets the observation's provenance to p, with a Source of
// its own (Sources.SetProvenance shares it with other observations).
func (o *Observation) SetProvenance(p Provenance) {
	o.setProvenance(p, nil)
}

func (o *Observation) setProvenance(p Provenance, src *Source) {
	if src == nil {
		if s := sourceOf(p); s != (Source{}) {
			src = &s
		}
	}
	o.Source, o.ResourceID, o.SourceValue, o.Line = src, p.ResourceID, p.Value, p.Line
}

func sourceOf(p Provenance) Source {
	return Source{System: p.System, ResourceType: p.ResourceType, Code: p.Code, Unit: p.Unit, File: p.File}
}

// Sources hands out one shared Source for equal provenances, so that the
// observations read from one place hold it once. The zero value is ready
// to use; it is not safe for concurrent use.
type Sources struct {
	m    map[Source]*Source
	last *Source
}

// maxSources bounds a Sources: past it, a new Source is not remembered
// (each observation then holds its own, as without sharing), so that a
// long-lived Sources cannot grow without bound.
const maxSources = 1 << 16

// SetProvenance sets o's provenance to p, sharing the Source with the
// earlier observations given the same one.
func (t *Sources) SetProvenance(o *Observation, p Provenance) {
	o.setProvenance(p, t.Share(sourceOf(p)))
}

// Share returns the shared copy of s (nil for the zero Source).
func (t *Sources) Share(s Source) *Source {
	if s == (Source{}) {
		return nil
	}
	if t.last != nil && *t.last == s {
		return t.last
	}
	if p, ok := t.m[s]; ok {
		t.last = p
		return p
	}
	p := &s
	if t.m == nil {
		t.m = map[Source]*Source{}
	}
	if len(t.m) < maxSources {
		t.m[s] = p
	}
	t.last = p
	return p
}

// ConditionKind is a diagnosis RenalWatch acts on. The set is closed.
type ConditionKind int

// Conditions the importers map (codes in docs/fhir.md).
const (
	SLE                       ConditionKind = iota + 1 // systemic lupus erythematosus
	LupusNephritis                                     // with Condition.LNClass when known
	CKD                                                // chronic kidney disease, with Condition.Stage when known
	KidneyFailure                                      // end-stage kidney disease (CKD G5 on or needing KRT)
	DiabeticKidneyDisease                              // kidney disease due to diabetes
	Albuminuria                                        // albuminuria or proteinuria recorded as a diagnosis
	KidneyTransplantRecipient                          // history of kidney transplant
	AwaitingKidneyTransplant                           // on the waiting list for a kidney
	DialysisDependence                                 // dependence on dialysis (ICD-10-CM Z99.2)
	// Diabetes and Hypertension are read because they change numbers: the
	// Sumida PCR-to-ACR conversion has a term for each (Ann Intern Med
	// 2020;173:426-435), as has the 6-variable KFRE.
	Diabetes     // diabetes mellitus of any type
	Hypertension // hypertensive disorder
)

var conditionNames = [...]string{
	SLE: "sle", LupusNephritis: "lupus_nephritis", CKD: "ckd", KidneyFailure: "kidney_failure",
	DiabeticKidneyDisease: "diabetic_kidney_disease", Albuminuria: "albuminuria",
	KidneyTransplantRecipient: "kidney_transplant_recipient", AwaitingKidneyTransplant: "awaiting_kidney_transplant",
	DialysisDependence: "dialysis_dependence", Diabetes: "diabetes", Hypertension: "hypertension",
}

// String returns the kind's snake_case name.
func (k ConditionKind) String() string { return enumName(conditionNames[:], int(k)) }

// ParseConditionKind is the inverse of String.
func ParseConditionKind(s string) (ConditionKind, bool) {
	i, ok := parseEnum(conditionNames[:], s)
	return ConditionKind(i), ok
}

// Condition is a diagnosis with its onset and, when resolved, abatement.
type Condition struct {
	ID        string
	PatientID string
	Kind      ConditionKind
	// Stage is the CKD stage as coded ("1", "2", "3", "3a", "3b", "4", "5"),
	// empty when not given. It is the diagnosis as recorded, not a KDIGO
	// category computed from eGFR.
	Stage string
	// LNClass is the ISN/RPS class of a lupus nephritis diagnosis ("IV",
	// "III+V"), empty when not given.
	LNClass   string
	Onset     time.Time
	Abatement time.Time
	Status    string // clinical status as given: active, resolved, ...
	// Verification is the FHIR verificationStatus code as given:
	// "confirmed", "unconfirmed", "provisional", "differential", or "" when
	// the source gives none (CSV, many EHR exports). Refuted and
	// entered-in-error diagnoses are not imported at all. See Established.
	Verification string
	Provenance   Provenance
}

// Established reports whether the diagnosis may switch rules on (the lupus
// rules for SLE or lupus nephritis, for instance): its verification status
// is "confirmed" or not given. "unconfirmed", "provisional" and
// "differential" diagnoses are kept in the record but are not established:
// FHIR defines unconfirmed as "not sufficient diagnostic and/or clinical
// evidence to treat this as a confirmed condition", and provisional and
// differential as kinds of unconfirmed.
func (c Condition) Established() bool {
	return c.Verification == "" || c.Verification == "confirmed"
}
