package ckd

import "fmt"

// Sex is the administrative sex an equation's coefficients are defined for.
// The zero value means "not given" and is rejected by every equation.
type Sex int8

// Sexes the equations (Sumida 2020; KFRE, Tangri 2011) distinguish.
const (
	Female Sex = iota + 1
	Male
)

// String returns "female" or "male".
func (s Sex) String() string {
	switch s {
	case Female:
		return "female"
	case Male:
		return "male"
	}
	return "unknown sex"
}

// MarshalText writes "female" or "male".
func (s Sex) MarshalText() ([]byte, error) {
	if s != Female && s != Male {
		return nil, fmt.Errorf("ckd: invalid sex %d", int(s))
	}
	return []byte(s.String()), nil
}

// ParseSex reads "female" or "male"; anything else is an *InputError.
func ParseSex(s string) (Sex, error) {
	switch s {
	case "female":
		return Female, nil
	case "male":
		return Male, nil
	}
	return 0, &InputError{Field: "sex", Value: fmt.Sprintf("%q", s), Want: "female or male"}
}
