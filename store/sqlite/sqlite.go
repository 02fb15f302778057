package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/itemdoc"
	"renalwatch/units"
)

// DB is a store.Store backed by one SQLite file.
type DB struct {
	w *sql.DB // the one writer connection
	r *sql.DB // readers
	o openInfo
	// stmts are the statements of writeStmts prepared on w (nil for a
	// store opened read-only); write's exec uses them.
	stmts map[string]*sql.Stmt
	// jtiPurged is when (Unix seconds of the callers' clock) SeenJTI last
	// purged expired JWT ids.
	jtiPurged atomic.Int64
	// patient is the query of Patient prepared on the readers (nil:
	// prepared per call); a CDS Hooks call looks its patient up for the
	// cards' dashboard link, and compiling the query cost as much as
	// running it.
	patient *sql.Stmt
	// group queues the small writes for group commit (batch.go).
	group group
}

var _ store.Store = (*DB)(nil)

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	if db.patient != nil {
		errs = append(errs, db.patient.Close())
	}
	errs = append(errs, db.r.Close())
	for _, st := range db.stmts {
		errs = append(errs, st.Close())
	}
	return errors.Join(append(errs, db.w.Close())...)
}

// textTimeLayout is how patients and items store a time (schema version
// 4): fixed width, UTC, to the nanosecond, so that it sorts as time does
// and holds every year from 0001 to 9999.
const textTimeLayout = "2006-01-02T15:04:05.000000000Z"

// textTime returns the stored form of t, NULL (nil) for the zero time,
// which the record types use for "unknown".
func textTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(textTimeLayout)
}

func fromTextTime(s sql.NullString) (time.Time, error) { return itemdoc.ParseTime(nullable(s)) }

// nullable is s as a pointer, nil when NULL.
func nullable(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

// obsTime splits t into the stored Unix seconds and nanoseconds (schema
// version 4), which hold every year from 0001 to 9999 exactly.
func obsTime(t time.Time) (sec, ns int64) { return t.Unix(), int64(t.Nanosecond()) }

func fromObsTime(sec, ns int64) time.Time { return time.Unix(sec, ns).UTC() }

// Precision codes in observations.time_prec (migration 0004), fixed here.
var precisionByCode = [...]record.DatePrecision{record.PrecisionDay, record.PrecisionMonth, record.PrecisionYear, record.PrecisionInstant}

func precisionCode(p record.DatePrecision) int64 {
	for i, x := range precisionByCode {
		if x == p {
			return int64(i)
		}
	}
	return 0
}

// Patient returns one patient.
func (db *DB) Patient(ctx context.Context, id string) (record.Patient, error) {
	if db.patient != nil {
		return scanPatient(db.patient.QueryRowContext(ctx, id))
	}
	return scanPatient(db.r.QueryRowContext(ctx, sqlPatient, id))
}

const sqlPatient = `SELECT ` + patientColumns + ` FROM patients WHERE patient_id = ?`

// patientColumns are the columns scanPatient reads.
const patientColumns = `patient_id, birth_date, birth_precision, sex, deceased, deceased_date, prov, updated`

func scanPatient(row interface{ Scan(...any) error }) (record.Patient, error) {
	var (
		p               record.Patient
		birth, died, up sql.NullString
		prec, sex, prov string
		deceased        bool
	)
	if err := row.Scan(&p.ID, &birth, &prec, &sex, &deceased, &died, &prov, &up); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return p, fmt.Errorf("patient: %w", store.ErrNotFound)
		}
		return p, err
	}
	p.Deceased = deceased
	if err := itemdoc.DecodePatient(&p, nullable(birth), nullable(died), nullable(up), prec, sex, prov); err != nil {
		return p, err
	}
	return p, nil
}

// Patients lists every patient with counts.
func (db *DB) Patients(ctx context.Context) ([]store.PatientSummary, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+patientColumns+` FROM patients ORDER BY patient_id`)
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
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, db.r, `SELECT patient_id, count(*) FROM observations GROUP BY patient_id`, func(r *sql.Rows) error {
		var id string
		var n int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			out[i].Observations = n
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var withdrawn []int // patients with retractions or corrections (itemdoc.FixLatest)
	if err := eachRow(ctx, db.r, `SELECT patient_id, kind, count(*) FROM items GROUP BY patient_id, kind`, func(r *sql.Rows) error {
		var id, kind string
		var n int
		if err := r.Scan(&id, &kind, &n); err != nil {
			return err
		}
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
	if err := eachRow(ctx, db.r, `SELECT patient_id, value, unit, time, time_ns FROM
		(SELECT o.patient_id, o.value, a.unit, o.time, o.time_ns,
		        row_number() OVER (PARTITION BY o.patient_id ORDER BY o.time DESC, o.time_ns DESC, o.id DESC) AS n
		 FROM observations o JOIN analytes a ON a.code = o.analyte WHERE a.name = ?)
		WHERE n = 1`, func(r *sql.Rows) error {
		var id, unit string
		var v float64
		var sec, ns int64
		if err := r.Scan(&id, &v, &unit, &sec, &ns); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			out[i].LatestCreatinine = units.Quantity{Value: v, Unit: units.Unit(unit)}
			out[i].LatestCreatinineTime = fromObsTime(sec, ns)
		}
		return nil
	}, units.Creatinine.String()); err != nil {
		return nil, err
	}
	if err := itemdoc.FixLatest(ctx, out, withdrawn, db.Timeline); err != nil {
		return nil, err
	}
	return out, nil
}

func eachRow(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string, f func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

var analyteByName = func() map[string]units.Analyte {
	m := map[string]units.Analyte{}
	for _, a := range units.Analytes() {
		m[a.String()] = a
	}
	return m
}()

// Comparator codes in observations.comparator (migration 0003). They are
// fixed here, not derived from anything in Go.
var comparatorByCode = [...]record.Comparator{record.Exact, record.Less, record.LessOrEqual, record.Greater, record.GreaterOrEqual}

// comparatorCode returns the stored code of c; ok is false for a
// comparator the store cannot hold.
func comparatorCode(c record.Comparator) (code int64, ok bool) {
	for i, x := range comparatorByCode {
		if x == c {
			return int64(i), true
		}
	}
	return 0, false
}

// Timeline returns everything stored for one patient.
func (db *DB) Timeline(ctx context.Context, patientID string) (*record.Timeline, error) {
	p, err := db.Patient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	var b record.Batch
	if b.Observations, err = db.observations(ctx, patientID); err != nil {
		return nil, err
	}
	err = eachRow(ctx, db.r, `SELECT kind, doc FROM items WHERE patient_id = ?`, func(r *sql.Rows) error {
		var kind, doc string
		if err := r.Scan(&kind, &doc); err != nil {
			return err
		}
		return itemdoc.Decode(kind, []byte(doc), &b)
	}, patientID)
	if err != nil {
		return nil, err
	}
	tl := record.NewTimelineOwned(p, b)
	if err := db.updates(ctx, tl); err != nil {
		return nil, err
	}
	return tl, nil
}

// Check runs SQLite's integrity check and returns an error unless the
// database file is sound.
func (db *DB) Check(ctx context.Context) error {
	var res string
	if err := db.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}
