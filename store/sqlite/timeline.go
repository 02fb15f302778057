package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"renalwatch/record"
	"renalwatch/store/itemdoc"
	"renalwatch/units"
)

// observations reads every observation of one patient. Memory is what the
// observations hold and little more (issue 8 item 4: a report on a patient
// with a million rows): the slice is allocated once at its exact length;
// the analyte and unit come from a code table read first, not from a
// string per row; the packed provenance is read into one reused buffer,
// and what repeats from row to row is shared (itemdoc.ProvReader), so
// that a row keeps little more than its id.
func (db *DB) observations(ctx context.Context, patientID string) ([]record.Observation, error) {
	type analyteUnit struct {
		a    units.Analyte
		unit units.Unit
	}
	codes := map[int64]analyteUnit{}
	if err := eachRow(ctx, db.r, `SELECT code, name, unit FROM analytes`, func(r *sql.Rows) error {
		var (
			code       int64
			name, unit string
		)
		if err := r.Scan(&code, &name, &unit); err != nil {
			return err
		}
		if a, ok := analyteByName[name]; ok {
			codes[code] = analyteUnit{a, units.Unit(unit)}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM observations WHERE patient_id = ?`, patientID).Scan(&n); err != nil {
		return nil, err
	}
	out := make([]record.Observation, 0, n)
	var (
		provs itemdoc.ProvReader
		prov  sql.RawBytes
		// The scan destinations are declared once, not per row: Scan
		// takes their addresses, so per-row variables escaped to the heap
		// (about 350 bytes of garbage per row, which set the peak of a
		// report on a million rows; issue 8 item 4).
		o       record.Observation
		code    int64
		sec, ns int64
		prec    sql.NullInt64
		cmpr    int64
		notes   sql.NullString
	)
	err := eachRow(ctx, db.r, `SELECT id, analyte, time, time_ns, time_prec, value, comparator, notes, prov
		FROM observations WHERE patient_id = ?`, func(r *sql.Rows) error {
		o = record.Observation{}
		if err := r.Scan(&o.ID, &code, &sec, &ns, &prec, &o.Value.Value, &cmpr, &notes, &prov); err != nil {
			return err
		}
		if err := provs.Set(&o, prov); err != nil {
			return fmt.Errorf("observation %s: %w", o.ID, err)
		}
		au, ok := codes[code]
		if !ok {
			return fmt.Errorf("observation %s: analyte code %d in the store is unknown", o.ID, code)
		}
		if cmpr < 0 || cmpr >= int64(len(comparatorByCode)) {
			return fmt.Errorf("observation %s: unknown comparator code %d in the store", o.ID, cmpr)
		}
		if prec.Int64 < 0 || prec.Int64 >= int64(len(precisionByCode)) {
			return fmt.Errorf("observation %s: unknown time precision code %d in the store", o.ID, prec.Int64)
		}
		// NULL (written by schema versions 1 to 3) reads as the record's
		// default, day, which is what those versions held.
		o.PatientID, o.Analyte, o.Time, o.TimePrecision = patientID, au.a, fromObsTime(sec, ns), precisionByCode[prec.Int64]
		o.Value.Unit, o.Comparator = au.unit, comparatorByCode[cmpr]
		if notes.Valid {
			if err := json.Unmarshal([]byte(notes.String), &o.Notes); err != nil {
				return fmt.Errorf("observation %s notes: %w", o.ID, err)
			}
		}
		out = append(out, o)
		return nil
	}, patientID)
	return out, err
}
