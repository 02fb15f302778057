package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/itemdoc"
	"renalwatch/units"
)

// Import stores a batch in one transaction: BeginImport, Add and Commit.
func (db *DB) Import(ctx context.Context, b *record.Batch, opt store.ImportOptions) (*store.ImportResult, error) {
	tx, err := db.BeginImport(ctx, opt)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := tx.Add(b); err != nil {
		return nil, err
	}
	return tx.Commit()
}

// BeginImport starts an import: one transaction that first takes the
// store's import lock, a transaction-level advisory lock held until it
// commits or rolls back. Imports into one database, from any number of
// processes, thus run one after the other: the second of two imports of
// the same file waits for the first and then finds every item stored
// (unchanged), with no duplicate, no lost row and no deadlock. Readers
// never wait for it.
func (db *DB) BeginImport(ctx context.Context, opt store.ImportOptions) (store.ImportTx, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return nil, db.err(err)
	}
	im := &importer{ctx: ctx, db: db, tx: tx, res: &store.ImportResult{}, opt: opt, known: map[string]patientBirth{}}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(importLock)); err != nil {
		im.Rollback()
		return nil, db.err(err)
	}
	if _, err := tx.Exec(ctx, stageTable); err != nil {
		im.Rollback()
		return nil, db.err(err)
	}
	return im, nil
}

// importer is one import in progress (store.ImportTx).
type importer struct {
	ctx      context.Context
	db       *DB
	tx       pgx.Tx
	res      *store.ImportResult
	opt      store.ImportOptions
	known    map[string]patientBirth
	analytes map[units.Analyte]int16
	done     int
	pending  record.Batch
	npending int
	final    bool
	err      error
	ended    bool
}

type patientBirth struct {
	exists bool
	p      record.Patient
}

var _ store.ImportTx = (*importer)(nil)

// Add stores one chunk of items (store.ImportTx).
func (im *importer) Add(b *record.Batch) error {
	if im.err != nil {
		return im.err
	}
	if im.ended {
		return errors.New("postgres: Add after the import ended")
	}
	if err := im.run(b); err != nil {
		im.err = im.db.err(err)
		im.Rollback()
		return im.err
	}
	return nil
}

// Commit stores what is pending, then commits, or rolls back in strict
// mode when anything was rejected (store.ImportTx).
func (im *importer) Commit() (*store.ImportResult, error) {
	if im.err != nil {
		return nil, im.err
	}
	if im.ended {
		return nil, errors.New("postgres: Commit after the import ended")
	}
	im.final = true
	pending := im.pending
	im.pending, im.npending = record.Batch{}, 0
	if err := im.run(&pending); err != nil {
		im.Rollback()
		return nil, im.db.err(err)
	}
	if im.opt.Progress != nil {
		im.opt.Progress(im.done)
	}
	if im.opt.Strict && im.res.RejectedCount > 0 {
		im.res.RolledBack = true
		return im.res, im.Rollback()
	}
	if im.res.Imported > 0 {
		if _, err := im.tx.Exec(im.ctx, `UPDATE store_changes SET changes = changes + 1`); err != nil {
			im.Rollback()
			return nil, im.db.err(err)
		}
	}
	im.ended = true
	if err := im.tx.Commit(im.ctx); err != nil {
		return nil, im.db.err(err)
	}
	return im.res, nil
}

// Rollback abandons the import; it does nothing once the import has ended.
func (im *importer) Rollback() error {
	if im.ended {
		return nil
	}
	im.ended = true
	// A context already cancelled must not keep the connection in a
	// transaction: roll back on a context of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(im.ctx), 30*time.Second)
	defer cancel()
	return im.db.err(im.tx.Rollback(ctx))
}

func (im *importer) progress(n int) {
	before := im.done
	im.done += n
	if im.opt.Progress != nil && im.done/10000 != before/10000 {
		im.opt.Progress(im.done)
	}
}

