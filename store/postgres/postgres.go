package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/itemdoc"
	"renalwatch/units"
)

// DB is a store.Store in one PostgreSQL database, through a pgx
// connection pool. Any number of DBs, in any number of processes, may
// share one database.
type DB struct {
	pool *pgxpool.Pool
	url  string // redacted, for messages
	conn string // as given: only for scrubbing its password from errors
}

var (
	_ store.Store         = (*DB)(nil)
	_ store.ChangeCounter = (*DB)(nil)
)

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// String names the database without its password.
func (db *DB) String() string { return db.url }

// err scrubs the connection's password from an error of the driver.
func (db *DB) err(err error) error {
	if err == nil {
		return nil
	}
	return scrub(db.conn, err)
}

// Changes returns the number of committed imports that stored something,
// in every process that shares the database: a cache of what the store
// holds is valid while this number stays the same.
func (db *DB) Changes(ctx context.Context) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT changes FROM store_changes`).Scan(&n)
	return n, db.err(err)
}

// textTimeLayout: see migrations/0001_init.sql.
const textTimeLayout = "2006-01-02T15:04:05.000000000Z"

func textTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(textTimeLayout)
	return &s
}

func fromTextTime(s *string) (time.Time, error) { return itemdoc.ParseTime(s) }

func obsTime(t time.Time) (sec int64, ns int32) { return t.Unix(), int32(t.Nanosecond()) }

func fromObsTime(sec int64, ns int32) time.Time { return time.Unix(sec, int64(ns)).UTC() }

// Codes fixed in migrations/0001_init.sql (the same as store/sqlite's).
var (
	precisionByCode  = [...]record.DatePrecision{record.PrecisionDay, record.PrecisionMonth, record.PrecisionYear, record.PrecisionInstant}
	comparatorByCode = [...]record.Comparator{record.Exact, record.Less, record.LessOrEqual, record.Greater, record.GreaterOrEqual}
)

func precisionCode(p record.DatePrecision) int16 {
	for i, x := range precisionByCode {
		if x == p {
			return int16(i)
		}
	}
	return 0
}

func comparatorCode(c record.Comparator) (int16, bool) {
	for i, x := range comparatorByCode {
		if x == c {
			return int16(i), true
		}
	}
	return 0, false
}

var analyteByName = func() map[string]units.Analyte {
	m := map[string]units.Analyte{}
	for _, a := range units.Analytes() {
		m[a.String()] = a
	}
	return m
}()

const patientColumns = `patient_id, birth_date, birth_precision, sex, deceased, deceased_date, prov, updated`

func scanPatient(row pgx.Row) (record.Patient, error) {
	var (
		p               record.Patient
		birth, died, up *string
		prec, sex, prov string
	)
	if err := row.Scan(&p.ID, &birth, &prec, &sex, &p.Deceased, &died, &prov, &up); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return p, fmt.Errorf("patient: %w", store.ErrNotFound)
		}
		return p, err
	}
	if err := itemdoc.DecodePatient(&p, birth, died, up, prec, sex, prov); err != nil {
		return p, err
	}
	return p, nil
}

// Patient returns one patient.
func (db *DB) Patient(ctx context.Context, id string) (record.Patient, error) {
	p, err := scanPatient(db.pool.QueryRow(ctx, `SELECT `+patientColumns+` FROM patients WHERE patient_id = $1`, id))
	if errors.Is(err, store.ErrNotFound) {
		return p, err
	}
	return p, db.err(err)
}

// Patients lists every patient with counts, in one snapshot.
func (db *DB) Patients(ctx context.Context) ([]store.PatientSummary, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, db.err(err)
	}
	defer tx.Rollback(ctx)
	out, err := patients(ctx, tx)
	return out, db.err(err)
}

func patients(ctx context.Context, tx pgx.Tx) ([]store.PatientSummary, error) {
	rows, err := tx.Query(ctx, `SELECT `+patientColumns+` FROM patients ORDER BY patient_id`)
	if err != nil {
		return nil, err
	}
	var out []store.PatientSummary
	index := map[string]int{}
	for rows.Next() {
		p, err := scanPatient(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		index[p.ID] = len(out)
		out = append(out, store.PatientSummary{Patient: p})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var (
		id, kind string
		n        int
	)
	if _, err := pgx.ForEachRow(mustQuery(ctx, tx, `SELECT patient_id, count(*) FROM observations GROUP BY patient_id`), []any{&id, &n}, func() error {
		if i, ok := index[id]; ok {
			out[i].Observations = n
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var withdrawn []int // patients with retractions or corrections (itemdoc.FixLatest)
	if _, err := pgx.ForEachRow(mustQuery(ctx, tx, `SELECT patient_id, kind, count(*) FROM items GROUP BY patient_id, kind`), []any{&id, &kind, &n}, func() error {
		if i, ok := index[id]; ok {
			itemdoc.Count(&out[i], kind, n)
			if itemdoc.Withdrawing(kind) && !slices.Contains(withdrawn, i) {
				withdrawn = append(withdrawn, i)
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// The latest by time; ties on time go to the greatest id, as
	// record.Timeline.Latest does.
	var (
		unit string
		v    float64
		sec  int64
		ns   int32
	)
	_, err = pgx.ForEachRow(mustQuery(ctx, tx, `SELECT DISTINCT ON (o.patient_id) o.patient_id, o.value, a.unit, o.time, o.time_ns
		FROM observations o JOIN analytes a ON a.code = o.analyte WHERE a.name = $1
		ORDER BY o.patient_id, o.time DESC, o.time_ns DESC, o.id COLLATE "C" DESC`, units.Creatinine.String()), []any{&id, &v, &unit, &sec, &ns}, func() error {
		if i, ok := index[id]; ok {
			out[i].LatestCreatinine = units.Quantity{Value: v, Unit: units.Unit(unit)}
			out[i].LatestCreatinineTime = fromObsTime(sec, ns)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := itemdoc.FixLatest(ctx, out, withdrawn, func(ctx context.Context, id string) (*record.Timeline, error) {
		return timeline(ctx, tx, id) // in the same snapshot
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// mustQuery runs q; an error comes back from the rows (pgx.ForEachRow
// reports it).
func mustQuery(ctx context.Context, tx pgx.Tx, q string, args ...any) pgx.Rows {
	rows, _ := tx.Query(ctx, q, args...)
	return rows
}

// Timeline returns everything stored for one patient, in one snapshot.
func (db *DB) Timeline(ctx context.Context, patientID string) (*record.Timeline, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, db.err(err)
	}
	defer tx.Rollback(ctx)
	tl, err := timeline(ctx, tx, patientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return tl, db.err(err)
}

func timeline(ctx context.Context, tx pgx.Tx, patientID string) (*record.Timeline, error) {
	p, err := scanPatient(tx.QueryRow(ctx, `SELECT `+patientColumns+` FROM patients WHERE patient_id = $1`, patientID))
	if err != nil {
		return nil, err
	}
	var b record.Batch
	if b.Observations, err = observations(ctx, tx, patientID); err != nil {
		return nil, err
	}
	var kind, doc string
	if _, err := pgx.ForEachRow(mustQuery(ctx, tx, `SELECT kind, doc FROM items WHERE patient_id = $1`, patientID), []any{&kind, &doc}, func() error {
		return itemdoc.Decode(kind, []byte(doc), &b)
	}); err != nil {
		return nil, err
	}
	tl := record.NewTimelineOwned(p, b)
	if err := updates(ctx, tx, tl); err != nil {
		return nil, err
	}
	return tl, nil
}

func observations(ctx context.Context, tx pgx.Tx, patientID string) ([]record.Observation, error) {
	type analyteUnit struct {
		a    units.Analyte
		unit units.Unit
	}
	codes := map[int16]analyteUnit{}
	var (
		code       int16
		name, unit string
	)
	if _, err := pgx.ForEachRow(mustQuery(ctx, tx, `SELECT code, name, unit FROM analytes`), []any{&code, &name, &unit}, func() error {
		if a, ok := analyteByName[name]; ok {
			codes[code] = analyteUnit{a, units.Unit(unit)}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM observations WHERE patient_id = $1`, patientID).Scan(&n); err != nil {
		return nil, err
	}
	out := make([]record.Observation, 0, n)
	var (
		id         string
		sec        int64
		ns         int32
		prec, cmpr int16
		value      float64
		notes      *string
		prov       []byte
		provs      itemdoc.ProvReader
	)
	_, err := pgx.ForEachRow(mustQuery(ctx, tx, `SELECT id, analyte, time, time_ns, time_prec, value, comparator, notes, prov
		FROM observations WHERE patient_id = $1`, patientID), []any{&id, &code, &sec, &ns, &prec, &value, &cmpr, &notes, &prov}, func() error {
		o := record.Observation{ID: id, PatientID: patientID}
		if err := provs.Set(&o, prov); err != nil {
			return fmt.Errorf("observation %s: %w", id, err)
		}
		au, ok := codes[code]
		if !ok {
			return fmt.Errorf("observation %s: analyte code %d in the store is unknown", id, code)
		}
		if cmpr < 0 || int(cmpr) >= len(comparatorByCode) {
			return fmt.Errorf("observation %s: unknown comparator code %d in the store", id, cmpr)
		}
		if prec < 0 || int(prec) >= len(precisionByCode) {
			return fmt.Errorf("observation %s: unknown time precision code %d in the store", id, prec)
		}
		o.Analyte, o.Time, o.TimePrecision = au.a, fromObsTime(sec, ns), precisionByCode[prec]
		o.Value, o.Comparator = units.Quantity{Value: value, Unit: au.unit}, comparatorByCode[cmpr]
		if notes != nil {
			if err := json.Unmarshal([]byte(*notes), &o.Notes); err != nil {
				return fmt.Errorf("observation %s notes: %w", id, err)
			}
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

// ConnString returns the connection string db was opened with, password
// and all: for opening another pool on the same database, never for
// messages (use String).
func ConnString(db *DB) string { return db.conn }
