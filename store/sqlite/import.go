package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/importcore"
	"renalwatch/store/itemdoc"
	"renalwatch/units"
)

// Import stores a batch in one transaction: BeginImport, Add and Commit.
func (db *DB) Import(ctx context.Context, b *record.Batch, opt store.ImportOptions) (*store.ImportResult, error) {
	return importcore.Import(ctx, db, b, opt)
}

// BeginImport starts a streaming import: one IMMEDIATE transaction on a
// connection of its own (so that the bulk INSERT of observations can reach
// the driver directly, rawExec), given its items chunk by chunk.
func (db *DB) BeginImport(ctx context.Context, opt store.ImportOptions) (store.ImportTx, error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.begin(ctx, conn) // waits for another writer (lock.go)
	if err != nil {
		conn.Close()
		return nil, err
	}
	im := &importer{ctx: ctx, tx: tx, conn: conn}
	im.Importer = importcore.New(im, opt)
	im.res = im.Result()
	// Rowids are allocated as max(rowid)+1, and this transaction is the
	// only writer, so the rows an INSERT adds are exactly those above the
	// mark, and the next mark is mark+added. The mark is read once, and
	// checked against the table at Commit.
	if err := tx.QueryRowContext(ctx, maxRowid).Scan(&im.mark); err != nil {
		im.Rollback()
		return nil, err
	}
	return im, nil
}

const maxRowid = `SELECT coalesce(max(rowid), 0) FROM observations`

