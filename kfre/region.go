package kfre

import "fmt"

// Region selects the calibration (baseline survival) of the equation.
// The zero value means "not given" and is rejected.
type Region int8

// Calibrations of Tangri 2016 (JAMA 315:164).
const (
	NorthAmerica Region = iota + 1 // the development calibration, USA and Canada
	Other                          // non-North American recalibration (Europe, Asia, Australasia)
)

// String returns "north-america" or "other", the CLI and JSON spelling.
func (r Region) String() string {
	switch r {
	case NorthAmerica:
		return "north-america"
	case Other:
		return "other"
	}
	return "unknown region"
}

// MarshalText writes "north-america" or "other".
func (r Region) MarshalText() ([]byte, error) {
	if r != NorthAmerica && r != Other {
		return nil, fmt.Errorf("kfre: invalid region %d", int(r))
	}
	return []byte(r.String()), nil
}

// Calibration describes the region's calibration for people
// ("North American", "non-North American").
func (r Region) Calibration() string {
	switch r {
	case NorthAmerica:
		return "North American"
	case Other:
		return "non-North American"
	}
	return "unknown"
}

// ParseRegion reads "north-america" or "other"; anything else is an
// *InputError.
func ParseRegion(s string) (Region, error) {
	switch s {
	case "north-america":
		return NorthAmerica, nil
	case "other":
		return Other, nil
	}
	return 0, &InputError{Field: "region", Value: fmt.Sprintf("%q", s), Want: "north-america or other"}
}

// Answer is a yes/no input that may be missing; the zero value is
// NotGiven, so "no diabetes" and "diabetes not asked" differ.
type Answer int8

// Answers.
const (
	NotGiven Answer = iota
	No
	Yes
)

// AnswerOf returns Yes for true and No for false.
func AnswerOf(b bool) Answer {
	if b {
		return Yes
	}
	return No
}

// String returns "yes", "no" or "not given".
func (a Answer) String() string {
	switch a {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "not given"
}

// MarshalJSON writes true or false; NotGiven is an error (mark the field
// omitzero to leave it out).
func (a Answer) MarshalJSON() ([]byte, error) {
	switch a {
	case Yes:
		return []byte("true"), nil
	case No:
		return []byte("false"), nil
	}
	return nil, fmt.Errorf("kfre: answer %d is not yes or no", int(a))
}
