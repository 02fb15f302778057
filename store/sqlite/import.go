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
	im := &importer{ctx: ctx, tx: tx, conn: conn, res: &store.ImportResult{}, opt: opt, known: map[string]patientBirth{}}
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

// importer is one import in progress (store.ImportTx).
type importer struct {
	ctx   context.Context
	tx    *sql.Tx
	conn  *sql.Conn // the connection tx runs on
	res   *store.ImportResult
	opt   store.ImportOptions
	known map[string]patientBirth // patients looked up or added so far
	// analytes holds the analytes.code of each analyte seen, in its
	// canonical unit; observations() fills it before storing any row.
	analytes map[units.Analyte]int64
	done     int
	mark     int64       // the largest observation rowid: see BeginImport
	full     driver.Stmt // the INSERT of obsChunk rows, prepared when the first full chunk comes
	// pending holds items whose patient is not known yet (ImportTx.Add);
	// final is set at Commit, when an unknown patient is a rejection.
	pending  record.Batch
	npending int
	final    bool
	err      error // the first failure of the store: the import is then rolled back
	ended    bool
}

// patientBirth is what the importer keeps of a patient it looked up.
type patientBirth struct {
	exists bool
	p      record.Patient // ID, BirthDate and BirthPrecision
}

var _ store.ImportTx = (*importer)(nil)

