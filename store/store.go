// Package store defines where RenalWatch keeps patient records: the Store
// interface every backend implements, its errors, and the import outcome
// types. Backends live in subpackages (store/sqlite; store/postgres later)
// and must pass the conformance suite in store/storetest.
//
// Identity: every item has a stable ID (record.DeriveID or its source id).
// Importing an item whose ID is stored with the same content changes
// nothing ("unchanged"); with different content it is rejected as a
// conflict and the stored item is kept, but for a patient (a Patient is
// the patient's current state: other details replace the stored ones,
// which are kept in its history; ImportResult.Updated), and for an observation sent as a
// correction (status amended or corrected, record.NewCorrection), which is
// stored beside it and replaces it in timelines ("corrected"). An observation with a new ID but
// the same patient, analyte, time, value and comparator as a stored one is
// the same measurement read from another source and is not stored twice
// ("duplicate").
//
// Atomicity: one Import call, or one BeginImport … Commit, is one
// transaction. A crash or kill during an import leaves the store as it was
// before it.
//
// Streaming: BeginImport takes a file of any size in bounded chunks
// (ImportTx.Add), so that memory does not grow with the input; Import is
// BeginImport, one Add and Commit.
//
// Dates: every time from 0001 to 9999 is stored exactly, with the
// precision an observation's time was given in. A birth date before
// record.EarliestBirth, a date of death before the birth date, and an
// observation or other item dated before the patient's birth (see
// record.Patient.CheckAfterBirth) are rejected (ErrInvalid and
// record.ErrImplausibleDate), never stored.
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
	// BeginImport starts an import in one transaction, to be given its
	// items in chunks with ImportTx.Add and ended with Commit or Rollback.
	// It holds the store's write lock until then.
	BeginImport(ctx context.Context, opt ImportOptions) (ImportTx, error)
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

// ImportTx is an import in progress: one transaction. It is not safe for
// concurrent use.
type ImportTx interface {
	// Add stores the items of b: its patients first, so that its items may
	// refer to them. An item whose patient is neither stored nor added yet
	// is held (up to MaxPending items per import) until a later Add brings
	// the patient, and rejected with ErrUnknownPatient at Commit if none
	// does; beyond MaxPending it is rejected at once. b may be reused once
	// Add returns. An error is a failure of the store itself: the import
	// is then rolled back, and Commit returns the error.
	Add(b *record.Batch) error
	// Commit ends the import: it commits, or rolls back in strict mode
	// when anything was rejected (ImportResult.RolledBack).
	Commit() (*ImportResult, error)
	// Rollback abandons the import; it does nothing after Commit.
	Rollback() error
}

// MaxPending bounds the items an import holds while it waits for their
// patient (see ImportTx.Add).
const MaxPending = 20_000

// ImportOptions tune one Import.
type ImportOptions struct {
	// Strict rolls the whole batch back when any item is rejected.
	Strict bool
	// Progress, when set, is called with the number of items done so far,
	// at most every 10,000 items and once at the end.
	Progress func(done int)
	// OnReject, when set, is given every rejection as it happens, and
	// ImportResult.Rejected stays empty (RejectedCount counts them), so
	// that a file of rejected lines does not fill memory.
	OnReject func(Rejection)
	// MaxRejections, when positive and OnReject is not set, is how many
	// rejections ImportResult.Rejected keeps in detail; the rest are only
	// counted. Zero keeps them all.
	MaxRejections int
	// Audit, when set, has the import write one audit row per patient
	// whose record it changed, in its own transaction (ImportAudit).
	Audit *ImportAudit
}

// ImportResult counts what an Import did.
type ImportResult struct {
	// Imported counts new items stored, and items stored by an older
	// schema that lacked fields this import fills in (store/sqlite: rows
	// of schema version 1 without death, birth precision or verification
	// status, and observations of versions 1 to 3 without the precision
	// of their time, which differ from the import only by those fields).
	Imported   int
	Unchanged  int // items already stored with the same content
	Duplicates int // observations stored before under another ID
	// Retractions counts new retractions stored (record.Retraction): the
	// items they withdraw stay stored and are left out of timelines.
	Retractions int
	// Corrected counts new corrections stored (record.NewCorrection: an
	// observation re-sent with status amended or corrected and other
	// content): the observation they replace stays stored, and timelines
	// use the correction. A correction with nothing stored under its id
	// counts as Imported; one stored already as Unchanged.
	Corrected int
	// Corrections lists each correction counted in Corrected, with the
	// stored observation it replaces.
	Corrections []Correction
	// Updated counts patients whose stored details (birth date and its
	// precision, sex, deceased, date of death) a Patient sent again under
	// their id replaced: a Patient is the patient's current state, so the
	// last import wins; the details replaced are kept in the patient's
	// history (record.Timeline.Updates). PatientChanges lists each.
	Updated        int
	PatientChanges []PatientChange
	// NotApplied lists the Patients with other details whose
	// meta.lastUpdated is older than that of the stored details: an older
	// state of the patient, so the stored details are kept (each counts as
	// unchanged). Without lastUpdated on both sides the last import wins.
	NotApplied []PatientChange
	// Rejected lists the rejections (see ImportOptions.OnReject and
	// MaxRejections); RejectedCount counts them all.
	Rejected      []Rejection
	RejectedCount int
	// RolledBack is true when strict mode undid the batch; Imported then
	// counts what would have been stored.
	RolledBack bool
	// AuditRows counts the audit rows of patients the import wrote
	// (ImportOptions.Audit); none when it was rolled back.
	AuditRows int
}

// Correction is a correction the import stored (ImportResult.Corrected):
// Correction.Replacement is the value sent, Replaced the observation
// stored under its id, which stays stored.
type Correction struct {
	Correction record.Retraction
	Replaced   record.Observation
	// BackToStored is true when the correction restores the value of
	// Replaced while another correction of it was in force.
	BackToStored bool
}

// Rejection is an item the store refused.
type Rejection struct {
	Kind       string // "patient", "observation", ...
	ID         string
	PatientID  string
	Provenance record.Provenance // File and Line say where it was read
	Err        error             // wraps ErrConflict, ErrUnknownPatient or ErrInvalid
	// Notes are the notes the reader put on a rejected observation
	// (record.Observation.Notes): the import summary counts notes on
	// stored items only.
	Notes []string
}

// Changed reports whether the import changed what the store holds.
func (r *ImportResult) Changed() bool { return r.Imported+r.Retractions+r.Corrected+r.Updated > 0 }

// PatientChange is one patient whose stored details an import replaced,
// and what changed (record.PatientChanges).
type PatientChange struct {
	PatientID  string
	Provenance record.Provenance // where the new details were read
	Changes    []record.FieldChange
	// Updated and StoredUpdated are the meta.lastUpdated of the new and
	// the stored details (zero when not given).
	Updated, StoredUpdated time.Time
}

// Text is the change as the import summary writes it: "patient h1: birth
// date 1980-01-01 → 2025-01-01, deceased no → yes".
func (c PatientChange) Text() string { return record.ChangesText(c.PatientID, c.Changes) }

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
