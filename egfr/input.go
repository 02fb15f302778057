package egfr

import (
	"fmt"
	"strings"

	"renalwatch/units"
)

// Sex is administrative sex as recorded. The equations were developed with
// sex-specific coefficients, so most of them need it; "not given" (the zero
// value) is distinct from both sexes and is never treated as either.
type Sex int

// Sexes. SexNotGiven is the zero value.
const (
	SexNotGiven Sex = iota
	Female
	Male
)

// String returns "female", "male" or "not given".
func (s Sex) String() string {
	switch s {
	case Female:
		return "female"
	case Male:
		return "male"
	case SexNotGiven:
		return "not given"
	}
	return fmt.Sprintf("Sex(%d)", int(s))
}

// MarshalText writes "female" or "male"; "not given" is an error, so that
// JSON never shows a sex that was not recorded as one.
func (s Sex) MarshalText() ([]byte, error) {
	if s != Female && s != Male {
		return nil, fmt.Errorf("egfr: sex %s cannot be written", s)
	}
	return []byte(s.String()), nil
}

// ParseSex reads "female" or "male" (in any letter case). Anything else is an
// error: the equations need the sex that was recorded, and a guess would give
// a wrong number with confidence.
func ParseSex(s string) (Sex, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "female":
		return Female, nil
	case "male":
		return Male, nil
	}
	return SexNotGiven, fmt.Errorf("sex %q is not female or male", s)
}

// Input holds what an equation may use. A zero Quantity means "not given";
// Compute rejects a given input that the chosen equation does not use (except
// Sex, see Compute) and a missing input that it needs.
type Input struct {
	Creatinine units.Quantity // serum creatinine, IDMS-traceable
	CystatinC  units.Quantity // serum cystatin C, IFCC/ERM-DA471 calibrated
	Height     units.Quantity //
	Weight     units.Quantity //
	// Age in years. It is always required: 0 (the zero Input) is rejected,
	// since no equation here is defined at birth.
	Age   float64
	Sex   Sex  // administrative sex as recorded; SexNotGiven when unknown
	Black bool // legacy race coefficient; only ckd-epi-2009, mdrd and mdrd-186 accept it
}

// Fields is a set of inputs, used to say what an equation needs.
type Fields uint8

// Input fields. Age is required by every equation and is not listed.
const (
	FieldCreatinine Fields = 1 << iota
	FieldCystatinC
	FieldHeight
	FieldWeight
	FieldSex
)

// name returns the name of a single field as used in errors; it matches
// the CLI flag.
func (f Fields) name() string {
	switch f {
	case FieldCreatinine:
		return "creatinine"
	case FieldCystatinC:
		return "cystatin"
	case FieldHeight:
		return "height"
	case FieldWeight:
		return "weight"
	case FieldSex:
		return "sex"
	}
	return "unknown field"
}

// Has reports whether every field in g is in f.
func (f Fields) Has(g Fields) bool { return f&g == g }

// String lists the fields ("creatinine, sex").
func (f Fields) String() string {
	var s []string
	for g := FieldCreatinine; g <= FieldSex; g <<= 1 {
		if f.Has(g) {
			s = append(s, g.name())
		}
	}
	return strings.Join(s, ", ")
}
