// Package importcore is the part of a streaming import (store.ImportTx)
// that does not depend on the database: it checks every item (an id, a
// known patient, a date not before the patient's birth), holds items whose
// patient comes later in the file (store.MaxPending), counts the result,
// reports rejections (store.ImportOptions.OnReject, MaxRejections) and
// progress, and caches the patients' births. A store gives it a Backend:
// the SQL that looks a patient up and stores patients, observations and
// items.
package importcore

import (
	"context"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// Outcome is what storing one patient or item did.
type Outcome int

const (
	// Inserted: the row is new.
	Inserted Outcome = iota
	// Updated: a row stored by an older schema was completed; it counts
	// as imported.
	Updated
	// Unchanged: the same content is stored already.
	Unchanged
	// Conflict: other content is stored under the same id.
	Conflict
)

// Item is one checked timeline item (condition, finding, biopsy, therapy,
// replacement) for Backend.Item.
type Item struct {
	Kind, ID, PatientID string
	Time                time.Time // zero: unknown
	Hash                [32]byte  // record's ContentHash
	// V1 is the hash the item had under store/sqlite's schema version 1
	// (without the fields version 2 added); it equals Hash for every kind
	// but a condition.
	V1  [32]byte
	Doc any // the itemdoc document
}

// Backend is the SQL of one store, run inside the import's transaction.
type Backend interface {
	// Birth looks patient id up: its ID, BirthDate and BirthPrecision, and
	// whether the store holds it.
	Birth(id string) (p record.Patient, exists bool, err error)
	// Patient stores one checked patient. Conflict means that other
	// details are stored under its id: the importer then decides whether
	// they are replaced (Stored, Dated, Replace).
	Patient(p record.Patient) (Outcome, error)
	// Stored returns the details stored for patient id, which the store
	// holds.
	Stored(id string) (record.Patient, error)
	// Dated calls each with the observations and items (kind, id, time
	// and its precision) of patient pid dated before t, in no particular
	// order; an error from each stops it and is returned.
	Dated(pid string, before time.Time, each func(kind, id string, t time.Time, prec record.DatePrecision) error) error
	// Replace keeps the stored details of patient p.ID in its history,
	// replaced at time at by p read from file p.Provenance.File, and
	// stores p in their place.
	Replace(p record.Patient, at time.Time) error
	// Analyte makes sure the store has a code for analyte a in its
	// canonical unit; it is called before Observations is given a.
	Analyte(a units.Analyte) error
	// Observations stores obs[i] for every i in good (checked, at least
	// one), counting and rejecting through the Importer.
	Observations(obs []record.Observation, good []int) error
	// Item stores one checked item.
	Item(it Item) (Outcome, error)
	// Holder returns the patient of the item of kind stored under id
	// ("observation": the observations; any other kind: the items of that
	// kind), and false when none is stored.
	Holder(kind, id string) (pid string, ok bool, err error)
	// Corrected reports whether a correction of the observation stored
	// under target (patient pid) is stored.
	Corrected(pid, target string) (bool, error)
	// Observation returns the observation stored under id, and false
	// when none is stored (for the summary of a correction or conflict).
	Observation(id string) (record.Observation, bool, error)
}

// Importer is the state of one import: its result, options, held items
// and the births of the patients it has looked up or stored.
type Importer struct {
	b        Backend
	res      *store.ImportResult
	opt      store.ImportOptions
	known    map[string]patientBirth
	done     int
	pending  record.Batch // items whose patient is not known yet
	npending int
	final    bool           // set by Flush: an unknown patient is then a rejection
	ids      map[string]int // sameID's index of a chunk's observations by id, reused from chunk to chunk
	// fixes are the corrections whose replacements the backend is storing
	// (corrections), by index; nil while it stores plain observations.
	fixes    []record.Retraction
	received time.Time // the Received of the last correction stored
	counts   *patientCounts
}

// patientBirth is what the importer keeps of a patient it looked up.
type patientBirth struct {
	exists bool
	p      record.Patient // ID, BirthDate and BirthPrecision
}

// New starts the import state for a store's backend b.
func New(b Backend, opt store.ImportOptions) *Importer {
	im := &Importer{b: b, res: &store.ImportResult{}, opt: opt, known: map[string]patientBirth{}}
	if opt.Audit != nil {
		im.counts = &patientCounts{by: map[string]*store.PatientCounts{}}
	}
	return im
}

// Result is the import's result so far.
func (im *Importer) Result() *store.ImportResult { return im.res }

// Progress counts n items stored, calling ImportOptions.Progress every
// 10,000.
func (im *Importer) Progress(n int) {
	before := im.done
	im.done += n
	if im.opt.Progress != nil && im.done/10000 != before/10000 {
		im.opt.Progress(im.done)
	}
}

// Reject counts one rejected item and reports it (OnReject), or keeps it
// in the result while there are fewer than MaxRejections.
func (im *Importer) Reject(kind, id, pid string, prov record.Provenance, err error) {
	im.reject(store.Rejection{Kind: kind, ID: id, PatientID: pid, Provenance: prov, Err: err})
}

// rejectObservation is Reject for observation o, with its notes.
func (im *Importer) rejectObservation(o *record.Observation, err error) {
	im.reject(store.Rejection{Kind: "observation", ID: o.ID, PatientID: o.PatientID, Provenance: o.Provenance(), Err: err, Notes: o.Notes})
}

func (im *Importer) reject(r store.Rejection) {
	im.res.RejectedCount++
	switch {
	case im.opt.OnReject != nil:
		im.opt.OnReject(r)
	case im.opt.MaxRejections <= 0 || len(im.res.Rejected) < im.opt.MaxRejections:
		im.res.Rejected = append(im.res.Rejected, r)
	}
}

// Flush stores the held items (at Commit): an item whose patient is still
// unknown is then rejected.
func (im *Importer) Flush() error {
	im.final = true
	pending := im.pending
	im.pending, im.npending = record.Batch{}, 0
	return im.Run(&pending)
}

// Finish reports the final progress, and whether the import must be
// rolled back: in strict mode when anything was rejected (the result then
// says RolledBack).
func (im *Importer) Finish() (rollBack bool) {
	if im.opt.Progress != nil {
		im.opt.Progress(im.done)
	}
	if im.opt.Strict && im.res.RejectedCount > 0 {
		im.res.RolledBack = true
		return true
	}
	return false
}

// hold keeps an item whose patient is not known yet until Flush; it
// returns false when MaxPending items are held already.
func (im *Importer) hold(add func(*record.Batch)) bool {
	if im.final || im.npending >= store.MaxPending {
		return false
	}
	add(&im.pending)
	im.npending++
	return true
}

// Import stores a batch in one transaction of s: BeginImport, Add and
// Commit (store.Store.Import).
func Import(ctx context.Context, s interface {
	BeginImport(context.Context, store.ImportOptions) (store.ImportTx, error)
}, b *record.Batch, opt store.ImportOptions) (*store.ImportResult, error) {
	tx, err := s.BeginImport(ctx, opt)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.Add(b); err != nil {
		return nil, err
	}
	return tx.Commit()
}
