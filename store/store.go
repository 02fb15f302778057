// Package store defines where RenalWatch keeps patient records: the Store
// interface every backend implements, its errors, and the import outcome
// types. Backends live in subpackages (store/sqlite; store/postgres later)
// and must pass the conformance suite in store/storetest.
//
// Identity: every item has a stable ID (record.DeriveID or its source id).
// Importing an item whose ID is stored with the same content changes
// nothing ("unchanged"); with different content it is rejected as a
// conflict and the stored item is kept. An observation with a new ID but
// the same patient, analyte, time, value and comparator as a stored one is
// the same measurement read from another source and is not stored twice
// ("duplicate").
//
// Atomicity: one Import call is one transaction. A crash or kill during
// an import leaves the store as it was before the call.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// Errors a Store returns; backends wrap them.
var (
	// ErrNotFound: no such patient.
	ErrNotFound = errors.New("not found")
	// ErrConflict: an item with this ID is stored with different content.
	ErrConflict = errors.New("duplicate id with different content")
	// ErrUnknownPatient: an item refers to a patient the store does not
	// hold and the batch does not bring.
	ErrUnknownPatient = errors.New("unknown patient")
	// ErrInvalid: an item lacks what every item needs (an ID, a patient).
	ErrInvalid = errors.New("invalid item")
)

// Store keeps patient records. Implementations are safe for concurrent use.
type Store interface {
	// Import stores the items of b in one transaction and says what
	// happened to each. Patients are stored first, so items may refer to
	// patients in the same batch. In strict mode any rejection rolls the
	// whole batch back (Result.RolledBack). An error is returned only for
	// failures of the store itself; the transaction is then rolled back.
	Import(ctx context.Context, b *record.Batch, opt ImportOptions) (*ImportResult, error)
	// Patient returns one patient, or an error wrapping ErrNotFound.
	Patient(ctx context.Context, id string) (record.Patient, error)
	// Patients lists every patient with counts, by ID.
	Patients(ctx context.Context) ([]PatientSummary, error)
	// Timeline returns everything stored for one patient, or an error
	// wrapping ErrNotFound.
	Timeline(ctx context.Context, patientID string) (*record.Timeline, error)
	// Close releases the store.
	Close() error
}

// ImportOptions tune one Import.
type ImportOptions struct {
	// Strict rolls the whole batch back when any item is rejected.
	Strict bool
	// Progress, when set, is called with the number of items done so far,
	// at most every 10,000 items and once at the end.
	Progress func(done int)
}

// ImportResult counts what an Import did.
type ImportResult struct {
	// Imported counts new items stored, and items stored by an older
	// schema that lacked fields this import fills in (store/sqlite: rows
	// of schema version 1 without death, birth precision or verification
	// status, which differ from the import only by those fields).
	Imported   int
	Unchanged  int // items already stored with the same content
	Duplicates int // observations stored before under another ID
	Rejected   []Rejection
	// RolledBack is true when strict mode undid the batch; Imported then
	// counts what would have been stored.
	RolledBack bool
}

// Rejection is an item the store refused.
type Rejection struct {
	Kind       string // "patient", "observation", ...
	ID         string
	PatientID  string
	Provenance record.Provenance // File and Line say where it was read
	Err        error             // wraps ErrConflict, ErrUnknownPatient or ErrInvalid
}

func (r Rejection) Error() string { return fmt.Sprintf("%s %s: %v", r.Kind, r.ID, r.Err) }

// Unwrap returns the reason.
func (r Rejection) Unwrap() error { return r.Err }

// PatientSummary is a patient with what the store holds about them.
type PatientSummary struct {
	Patient      record.Patient
	Observations int
	Conditions   int
	Findings     int
	Biopsies     int
	Therapies    int
	Replacements int
	// LatestCreatinine is the most recent creatinine (canonical unit) and
	// its time; Value is the zero Quantity when there is none.
	LatestCreatinine     units.Quantity
	LatestCreatinineTime time.Time
}
