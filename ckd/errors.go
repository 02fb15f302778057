package ckd

import (
	"errors"
	"fmt"
)

// ErrInput is the sentinel every InputError unwraps to: the value cannot be
// classified or used by the equation.
var ErrInput = errors.New("invalid input")

// InputError reports an input that ckd cannot use, in the manner of
// strconv.NumError: the field, the value as given and what is accepted.
// Unit and plausibility problems of a lab quantity are reported by the units
// package's own typed errors (units.UnitError, units.RangeError) instead.
type InputError struct {
	Field string // the input's name, such as "egfr" or "pcr"
	Value string // the value as given
	Want  string // what is accepted
}

func (e *InputError) Error() string {
	return fmt.Sprintf("%s %s is not accepted; want %s", e.Field, e.Value, e.Want)
}

// Unwrap returns ErrInput.
func (e *InputError) Unwrap() error { return ErrInput }
