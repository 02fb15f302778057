package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"renalwatch/record"
	"renalwatch/units"
)

// observations reads every observation of one patient. Memory is what the
// observations hold and little more (issue 8 item 4: a report on a patient
// with a million rows): the slice is allocated once at its exact length;
// the analyte and unit come from a code table read first, not from a
// string per row; the packed provenance is read into one reused buffer,
// and its fields that repeat from row to row (source system, resource
// type, code, display, unit) are shared, so that a row keeps only its id,
// resource id and value text.
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
		intern = map[string]string{}
		prov   sql.RawBytes
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
		var err error
		if o.Provenance, err = unpackProvShared(prov, intern); err != nil {
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

// unpackProvShared is unpackProv reading from a buffer that is reused:
// the fields that repeat from row to row are shared through intern, the
// others (resource id, value) copied.
func unpackProvShared(packed []byte, intern map[string]string) (record.Provenance, error) {
	var f [8]string
	rest := packed
	for i := range f {
		var field []byte
		if i < len(f)-1 {
			j := bytes.IndexByte(rest, sep[0])
			if j < 0 {
				return record.Provenance{}, fmt.Errorf("stored provenance has %d fields, want 8", i+1)
			}
			field, rest = rest[:j], rest[j+1:]
		} else {
			if bytes.IndexByte(rest, sep[0]) >= 0 {
				return record.Provenance{}, fmt.Errorf("stored provenance has more than 8 fields")
			}
			field = rest
		}
		switch i {
		case 2, 7: // resource id and value: one per row
			f[i] = string(field)
		default:
			s, ok := intern[string(field)]
			if !ok {
				s = string(field)
				intern[s] = s
			}
			f[i] = s
		}
	}
	return record.Provenance{System: f[0], ResourceType: f[1], ResourceID: f[2], Code: record.Coding{System: f[3], Code: f[4], Display: f[5]},
		Unit: f[6], Value: f[7]}, nil
}
