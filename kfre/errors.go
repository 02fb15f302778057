package kfre

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInput is the sentinel every error of this package unwraps to. Unit and
// plausibility problems of a lab quantity are the units package's typed
// errors (units.UnitError, units.RangeError), returned as they are.
var ErrInput = errors.New("invalid KFRE input")

// InputError reports an input the equation cannot use: the field, the value
// as given and what is accepted.
type InputError struct {
	Field string // "age", "sex", "egfr", "acr", "region", ...
	Value string // the value as given
	Want  string // what is accepted
}

func (e *InputError) Error() string {
	return fmt.Sprintf("%s %s is not accepted; want %s", e.Field, e.Value, e.Want)
}

// Unwrap returns ErrInput.
func (e *InputError) Unwrap() error { return ErrInput }

// MissingError reports a model whose inputs were given only in part: the
// 8-variable model without all four laboratory values, or the 6-variable
// model without both diabetes and hypertension.
type MissingError struct {
	Variables int      // 6 or 8
	Needs     []string // every input the model needs beyond the 4-variable ones
	Missing   []string // the ones not given
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("the %d-variable KFRE needs %s; missing: %s",
		e.Variables, strings.Join(e.Needs, ", "), strings.Join(e.Missing, ", "))
}

// Unwrap returns ErrInput.
func (e *MissingError) Unwrap() error { return ErrInput }

// ConflictError reports inputs of both the 6- and the 8-variable model; the
// KFRE has no model that uses both.
type ConflictError struct{}

func (e *ConflictError) Error() string {
	return "diabetes/hypertension select the 6-variable KFRE and calcium/phosphate/bicarbonate/albumin the 8-variable one; give one set, not both"
}

// Unwrap returns ErrInput.
func (e *ConflictError) Unwrap() error { return ErrInput }
