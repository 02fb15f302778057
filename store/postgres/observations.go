package postgres

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"renalwatch/record"

	"renalwatch/store/itemdoc"
	"renalwatch/units"
)

// stageTable is the import's staging table: a temporary table of the
// connection, emptied at every commit. A chunk of observations that could
// not be copied straight into observations (some are stored already) is
// copied into it (COPY, binary) and moved into observations with one
// INSERT … SELECT … ON CONFLICT DO NOTHING.
const stageTable = `CREATE TEMP TABLE IF NOT EXISTS obs_stage (
	seq integer NOT NULL, patient_id text NOT NULL, id text NOT NULL, analyte smallint NOT NULL,
	time bigint NOT NULL, time_ns integer NOT NULL, time_prec smallint NOT NULL,
	value double precision NOT NULL, value_key double precision NOT NULL, comparator smallint NOT NULL,
	notes text, prov text NOT NULL) ON COMMIT DELETE ROWS`

var stageColumns = []string{"seq", "patient_id", "id", "analyte", "time", "time_ns", "time_prec", "value", "value_key", "comparator", "notes", "prov"}

const obsColumns = `patient_id, id, analyte, time, time_ns, time_prec, value, value_key, comparator, notes, prov`

var obsColumnList = stageColumns[1:]

// obsChunk is the number of observations copied and upserted at once.
const obsChunk = 50_000

// Observations stores obs[good], checked by importcore
// (importcore.Backend), obsChunk at a time.
func (im *importer) Observations(obs []record.Observation, good []int) error {
	for start := 0; start < len(good); start += obsChunk {
		if err := im.chunk(obs, good[start:min(start+obsChunk, len(good))]); err != nil {
			return err
		}
	}
	return nil
}

// obsValues are the values an observation is stored as, but for its
// patient and id.
type obsValues struct {
	analyte, prec, comparator int16
	time                      int64
	timeNS                    int32
	value, valueKey           float64
	notes                     *string
	prov                      string
}

func (im *importer) encode(o *record.Observation) obsValues {
	cmp, _ := comparatorCode(o.Comparator)
	var notes *string
	if len(o.Notes) > 0 {
		js, _ := json.Marshal(o.Notes)
		s := string(js)
		notes = &s
	}
	sec, ns := obsTime(o.Time)
	return obsValues{im.analytes[o.Analyte], precisionCode(o.TimePrecision), cmp, sec, ns, o.Value.Value, valueKey(o.Value.Value), notes, itemdoc.PackProv(o)}
}

// chunk stores obs[rows]. First it copies them straight into
// observations (COPY, binary) under a savepoint: a new file conflicts with
// nothing, and that is all — no staging table, no INSERT … SELECT, no
// speculative insertion into the unique indexes (measured: the staged
// upsert took about twice as long). A unique violation (SQLSTATE 23505:
// some row is stored already, or repeated in the chunk) rolls back to the
// savepoint; the rows are then copied into the staging table and moved
// with one INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING id, so that
// the rows it skipped can be told apart (classifySkipped), as
// store/sqlite does.
func (im *importer) chunk(obs []record.Observation, rows []int) error {
	ctx := im.ctx
	vals := make([]obsValues, len(rows))
	encode := func(k int) (*record.Observation, obsValues) {
		o := &obs[rows[k]]
		v := im.encode(o)
		vals[k] = v
		return o, v
	}
	sp, err := im.tx.Begin(ctx) // a savepoint
	if err != nil {
		return err
	}
	n, err := sp.CopyFrom(ctx, pgx.Identifier{"observations"}, obsColumnList, pgx.CopyFromSlice(len(rows), func(k int) ([]any, error) {
		o, v := encode(k)
		return []any{o.PatientID, o.ID, v.analyte, v.time, v.timeNS, v.prec, v.value, v.valueKey, v.comparator, v.notes, v.prov}, nil
	}))
	var pgErr *pgconn.PgError
	switch {
	case err == nil && n == int64(len(rows)):
		im.res.Imported += len(rows)
		im.AddedObservations(obs, rows)
		im.Progress(len(rows))
		return sp.Commit(ctx)
	case err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "23505"):
		sp.Rollback(ctx)
		return fmt.Errorf("copy observations: %w", err)
	}
	if err := sp.Rollback(ctx); err != nil {
		return err
	}
	if _, err := im.tx.Exec(ctx, `TRUNCATE obs_stage`); err != nil {
		return err
	}
	src := pgx.CopyFromSlice(len(rows), func(k int) ([]any, error) {
		o, v := encode(k)
		return []any{int32(k), o.PatientID, o.ID, v.analyte, v.time, v.timeNS, v.prec, v.value, v.valueKey, v.comparator, v.notes, v.prov}, nil
	})
	if _, err := im.tx.CopyFrom(ctx, pgx.Identifier{"obs_stage"}, stageColumns, src); err != nil {
		return fmt.Errorf("copy observations: %w", err)
	}
	const insert = `INSERT INTO observations (` + obsColumns + `) SELECT ` + obsColumns + ` FROM obs_stage ORDER BY seq ON CONFLICT DO NOTHING`
	ids, err := im.tx.Query(ctx, insert+` RETURNING id`)
	if err != nil {
		return err
	}
	inserted := map[string]bool{}
	var id string
	if _, err := pgx.ForEachRow(ids, []any{&id}, func() error { inserted[id] = true; return nil }); err != nil {
		return err
	}
	var skipped []int
	for k, i := range rows {
		o := &obs[i]
		if inserted[o.ID] {
			im.res.Imported++
			im.Added(o.PatientID, "observation")
			delete(inserted, o.ID) // a second row with this id was not inserted
			continue
		}
		skipped = append(skipped, k)
	}
	if err := im.classifySkipped(obs, rows, vals, skipped); err != nil {
		return err
	}
	im.Progress(len(rows))
	return nil
}

