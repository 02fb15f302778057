package sqlite

import (
	"context"
	"database/sql"
	"time"

	"renalwatch/record"
)

// Stored returns the stored details of a patient (importcore.Backend).
func (im *importer) Stored(id string) (record.Patient, error) {
	return scanPatient(im.tx.QueryRowContext(im.ctx, sqlPatient, id))
}

// Dated calls each with the patient's observations and items dated before
// t (importcore.Backend). Observations are compared by whole second, so
// that the check sees every one that could be before t.
func (im *importer) Dated(pid string, before time.Time, each func(kind, id string, t time.Time, prec record.DatePrecision) error) error {
	err := eachRow(im.ctx, im.tx, `SELECT id, time, time_ns, time_prec FROM observations WHERE patient_id = ? AND time <= ?`, func(r *sql.Rows) error {
		var (
			id      string
			sec, ns int64
			prec    sql.NullInt64
		)
		if err := r.Scan(&id, &sec, &ns, &prec); err != nil {
			return err
		}
		p := record.PrecisionDay
		if prec.Int64 >= 0 && prec.Int64 < int64(len(precisionByCode)) {
			p = precisionByCode[prec.Int64]
		}
		return each("observation", id, fromObsTime(sec, ns), p)
	}, pid, before.Unix())
	if err != nil {
		return err
	}
	return eachRow(im.ctx, im.tx, `SELECT kind, id, time FROM items WHERE patient_id = ? AND time IS NOT NULL AND time < ?`, func(r *sql.Rows) error {
		var (
			kind, id string
			at       sql.NullString
		)
		if err := r.Scan(&kind, &id, &at); err != nil {
			return err
		}
		t, err := fromTextTime(at)
		if err != nil {
			return err
		}
		return each(kind, id, t, record.PrecisionDay)
	}, pid, textTime(before))
}

// Replace keeps the stored details of patient p.ID in patient_history and
// stores p's in their place (importcore.Backend).
func (im *importer) Replace(p record.Patient, at time.Time) error {
	if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO patient_history (patient_id, seq, replaced_at, replaced_by,
			birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, updated)
		SELECT patient_id, (SELECT coalesce(max(seq), 0) + 1 FROM patient_history WHERE patient_id = ?), ?, ?,
			birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, updated
		FROM patients WHERE patient_id = ?`, p.ID, textTime(at), p.Provenance.File, p.ID); err != nil {
		return err
	}
	h := p.ContentHash()
	_, err := im.tx.ExecContext(im.ctx, `UPDATE patients SET birth_date = ?, birth_precision = ?, sex = ?, deceased = ?, deceased_date = ?,
		prov = ?, hash = ?, version = ?, updated = ? WHERE patient_id = ?`,
		textTime(p.BirthDate), p.BirthPrecision.String(), p.Sex.String(), p.Deceased, textTime(p.DeceasedDate), provJSON(p), h[:], schemaVersion,
		textTime(p.Updated), p.ID)
	return err
}

// updates reads the patient's replaced details, oldest first.
func (db *DB) updates(ctx context.Context, tl *record.Timeline) error {
	var us []record.PatientUpdate
	err := eachRow(ctx, db.r, `SELECT replaced_at, replaced_by, `+patientColumns+` FROM patient_history WHERE patient_id = ? ORDER BY seq`, func(r *sql.Rows) error {
		var (
			u   record.PatientUpdate
			at  sql.NullString
			err error
		)
		if u.Previous, err = scanPatient(prefixed{r, []any{&at, &u.File}}); err != nil {
			return err
		}
		if u.Time, err = fromTextTime(at); err != nil {
			return err
		}
		us = append(us, u)
		return nil
	}, tl.Patient.ID)
	if err != nil {
		return err
	}
	tl.SetUpdates(us)
	return nil
}

// prefixed scans the columns pre point to, then those Scan is given.
type prefixed struct {
	row interface{ Scan(...any) error }
	pre []any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append(p.pre, dest...)...) }
