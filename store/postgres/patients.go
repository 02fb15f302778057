package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"renalwatch/record"
	"renalwatch/store/itemdoc"
)

// Stored returns the stored details of a patient (importcore.Backend).
func (im *importer) Stored(id string) (record.Patient, error) {
	return scanPatient(im.tx.QueryRow(im.ctx, `SELECT `+patientColumns+` FROM patients WHERE patient_id = $1`, id))
}

// Dated calls each with the patient's observations and items dated before
// t (importcore.Backend). Observations are compared by whole second, so
// that the check sees every one that could be before t.
func (im *importer) Dated(pid string, before time.Time, each func(kind, id string, t time.Time, prec record.DatePrecision) error) error {
	var (
		id, kind string
		sec      int64
		ns       int32
		prec     int16
		at       *string
	)
	_, err := pgx.ForEachRow(mustQuery(im.ctx, im.tx, `SELECT id, time, time_ns, time_prec FROM observations WHERE patient_id = $1 AND time <= $2`,
		pid, before.Unix()), []any{&id, &sec, &ns, &prec}, func() error {
		p := record.PrecisionDay
		if prec >= 0 && int(prec) < len(precisionByCode) {
			p = precisionByCode[prec]
		}
		return each("observation", id, fromObsTime(sec, ns), p)
	})
	if err != nil {
		return err
	}
	_, err = pgx.ForEachRow(mustQuery(im.ctx, im.tx, `SELECT kind, id, time FROM items WHERE patient_id = $1 AND time IS NOT NULL AND time < $2`,
		pid, textTime(before)), []any{&kind, &id, &at}, func() error {
		t, err := fromTextTime(at)
		if err != nil {
			return err
		}
		return each(kind, id, t, record.PrecisionDay)
	})
	return err
}

// Replace keeps the stored details of patient p.ID in patient_history and
// stores p's in their place (importcore.Backend).
func (im *importer) Replace(p record.Patient, at time.Time) error {
	if _, err := im.tx.Exec(im.ctx, `INSERT INTO patient_history (patient_id, seq, replaced_at, replaced_by,
			birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, updated)
		SELECT patient_id, (SELECT coalesce(max(seq), 0) + 1 FROM patient_history WHERE patient_id = $1), $2, $3,
			birth_date, birth_precision, sex, deceased, deceased_date, prov, hash, updated
		FROM patients WHERE patient_id = $1`, p.ID, textTime(at), p.Provenance.File); err != nil {
		return err
	}
	h := p.ContentHash()
	_, err := im.tx.Exec(im.ctx, `UPDATE patients SET birth_date = $2, birth_precision = $3, sex = $4, deceased = $5, deceased_date = $6,
		prov = $7, hash = $8, updated = $9 WHERE patient_id = $1`,
		p.ID, textTime(p.BirthDate), p.BirthPrecision.String(), p.Sex.String(), p.Deceased, textTime(p.DeceasedDate), provJSON(p), h[:], textTime(p.Updated))
	return err
}

// provJSON is the stored form of a patient's provenance.
func provJSON(p record.Patient) string {
	prov, _ := json.Marshal(itemdoc.Bare(p.Provenance))
	return string(prov)
}

// updates reads the patient's replaced details, oldest first.
func updates(ctx context.Context, tx pgx.Tx, tl *record.Timeline) error {
	rows, err := tx.Query(ctx, `SELECT replaced_at, replaced_by, `+patientColumns+` FROM patient_history WHERE patient_id = $1 ORDER BY seq`, tl.Patient.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var us []record.PatientUpdate
	for rows.Next() {
		var (
			u  record.PatientUpdate
			at *string
		)
		if u.Previous, err = scanPatient(prefixed{rows, []any{&at, &u.File}}); err != nil {
			return err
		}
		if u.Time, err = fromTextTime(at); err != nil {
			return err
		}
		us = append(us, u)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	tl.SetUpdates(us)
	return nil
}

// prefixed scans the columns pre point to, then those Scan is given.
type prefixed struct {
	row pgx.Row
	pre []any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append(p.pre, dest...)...) }