// storedObs is a stored observation row, but for its id.
type storedObs struct {
	pid                       string
	analyte, prec, comparator int16
	time                      int64
	timeNS                    int32
	value                     float64
}

// holds reports whether the row stores the observation of patient pid
// whose values are v: the same measurement, as record.Observation.ContentHash
// sees it (patient, analyte, time, value, comparator). Provenance, notes
// and the precision the time was written with say how the value was read,
// not what was measured; the stored ones are kept.
func (s storedObs) holds(pid string, v obsValues) bool {
	return s.pid == pid && s.analyte == v.analyte && s.time == v.time && s.timeNS == v.timeNS && s.comparator == v.comparator &&
		s.value == v.value
}

// classifySkipped sorts the observations obs[rows[k]], k in skipped, that
// the INSERT skipped into unchanged (same id, same content;
// importcore.StoredSame), conflicting or corrections (same id, other
// content; importcore.StoredOther) and duplicates (the same measurement under
// another id), with one query by id and one by measurement.
func (im *importer) classifySkipped(obs []record.Observation, rows []int, vals []obsValues, skipped []int) error {
	if len(skipped) == 0 {
		return nil
	}
	ids := make([]string, 0, len(skipped))
	for _, k := range skipped {
		ids = append(ids, obs[rows[k]].ID)
	}
	stored := make(map[string]storedObs, len(skipped))
	var (
		id string
		s  storedObs
	)
	q, _ := im.tx.Query(im.ctx, `SELECT id, patient_id, analyte, time, time_ns, time_prec, value, comparator
		FROM observations WHERE id = ANY($1)`, ids)
	if _, err := pgx.ForEachRow(q, []any{&id, &s.pid, &s.analyte, &s.time, &s.timeNS, &s.prec, &s.value, &s.comparator}, func() error {
		stored[id] = s
		return nil
	}); err != nil {
		return err
	}
	type measurement struct {
		pid                 string
		analyte, comparator int16
		time                int64
		timeNS              int32
		valueKey            float64
	}
	dups := map[measurement]bool{}
	for _, k := range skipped {
		o, v := &obs[rows[k]], vals[k]
		if s, ok := stored[o.ID]; ok {
			var err error
			if s.holds(o.PatientID, v) {
				err = im.StoredSame(obs, rows[k])
			} else {
				err = im.StoredOther(obs, rows[k], s.pid == o.PatientID && s.analyte == v.analyte)
			}
			if err != nil {
				return err
			}
			continue
		}
		im.res.Duplicates++
		dups[measurement{o.PatientID, v.analyte, v.comparator, v.time, v.timeNS, v.valueKey}] = true
	}
	if len(dups) == 0 {
		return nil
	}
	// ON CONFLICT DO NOTHING skips a row only for a unique index: not the
	// id, so the measurement. Check it.
	var (
		pids           = make([]string, 0, len(dups))
		analytes, cmps []int16
		times          []int64
		tns            []int32
		keys           []float64
	)
	for m := range dups {
		pids, analytes, cmps, times, tns, keys = append(pids, m.pid), append(analytes, m.analyte), append(cmps, m.comparator),
			append(times, m.time), append(tns, m.timeNS), append(keys, m.valueKey)
	}
	var n int
	if err := im.tx.QueryRow(im.ctx, `SELECT count(*) FROM observations o
		JOIN unnest($1::text[], $2::smallint[], $3::bigint[], $4::integer[], $5::double precision[], $6::smallint[]) AS m(pid, analyte, time, time_ns, value_key, comparator)
		ON (o.patient_id, o.analyte, o.time, o.time_ns, o.value_key, o.comparator) = (m.pid, m.analyte, m.time, m.time_ns, m.value_key, m.comparator)`,
		pids, analytes, times, tns, keys, cmps).Scan(&n); err != nil {
		return err
	}
	if n != len(dups) {
		return fmt.Errorf("observations: %d measurements were neither inserted nor found by id, but %d of them are stored", len(dups), n)
	}
	return nil
}

