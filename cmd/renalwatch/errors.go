package main

import (
	"errors"
	"fmt"
)

// inputError marks an error caused by what the user gave (exit code 2).
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// badInput marks err as the user's input being wrong; nil stays nil.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	var ie *inputError
	if errors.As(err, &ie) {
		return err
	}
	return &inputError{err}
}

// badInputf formats a bad-input error.
func badInputf(format string, args ...any) error {
	return &inputError{fmt.Errorf(format, args...)}
}

// errAlreadyReported is returned when the flag package has already printed
// the problem and the usage to stderr.
var errAlreadyReported = errors.New("already reported")