// Add stores one chunk of items (store.ImportTx).
func (im *importer) Add(b *record.Batch) error {
	if im.err != nil {
		return im.err
	}
	if im.ended {
		return errors.New("sqlite: Add after the import ended")
	}
	if err := im.run(b); err != nil {
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
	im.final = true
	pending := im.pending
	im.pending, im.npending = record.Batch{}, 0
	if err := im.run(&pending); err != nil {
		im.Rollback()
		return nil, err
	}
	if im.opt.Progress != nil {
		im.opt.Progress(im.done)
	}
	var last int64
	if err := im.tx.QueryRowContext(im.ctx, maxRowid).Scan(&last); err != nil {
		im.Rollback()
		return nil, err
	}
	if last != im.mark {
		im.Rollback()
		return nil, fmt.Errorf("observations: the largest rowid is %d after the import, not %d as the INSERTs' counts imply", last, im.mark)
	}
	if im.opt.Strict && im.res.RejectedCount > 0 {
		im.res.RolledBack = true
		return im.res, im.Rollback()
	}
	if im.res.Imported > 0 {
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE store_changes SET changes = changes + 1`); err != nil {
			im.Rollback()
			return nil, err
		}
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

// hold keeps an item whose patient is not known yet until Commit; it
// returns false when MaxPending items are held already.
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
		v1 := c
		v1.Verification = "" // what schema version 1 stored
		ok, err := im.checkItem(itemdoc.KindCondition, c.ID, c.PatientID, c.Provenance, "onset", c.Onset, record.PrecisionDay,
			func(p *record.Batch) { p.Conditions = append(p.Conditions, c) })
		if err == nil && ok {
			err = im.itemV1(itemdoc.KindCondition, c.ID, c.PatientID, c.Onset, c.Provenance, c.ContentHash(), v1.ContentHash(), itemdoc.Condition(c))
		}
		if err != nil {
			return err
		}
	}
	for _, f := range b.Findings {
		ok, err := im.checkItem(itemdoc.KindFinding, f.ID, f.PatientID, f.Provenance, "time", f.Time, record.PrecisionDay,
			func(p *record.Batch) { p.Findings = append(p.Findings, f) })
		if err == nil && ok {
			err = im.item(itemdoc.KindFinding, f.ID, f.PatientID, f.Time, f.Provenance, f.ContentHash(), itemdoc.Finding(f))
		}
		if err != nil {
			return err
		}
	}
	for _, x := range b.Biopsies {
		ok, err := im.checkItem(itemdoc.KindBiopsy, x.ID, x.PatientID, x.Provenance, "time", x.Time, record.PrecisionDay,
			func(p *record.Batch) { p.Biopsies = append(p.Biopsies, x) })
		if err == nil && ok {
			err = im.item(itemdoc.KindBiopsy, x.ID, x.PatientID, x.Time, x.Provenance, x.ContentHash(), itemdoc.Biopsy(x))
		}
		if err != nil {
			return err
		}
	}
	for _, x := range b.Therapies {
		ok, err := im.checkItem(itemdoc.KindTherapy, x.ID, x.PatientID, x.Provenance, "start", x.Start, record.PrecisionDay,
			func(p *record.Batch) { p.Therapies = append(p.Therapies, x) })
		if err == nil && ok {
			err = im.item(itemdoc.KindTherapy, x.ID, x.PatientID, x.Start, x.Provenance, x.ContentHash(), itemdoc.Therapy(x))
		}
		if err != nil {
			return err
		}
	}
	for _, x := range b.Replacements {
		ok, err := im.checkItem(itemdoc.KindReplacement, x.ID, x.PatientID, x.Provenance, "start", x.Start, record.PrecisionDay,
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

// schemaVersion is the version of the newest migration, written in the
// version column of the rows this importer stores.
const schemaVersion = 5

func (im *importer) patients(ps []record.Patient) error {
	if len(ps) == 0 {
		return nil
	}
	ins, err := im.tx.PrepareContext(im.ctx, `INSERT INTO patients (patient_id, birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer ins.Close()
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
		args := []any{p.ID, textTime(p.BirthDate), p.BirthPrecision.String(), p.Sex.String(), p.Deceased, textTime(p.DeceasedDate), string(prov), h[:], schemaVersion}
		r, err := ins.ExecContext(im.ctx, args...)
		if err != nil {
			return err
		}
		im.progress(1)
		if n, _ := r.RowsAffected(); n == 1 {
			im.res.Imported++
			im.known[p.ID] = patientBirth{exists: true, p: record.Patient{ID: p.ID, BirthDate: p.BirthDate, BirthPrecision: p.BirthPrecision}}
			continue
		}
		delete(im.known, p.ID) // the stored patient counts: looked up again when needed
		var (
			old     []byte
			version int
		)
		if err := im.tx.QueryRowContext(im.ctx, `SELECT hash, version FROM patients WHERE patient_id = ?`, p.ID).Scan(&old, &version); err != nil {
			return err
		}
		v1 := p
		v1.BirthPrecision, v1.Deceased, v1.DeceasedDate = record.PrecisionDay, false, time.Time{}
		v1h := v1.ContentHash()
		switch {
		case bytes.Equal(old, h[:]):
			im.res.Unchanged++
		case version < 2 && bytes.Equal(old, v1h[:]):
			// Stored by schema version 1, which could not hold birth
			// precision or death: fill them in.
			if _, err := im.tx.ExecContext(im.ctx, `UPDATE patients SET birth_date = ?, birth_precision = ?, sex = ?, deceased = ?, deceased_date = ?,
				prov = ?, hash = ?, version = ? WHERE patient_id = ?`, append(args[1:], p.ID)...); err != nil {
				return err
			}
			im.res.Imported++
		default:
			im.reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: patient %s is stored with other details", store.ErrConflict, p.ID))
		}
	}
	return nil
}

// patient looks a patient up in the store (once per import).
func (im *importer) patient(id string) (patientBirth, error) {
	if pb, seen := im.known[id]; seen {
		return pb, nil
	}
	var (
		birth sql.NullString
		prec  string
	)
	err := im.tx.QueryRowContext(im.ctx, `SELECT birth_date, birth_precision FROM patients WHERE patient_id = ?`, id).Scan(&birth, &prec)
	if errors.Is(err, sql.ErrNoRows) {
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

// checkItem rejects items without an id, with an unknown patient, or
// dated (what, t, given to precision prec) before the patient's birth. An
// item whose patient is not known yet is held by hold(add) until Commit
// when there is room (ok is then false, and nothing is rejected).
func (im *importer) checkItem(kind, id, pid string, prov record.Provenance, what string, t time.Time, prec record.DatePrecision,
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
		return true, nil // an item's zero time is "unknown"; an observation's is 0001-01-01
	}
	if err := pb.p.CheckAfterBirth(kind+" "+what, t, prec); err != nil {
		im.reject(kind, id, pid, prov, fmt.Errorf("%w: %w", store.ErrInvalid, err))
		return false, nil
	}
	return true, nil
}

func (im *importer) item(kind, id, pid string, t time.Time, prov record.Provenance, h [32]byte, doc any) error {
	return im.itemV1(kind, id, pid, t, prov, h, h, doc)
}

// itemV1 stores an item whose hash under schema version 1 was v1 (the hash
// of the item without the fields version 2 added). A row written by version
// 1 with hash v1 is the same item without those fields: it is updated.
// The caller has checked the item (checkItem).
func (im *importer) itemV1(kind, id, pid string, t time.Time, prov record.Provenance, h, v1 [32]byte, doc any) error {
	js, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	r, err := im.tx.ExecContext(im.ctx, `INSERT INTO items (patient_id, id, kind, time, doc, hash, version) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		pid, id, kind, textTime(t), string(js), h[:], schemaVersion)
	if err != nil {
		return err
	}
	im.progress(1)
	if n, _ := r.RowsAffected(); n == 1 {
		im.res.Imported++
		return nil
	}
	var (
		old     []byte
		version int
		oldPID  string
	)
	if err := im.tx.QueryRowContext(im.ctx, `SELECT hash, version, patient_id FROM items WHERE id = ?`, id).Scan(&old, &version, &oldPID); err != nil {
		return err
	}
	switch {
	case bytes.Equal(old, h[:]):
		im.res.Unchanged++
	case h != v1 && version < 2 && oldPID == pid && bytes.Equal(old, v1[:]):
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE items SET doc = ?, hash = ?, version = ? WHERE patient_id = ? AND id = ?`,
			string(js), h[:], schemaVersion, pid, id); err != nil {
			return err
		}
		im.res.Imported++
	default:
		im.reject(kind, id, pid, prov, fmt.Errorf("%w: %s %s is stored with other content", store.ErrConflict, kind, id))
	}
	return nil
}
