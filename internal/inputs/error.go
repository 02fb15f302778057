package inputs

import (
	"errors"
	"fmt"
	"io/fs"
)

// Error is a problem with a file the user named, in plain words.
type Error struct {
	Path string // the file or folder
	msg  string
	Err  error // the cause, when there is one (an fs error, a gzip error)
}

func (e *Error) Error() string { return e.msg }
func (e *Error) Unwrap() error { return e.Err }

// errorf makes an *Error about path; a %w verb in format sets its cause.
func errorf(path string, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Path: path, msg: err.Error(), Err: errors.Unwrap(err)}
}

// openError says in plain words why name cannot be opened or listed.
func openError(name string, err error) *Error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Error{Path: name, msg: name + ": no such file or folder", Err: err}
	case errors.Is(err, fs.ErrPermission):
		return &Error{Path: name, msg: name + ": permission denied", Err: err}
	}
	return &Error{Path: name, msg: err.Error(), Err: err}
}

// Errorf makes an *Error about path for a reader that checks the files
// further (the cohort's CSV layouts); a %w verb in format sets its cause.
func Errorf(path string, format string, args ...any) *Error {
	return errorf(path, format, args...)
}
