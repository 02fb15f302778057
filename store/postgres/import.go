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
	"renalwatch/store/importcore"
	"renalwatch/units"
)

// Import stores a batch in one transaction: BeginImport, Add and Commit.
func (db *DB) Import(ctx context.Context, b *record.Batch, opt store.ImportOptions) (*store.ImportResult, error) {
	return importcore.Import(ctx, db, b, opt)
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
	im := &importer{ctx: ctx, db: db, tx: tx}
	im.Importer = importcore.New(im, opt)
	im.res = im.Result()
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

// importer is one import in progress (store.ImportTx): the checks and
// counts are importcore's, the SQL is here (importcore.Backend).
type importer struct {
	*importcore.Importer
	ctx      context.Context
	db       *DB
	tx       pgx.Tx
	res      *store.ImportResult // Importer.Result
	analytes map[units.Analyte]int16
	err      error
	ended    bool
}

var (
	_ store.ImportTx     = (*importer)(nil)
	_ importcore.Backend = (*importer)(nil)
)

// Add stores one chunk of items (store.ImportTx).
func (im *importer) Add(b *record.Batch) error {
	if im.err != nil {
		return im.err
	}
	if im.ended {
		return errors.New("postgres: Add after the import ended")
	}
	if err := im.Run(b); err != nil {
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
	if err := im.Flush(); err != nil {
		im.Rollback()
		return nil, im.db.err(err)
	}
	if im.Finish() {
		return im.res, im.Rollback()
	}
	if im.res.Changed() {
		if _, err := im.tx.Exec(im.ctx, `UPDATE store_changes SET changes = changes + 1`); err != nil {
			im.Rollback()
			return nil, im.db.err(err)
		}
	}
	if err := im.auditPatients(); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("audit: %w", im.db.err(err))
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

// Patient stores one checked patient (importcore.Backend).
func (im *importer) Patient(p record.Patient) (importcore.Outcome, error) {
	h := p.ContentHash()
	tag, err := im.tx.Exec(im.ctx, `INSERT INTO patients (patient_id, birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
		p.ID, textTime(p.BirthDate), p.BirthPrecision.String(), p.Sex.String(), p.Deceased, textTime(p.DeceasedDate), provJSON(p), h[:], textTime(p.Updated))
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() == 1 {
		return importcore.Inserted, nil
	}
	var old []byte
	if err := im.tx.QueryRow(im.ctx, `SELECT hash FROM patients WHERE patient_id = $1`, p.ID).Scan(&old); err != nil {
		return 0, err
	}
	if bytes.Equal(old, h[:]) {
		return importcore.Unchanged, nil
	}
	return importcore.Conflict, nil
}

// Birth looks a patient up (importcore.Backend).
func (im *importer) Birth(id string) (record.Patient, bool, error) {
	var (
		birth *string
		prec  string
	)
	err := im.tx.QueryRow(im.ctx, `SELECT birth_date, birth_precision FROM patients WHERE patient_id = $1`, id).Scan(&birth, &prec)
	if errors.Is(err, pgx.ErrNoRows) {
		return record.Patient{}, false, nil
	}
	if err != nil {
		return record.Patient{}, false, err
	}
	p := record.Patient{ID: id}
	if p.BirthDate, err = fromTextTime(birth); err != nil {
		return p, true, fmt.Errorf("patient %s: %w", id, err)
	}
	p.BirthPrecision, _ = record.ParseDatePrecision(prec)
	return p, true, nil
}

// Item stores one checked item (importcore.Backend); this schema has no
// version 1 rows, so it.V1 is not needed.
func (im *importer) Item(it importcore.Item) (importcore.Outcome, error) {
	js, err := json.Marshal(it.Doc)
	if err != nil {
		return 0, err
	}
	tag, err := im.tx.Exec(im.ctx, `INSERT INTO items (patient_id, id, kind, time, doc, hash) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		it.PatientID, it.ID, it.Kind, textTime(it.Time), string(js), it.Hash[:])
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() == 1 {
		return importcore.Inserted, nil
	}
	var old []byte
	if err := im.tx.QueryRow(im.ctx, `SELECT hash FROM items WHERE id = $1`, it.ID).Scan(&old); err != nil {
		return 0, err
	}
	if bytes.Equal(old, it.Hash[:]) {
		return importcore.Unchanged, nil
	}
	return importcore.Conflict, nil
}