// importer is one import in progress (store.ImportTx): the checks and
// counts are importcore's, the SQL is here (importcore.Backend).
type importer struct {
	*importcore.Importer
	ctx  context.Context
	tx   *sql.Tx
	conn *sql.Conn           // the connection tx runs on
	res  *store.ImportResult // Importer.Result
	// analytes holds the analytes.code of each analyte seen, in its
	// canonical unit; Analyte fills it before any row is stored.
	analytes map[units.Analyte]int64
	mark     int64       // the largest observation rowid: see BeginImport
	full     driver.Stmt // the INSERT of obsChunk rows, prepared when the first full chunk comes
	insPat   *sql.Stmt   // the INSERT of a patient, prepared when the first patient comes
	err      error       // the first failure of the store: the import is then rolled back
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
		return errors.New("sqlite: Add after the import ended")
	}
	if err := im.Run(b); err != nil {
		im.err = err
		im.Rollback()
		return err
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
		return nil, errors.New("sqlite: Commit after the import ended")
	}
	if err := im.Flush(); err != nil {
		im.Rollback()
		return nil, err
	}
	rollBack := im.Finish()
	var last int64
	if err := im.tx.QueryRowContext(im.ctx, maxRowid).Scan(&last); err != nil {
		im.Rollback()
		return nil, err
	}
	if last != im.mark {
		im.Rollback()
		return nil, fmt.Errorf("observations: the largest rowid is %d after the import, not %d as the INSERTs' counts imply", last, im.mark)
	}
	if rollBack {
		return im.res, im.Rollback()
	}
	if im.res.Changed() {
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE store_changes SET changes = changes + 1`); err != nil {
			im.Rollback()
			return nil, err
		}
	}
	if err := im.auditPatients(); err != nil {
		im.Rollback()
		return nil, fmt.Errorf("audit: %w", err)
	}
	im.closeStmts()
	err := im.tx.Commit()
	im.ended = true
	im.conn.Close()
	if err != nil {
		return nil, err
	}
	return im.res, nil
}

// Rollback abandons the import (store.ImportTx); it does nothing once the
// import has ended.
func (im *importer) Rollback() error {
	if im.ended {
		return nil
	}
	im.ended = true
	im.closeStmts()
	err := im.tx.Rollback()
	return errors.Join(err, im.conn.Close())
}

func (im *importer) closeStmts() {
	if im.full != nil {
		im.rawClose(im.full)
		im.full = nil
	}
	if im.insPat != nil {
		im.insPat.Close()
		im.insPat = nil
	}
}

// schemaVersion is the version of the newest migration, written in the
// version column of the rows this importer stores.
const schemaVersion = 5

// Patient stores one checked patient (importcore.Backend). A patient
// stored by schema version 1, which could not hold birth precision or
// death, is completed (importcore.Updated).
func (im *importer) Patient(p record.Patient) (importcore.Outcome, error) {
	if im.insPat == nil {
		ins, err := im.tx.PrepareContext(im.ctx, `INSERT INTO patients (patient_id, birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, version, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return 0, err
		}
		im.insPat = ins
	}
	h := p.ContentHash()
	args := []any{p.ID, textTime(p.BirthDate), p.BirthPrecision.String(), p.Sex.String(), p.Deceased, textTime(p.DeceasedDate), provJSON(p), h[:], schemaVersion}
	r, err := im.insPat.ExecContext(im.ctx, append(args, textTime(p.Updated))...)
	if err != nil {
		return 0, err
	}
	if n, _ := r.RowsAffected(); n == 1 {
		return importcore.Inserted, nil
	}
	var (
		old     []byte
		version int
	)
	if err := im.tx.QueryRowContext(im.ctx, `SELECT hash, version FROM patients WHERE patient_id = ?`, p.ID).Scan(&old, &version); err != nil {
		return 0, err
	}
	v1 := p
	v1.BirthPrecision, v1.Deceased, v1.DeceasedDate = record.PrecisionDay, false, time.Time{}
	v1h := v1.ContentHash()
	switch {
	case bytes.Equal(old, h[:]):
		return importcore.Unchanged, nil
	case version < 2 && bytes.Equal(old, v1h[:]):
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE patients SET birth_date = ?, birth_precision = ?, sex = ?, deceased = ?, deceased_date = ?,
			prov = ?, hash = ?, version = ? WHERE patient_id = ?`, append(args[1:], p.ID)...); err != nil {
			return 0, err
		}
		return importcore.Updated, nil
	}
	return importcore.Conflict, nil
}

// provJSON is the stored form of a patient's provenance.
func provJSON(p record.Patient) string {
	prov, _ := json.Marshal(itemdoc.Bare(p.Provenance))
	return string(prov)
}

// Birth looks a patient up (importcore.Backend).
func (im *importer) Birth(id string) (record.Patient, bool, error) {
	var (
		birth sql.NullString
		prec  string
	)
	err := im.tx.QueryRowContext(im.ctx, `SELECT birth_date, birth_precision FROM patients WHERE patient_id = ?`, id).Scan(&birth, &prec)
	if errors.Is(err, sql.ErrNoRows) {
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

// Item stores one checked item (importcore.Backend). A row written by
// schema version 1 with hash it.V1 is the same item without the fields
// version 2 added: it is updated (importcore.Updated).
func (im *importer) Item(it importcore.Item) (importcore.Outcome, error) {
	js, err := json.Marshal(it.Doc)
	if err != nil {
		return 0, err
	}
	h, v1 := it.Hash, it.V1
	r, err := im.tx.ExecContext(im.ctx, `INSERT INTO items (patient_id, id, kind, time, doc, hash, version) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		it.PatientID, it.ID, it.Kind, textTime(it.Time), string(js), h[:], schemaVersion)
	if err != nil {
		return 0, err
	}
	if n, _ := r.RowsAffected(); n == 1 {
		return importcore.Inserted, nil
	}
	var (
		old     []byte
		version int
		oldPID  string
	)
	if err := im.tx.QueryRowContext(im.ctx, `SELECT hash, version, patient_id FROM items WHERE id = ?`, it.ID).Scan(&old, &version, &oldPID); err != nil {
		return 0, err
	}
	switch {
	case bytes.Equal(old, h[:]):
		return importcore.Unchanged, nil
	case h != v1 && version < 2 && oldPID == it.PatientID && bytes.Equal(old, v1[:]):
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE items SET doc = ?, hash = ?, version = ? WHERE patient_id = ? AND id = ?`,
			string(js), h[:], schemaVersion, it.PatientID, it.ID); err != nil {
			return 0, err
		}
		return importcore.Updated, nil
	}
	return importcore.Conflict, nil
}