// Analyte adds the code of a to the store when it has none yet
// (importcore.Backend).
func (im *importer) Analyte(a units.Analyte) error {
	_, err := im.analyteCode(a)
	return err
}

// analyteCode returns the analytes.code of a in its canonical unit, adding
// the code when the store has none yet.
func (im *importer) analyteCode(a units.Analyte) (int16, error) {
	if code, ok := im.analytes[a]; ok {
		return code, nil
	}
	name, unit := a.String(), string(a.Canonical())
	if _, err := im.tx.Exec(im.ctx, `INSERT INTO analytes (name, unit) VALUES ($1, $2) ON CONFLICT DO NOTHING`, name, unit); err != nil {
		return 0, err
	}
	var code int16
	if err := im.tx.QueryRow(im.ctx, `SELECT code FROM analytes WHERE name = $1 AND unit = $2`, name, unit).Scan(&code); err != nil {
		return 0, err
	}
	if im.analytes == nil {
		im.analytes = map[units.Analyte]int16{}
	}
	im.analytes[a] = code
	return code, nil
}

// valueKey rounds v to 10 significant digits, as store/sqlite does.
func valueKey(v float64) float64 {
	var buf [32]byte
	r, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], v, 'g', 10, 64)), 64)
	if err != nil {
		return v
	}
	return r
}

// Corrected reports whether a correction of the observation stored under
// target is stored (importcore.Backend).
// Holder returns the patient of the item of kind stored under id
// (importcore.Backend).
func (im *importer) Holder(kind, id string) (string, bool, error) {
	q, args := `SELECT patient_id FROM items WHERE kind = $1 AND id = $2`, []any{kind, id}
	if kind == record.RetractObservation {
		q, args = `SELECT patient_id FROM observations WHERE id = $1`, []any{id}
	}
	var pid string
	err := im.tx.QueryRow(im.ctx, q, args...).Scan(&pid)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return pid, err == nil, err
}

func (im *importer) Corrected(pid, target string) (bool, error) {
	prefix := record.CorrectionPrefix(target)
	var n int
	// kind as a literal: the partial index items_corrections (migration
	// 0004) holds the corrections only, and a patient has few.
	err := im.tx.QueryRow(im.ctx, `SELECT count(*) FROM items WHERE patient_id = $1 AND kind = '`+itemdoc.KindCorrection+`' AND left(id, $2) = $3`,
		pid, utf8.RuneCountInString(prefix), prefix).Scan(&n)
	return n > 0, err
}

// Observation returns the observation stored under id (for the import
// summary's corrections and conflicts: the value it replaces), and false
// when none is stored.
func (im *importer) Observation(id string) (record.Observation, bool, error) {
	o := record.Observation{ID: id}
	var (
		name, unit string
		sec        int64
		ns         int32
		prec, cmpr int16
		prov       []byte
	)
	err := im.tx.QueryRow(im.ctx, `SELECT o.patient_id, a.name, a.unit, o.time, o.time_ns, o.time_prec, o.value, o.comparator, o.prov
		FROM observations o JOIN analytes a ON a.code = o.analyte WHERE o.id = $1`, id).
		Scan(&o.PatientID, &name, &unit, &sec, &ns, &prec, &o.Value.Value, &cmpr, &prov)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, err
	}
	if err := itemdoc.SetStored(&o, name, unit, fromObsTime(sec, ns), prov); err != nil {
		return o, false, err
	}
	if cmpr >= 0 && int(cmpr) < len(comparatorByCode) {
		o.Comparator = comparatorByCode[cmpr]
	}
	if prec >= 0 && int(prec) < len(precisionByCode) {
		o.TimePrecision = precisionByCode[prec]
	}
	return o, true, nil
}
