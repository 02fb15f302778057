package record

import (
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
	ID         string
	BirthDate  time.Time
	Sex        Sex
	Provenance Provenance
}

// AgeAt returns the patient's age in whole years at t, and false when the
// birth date is unknown or after t.
func (p Patient) AgeAt(t time.Time) (int, bool) {
	if p.BirthDate.IsZero() || t.Before(p.BirthDate) {
		return 0, false
	}
	b, t := p.BirthDate.UTC(), t.UTC()
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || (t.Month() == b.Month() && t.Day() < b.Day()) {
		age--
	}
	return age, true
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
	// Notes record what the importer had to decide about this value, such as
	// a unit that contradicts its code. An observation with notes is kept
	// but callers should show the notes wherever they use the value.
	Notes      []string
	Provenance Provenance
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
)

var conditionNames = [...]string{
	SLE: "sle", LupusNephritis: "lupus_nephritis", CKD: "ckd", KidneyFailure: "kidney_failure",
	DiabeticKidneyDisease: "diabetic_kidney_disease", Albuminuria: "albuminuria",
	KidneyTransplantRecipient: "kidney_transplant_recipient", AwaitingKidneyTransplant: "awaiting_kidney_transplant",
	DialysisDependence: "dialysis_dependence",
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
	LNClass    string
	Onset      time.Time
	Abatement  time.Time
	Status     string // clinical status as given: active, resolved, ...
	Provenance Provenance
}