func (im *importer) reject(kind, id, pid string, prov record.Provenance, err error) {
	im.res.RejectedCount++
	r := store.Rejection{Kind: kind, ID: id, PatientID: pid, Provenance: prov, Err: err}
	switch {
	case im.opt.OnReject != nil:
		im.opt.OnReject(r)
	case im.opt.MaxRejections <= 0 || len(im.res.Rejected) < im.opt.MaxRejections:
		im.res.Rejected = append(im.res.Rejected, r)
	}
}

func (im *importer) hold(add func(*record.Batch)) bool {
	if im.final || im.npending >= store.MaxPending {
		return false
	}
	add(&im.pending)
	im.npending++
	return true
}

func (im *importer) run(b *record.Batch) error {
	if err := im.patients(b.Patients); err != nil {
		return err
	}
	if err := im.observations(b.Observations); err != nil {
		return err
	}
	for _, c := range b.Conditions {
		ok, err := im.checkItem(itemdoc.KindCondition, c.ID, c.PatientID, c.Provenance, "onset", c.Onset,
			func(p *record.Batch) { p.Conditions = append(p.Conditions, c) })
		if err == nil && ok {
			err = im.item(itemdoc.KindCondition, c.ID, c.PatientID, c.Onset, c.Provenance, c.ContentHash(), itemdoc.Condition(c))
		}
		if err != nil {
			return err
		}
	}
	for _, f := range b.Findings {
		ok, err := im.checkItem(itemdoc.KindFinding, f.ID, f.PatientID, f.Provenance, "time", f.Time,
			func(p *record.Batch) { p.Findings = append(p.Findings, f) })
		if err == nil && ok {
			err = im.item(itemdoc.KindFinding, f.ID, f.PatientID, f.Time, f.Provenance, f.ContentHash(), itemdoc.Finding(f))
		}
		if err != nil {
			return err
		}
	}
	for _, x := range b.Biopsies {
		ok, err := im.checkItem(itemdoc.KindBiopsy, x.ID, x.PatientID, x.Provenance, "time", x.Time,
			func(p *record.Batch) { p.Biopsies = append(p.Biopsies, x) })
		if err == nil && ok {
			err = im.item(itemdoc.KindBiopsy, x.ID, x.PatientID, x.Time, x.Provenance, x.ContentHash(), itemdoc.Biopsy(x))
		}
		if err != nil {
			return err
		}
	}
	for _, x := range b.Therapies {
		ok, err := im.checkItem(itemdoc.KindTherapy, x.ID, x.PatientID, x.Provenance, "start", x.Start,
			func(p *record.Batch) { p.Therapies = append(p.Therapies, x) })
		if err == nil && ok {
			err = im.item(itemdoc.KindTherapy, x.ID, x.PatientID, x.Start, x.Provenance, x.ContentHash(), itemdoc.Therapy(x))
		}
		if err != nil {
			return err
		}
	}
	for _, x := range b.Replacements {
		ok, err := im.checkItem(itemdoc.KindReplacement, x.ID, x.PatientID, x.Provenance, "start", x.Start,
			func(p *record.Batch) { p.Replacements = append(p.Replacements, x) })
		if err == nil && ok {
			err = im.item(itemdoc.KindReplacement, x.ID, x.PatientID, x.Start, x.Provenance, x.ContentHash(), itemdoc.Replacement(x))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) patients(ps []record.Patient) error {
	for _, p := range ps {
		if p.ID == "" {
			im.reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: no id", store.ErrInvalid))
			continue
		}
		if err := record.CheckBirthDate(p.BirthDate); err != nil {
			im.reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: %w", store.ErrInvalid, err))
			continue
		}
		if err := p.CheckAfterBirth("date of death", p.DeceasedDate, record.PrecisionDay); err != nil && !p.DeceasedDate.IsZero() {
			im.reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: %w", store.ErrInvalid, err))
			continue
		}
		h := p.ContentHash()
		prov, _ := json.Marshal(itemdoc.Bare(p.Provenance))
		tag, err := im.tx.Exec(im.ctx, `INSERT INTO patients (patient_id, birth_date, birth_precision, sex, deceased, deceased_date, prov, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
			p.ID, textTime(p.BirthDate), p.BirthPrecision.String(), p.Sex.String(), p.Deceased, textTime(p.DeceasedDate), string(prov), h[:])
		if err != nil {
			return err
		}
		im.progress(1)
		if tag.RowsAffected() == 1 {
			im.res.Imported++
			im.known[p.ID] = patientBirth{exists: true, p: record.Patient{ID: p.ID, BirthDate: p.BirthDate, BirthPrecision: p.BirthPrecision}}
			continue
		}
		delete(im.known, p.ID)
		var old []byte
		if err := im.tx.QueryRow(im.ctx, `SELECT hash FROM patients WHERE patient_id = $1`, p.ID).Scan(&old); err != nil {
			return err
		}
		if bytes.Equal(old, h[:]) {
			im.res.Unchanged++
		} else {
			im.reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: patient %s is stored with other details", store.ErrConflict, p.ID))
		}
	}
	return nil
}

func (im *importer) patient(id string) (patientBirth, error) {
	if pb, seen := im.known[id]; seen {
		return pb, nil
	}
	var (
		birth *string
		prec  string
	)
	err := im.tx.QueryRow(im.ctx, `SELECT birth_date, birth_precision FROM patients WHERE patient_id = $1`, id).Scan(&birth, &prec)
	if errors.Is(err, pgx.ErrNoRows) {
		im.known[id] = patientBirth{}
		return patientBirth{}, nil
	}
	if err != nil {
		return patientBirth{}, err
	}
	pb := patientBirth{exists: true, p: record.Patient{ID: id}}
	if pb.p.BirthDate, err = fromTextTime(birth); err != nil {
		return pb, fmt.Errorf("patient %s: %w", id, err)
	}
	pb.p.BirthPrecision, _ = record.ParseDatePrecision(prec)
	im.known[id] = pb
	return pb, nil
}

// checkItem is store/sqlite's: it rejects items without an id, with an
// unknown patient, or dated before the patient's birth, and holds an item
// whose patient is not known yet until Commit.
func (im *importer) checkItem(kind, id, pid string, prov record.Provenance, what string, t time.Time,
	add func(*record.Batch)) (ok bool, err error) {
	return im.checkItemPrec(kind, id, pid, prov, what, t, record.PrecisionDay, add)
}

func (im *importer) checkItemPrec(kind, id, pid string, prov record.Provenance, what string, t time.Time, prec record.DatePrecision,
	add func(*record.Batch)) (ok bool, err error) {
	if id == "" || pid == "" {
		im.reject(kind, id, pid, prov, fmt.Errorf("%w: an item needs an id and a patient", store.ErrInvalid))
		return false, nil
	}
	pb, err := im.patient(pid)
	if err != nil {
		return false, err
	}
	if !pb.exists {
		if !im.hold(add) {
			im.reject(kind, id, pid, prov, fmt.Errorf("%w: %s (import the patient first, or in the same file)", store.ErrUnknownPatient, pid))
		}
		return false, nil
	}
	if t.IsZero() && kind != "observation" {
		return true, nil
	}
	if err := pb.p.CheckAfterBirth(kind+" "+what, t, prec); err != nil {
		im.reject(kind, id, pid, prov, fmt.Errorf("%w: %w", store.ErrInvalid, err))
		return false, nil
	}
	return true, nil
}

func (im *importer) item(kind, id, pid string, t time.Time, prov record.Provenance, h [32]byte, doc any) error {
	js, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	tag, err := im.tx.Exec(im.ctx, `INSERT INTO items (patient_id, id, kind, time, doc, hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		pid, id, kind, textTime(t), string(js), h[:])
	if err != nil {
		return err
	}
	im.progress(1)
	if tag.RowsAffected() == 1 {
		im.res.Imported++
		return nil
	}
	var old []byte
	if err := im.tx.QueryRow(im.ctx, `SELECT hash FROM items WHERE id = $1`, id).Scan(&old); err != nil {
		return err
	}
	if bytes.Equal(old, h[:]) {
		im.res.Unchanged++
	} else {
		im.reject(kind, id, pid, prov, fmt.Errorf("%w: %s %s is stored with other content", store.ErrConflict, kind, id))
	}
	return nil
}
