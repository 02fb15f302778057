package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"renalwatch/record"

	"renalwatch/store/itemdoc"
	"renalwatch/units"
)

// obsChunk is the number of rows per multi-row INSERT; 11 columns × 1024
// rows stays under SQLite's default limit of 32,766 host parameters.
// (1024 rather than 256: about 8 % more import throughput, measured.)
const obsChunk = 1024

// obsColumns are the columns an import writes, obsWidth of them per row.
const (
	obsColumns = `(patient_id, id, analyte, time, time_ns, time_prec, value, value_key, comparator, notes, prov)`
	obsWidth   = 11
)

func obsInsert(n int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO observations ` + obsColumns + ` VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`(?,?,?,?,?,?,?,?,?,?,?)`)
	}
	sb.WriteString(` ON CONFLICT DO NOTHING`)
	return sb.String()
}

// Observations stores obs[good], checked by importcore
// (importcore.Backend).
func (im *importer) Observations(obs []record.Observation, good []int) error {
	var err error
	chunks, stop := prepareChunks(obs, good, im.analytes)
	defer stop()
	for c := range chunks {
		n := len(c.rows)
		var stmt driver.Stmt
		switch {
		case n < obsChunk:
			if stmt, err = im.rawPrepare(obsInsert(n)); err != nil {
				return err
			}
			defer im.rawClose(stmt)
		case im.full == nil:
			if im.full, err = im.rawPrepare(obsInsert(obsChunk)); err != nil {
				return err
			}
			stmt = im.full
		default:
			stmt = im.full
		}
		added, err := im.rawExec(stmt, c.args)
		if err != nil {
			return err
		}
		before := im.mark
		im.mark += added
		if added == int64(n) { // the common case: every row is new
			im.res.Imported += n
			im.AddedObservations(obs, c.rows)
			im.Progress(n)
			c.recycle()
			continue
		}
		inserted, err := im.insertedSince(before)
		if err != nil {
			return err
		}
		if len(inserted) != int(added) {
			return fmt.Errorf("observations: the INSERT added %d rows, but %d rows lie above rowid %d", added, len(inserted), before)
		}
		var skipped []int
		for _, i := range c.rows {
			o := &obs[i]
			if inserted[o.ID] {
				im.res.Imported++
				im.Added(o.PatientID, "observation")
				delete(inserted, o.ID) // a second row with the same id in the chunk was not inserted
				continue
			}
			skipped = append(skipped, i)
		}
		if err := im.classifySkipped(obs, skipped); err != nil {
			return err
		}
		im.Progress(n)
		c.recycle()
	}
	return nil
}

// obsArgs holds the INSERT arguments of one chunk of observations.
type obsArgs struct {
	rows    []int               // indexes into the batch's observations
	args    []driver.NamedValue // obsWidth per row, in obsColumns order
	recycle func()              // hands the buffers back once the chunk is stored
}

// prepareChunks builds the INSERT arguments of obs[good] chunk by chunk in
// a goroutine of its own, so that packing the next chunk overlaps with
// SQLite storing this one. codes holds the analytes.code of every analyte
// in obs[good]; nothing writes it until stop returns. stop ends the
// goroutine and waits for it: after stop returns, nothing reads obs any
// more.
func prepareChunks(obs []record.Observation, good []int, codes map[units.Analyte]int64) (chunks <-chan *obsArgs, stop func()) {
	const buffers = 3 // one being stored, one ready, one being built
	out := make(chan *obsArgs, buffers-1)
	free := make(chan *obsArgs, buffers)
	for range buffers {
		c := &obsArgs{args: make([]driver.NamedValue, 0, obsChunk*obsWidth)}
		c.recycle = func() { free <- c }
		free <- c
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(out)
		var ac argCache
		for start := 0; start < len(good); start += obsChunk {
			var c *obsArgs
			select {
			case c = <-free:
			case <-done:
				return
			}
			c.rows, c.args = good[start:min(start+obsChunk, len(good))], c.args[:0]
			for _, i := range c.rows {
				c.args = ac.appendArgs(c.args, &obs[i], codes)
			}
			select {
			case out <- c:
			case <-done:
				return
			}
		}
	})
	return out, func() { close(done); wg.Wait() }
}

// obsValues are the values an observation is stored as, but for its
// patient and id.
type obsValues struct {
	analyte, time, timeNS, prec, comparator int64
	value, valueKey                         float64
	notes                                   any // nil or the JSON array
	prov                                    string
}

// encodeObs returns the values o is stored as. codes holds the
// analytes.code of o.Analyte; observations() has checked the comparator
// and the unit (the analyte's canonical unit, which its code stands for).
func encodeObs(o *record.Observation, codes map[units.Analyte]int64) obsValues {
	cmp, _ := comparatorCode(o.Comparator)
	var notes any
	if len(o.Notes) > 0 {
		js, _ := json.Marshal(o.Notes)
		notes = string(js)
	}
	sec, ns := obsTime(o.Time)
	return obsValues{codes[o.Analyte], sec, ns, precisionCode(o.TimePrecision), cmp, o.Value.Value, valueKey(o.Value.Value), notes, itemdoc.PackProv(o)}
}

// argCache keeps the boxed patient id, which repeats from row to row, so
// that converting it to `any` does not allocate for every row.
type argCache struct {
	pid    string
	pidArg any
}

func (ac *argCache) appendArgs(args []driver.NamedValue, o *record.Observation, codes map[units.Analyte]int64) []driver.NamedValue {
	if ac.pidArg == nil || o.PatientID != ac.pid {
		ac.pid, ac.pidArg = o.PatientID, o.PatientID
	}
	v := encodeObs(o, codes)
	for _, x := range [obsWidth]any{ac.pidArg, o.ID, v.analyte, v.time, v.timeNS, v.prec, v.value, v.valueKey, v.comparator, v.notes, v.prov} {
		args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: x})
	}
	return args
}

// Analyte adds the code of a to the store when it has none yet
// (importcore.Backend).
func (im *importer) Analyte(a units.Analyte) error {
	_, err := im.analyteCode(a)
	return err
}

// analyteCode returns the analytes.code of a in its canonical unit, adding
// the code when the store has none yet.
func (im *importer) analyteCode(a units.Analyte) (int64, error) {
	if code, ok := im.analytes[a]; ok {
		return code, nil
	}
	name, unit := a.String(), string(a.Canonical())
	if _, err := im.tx.ExecContext(im.ctx, `INSERT INTO analytes (name, unit) VALUES (?, ?) ON CONFLICT DO NOTHING`, name, unit); err != nil {
		return 0, err
	}
	var code int64
	if err := im.tx.QueryRowContext(im.ctx, `SELECT code FROM analytes WHERE name = ? AND unit = ?`, name, unit).Scan(&code); err != nil {
		return 0, err
	}
	if im.analytes == nil {
		im.analytes = map[units.Analyte]int64{}
	}
	im.analytes[a] = code
	return code, nil
}

// rawPrepare prepares q on the driver connection the import's transaction
// runs on. Its statements take their arguments as driver values as they
// are: database/sql would check, convert and copy the 9,216 arguments of
// every chunk (about a tenth of the import time, and 40 % of its
// allocated bytes, measured).
func (im *importer) rawPrepare(q string) (driver.Stmt, error) {
	var st driver.Stmt
	err := im.conn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("sqlite driver connection %T cannot prepare with a context", dc)
		}
		var err error
		st, err = c.PrepareContext(im.ctx, q)
		return err
	})
	return st, err
}

// rawExec runs a statement from rawPrepare and returns the number of rows
// it changed. Every argument must be a driver.Value (int64, float64,
// string, []byte or nil).
func (im *importer) rawExec(st driver.Stmt, args []driver.NamedValue) (int64, error) {
	x, ok := st.(driver.StmtExecContext)
	if !ok {
		return 0, fmt.Errorf("sqlite driver statement %T cannot execute with a context", st)
	}
	var n int64
	err := im.conn.Raw(func(any) error {
		r, err := x.ExecContext(im.ctx, args)
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return n, err
}

func (im *importer) rawClose(st driver.Stmt) {
	im.conn.Raw(func(any) error { return st.Close() })
}

// insertedSince returns the ids of the observations with a rowid above mark.
func (im *importer) insertedSince(mark int64) (map[string]bool, error) {
	rows, err := im.tx.QueryContext(im.ctx, `SELECT id FROM observations WHERE rowid > ?`, mark)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	inserted := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		inserted[id] = true
	}
	return inserted, rows.Err()
}

// valueKey rounds v to 10 significant digits: values that agree that far
// are one measurement converted along different paths.
func valueKey(v float64) float64 {
	var buf [32]byte // 10 digits, sign, point and exponent fit: no allocation
	r, err := strconv.ParseFloat(string(strconv.AppendFloat(buf[:0], v, 'g', 10, 64)), 64)
	if err != nil {
		return v
	}
	return r
}

// classifySkipped sorts the observations obs[rows] that a chunk's INSERT
// skipped into unchanged (same id, same content; importcore.StoredSame),
// conflicting or corrections (same id, other content;
// importcore.StoredOther) and duplicates (the same measurement under another id),
// with one query by id and one by measurement for the whole chunk instead
// of one or two per row: re-importing a file is then as fast as the
// first import.
func (im *importer) classifySkipped(obs []record.Observation, rows []int) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]any, 0, len(rows))
	for _, i := range rows {
		ids = append(ids, obs[i].ID)
	}
	stored := make(map[string]storedObs, len(rows))
	q := `SELECT id, patient_id, analyte, time, time_ns, time_prec, value, comparator FROM observations WHERE id IN (?` + strings.Repeat(`,?`, len(ids)-1) + `)`
	res, err := im.tx.QueryContext(im.ctx, q, ids...)
	if err != nil {
		return err
	}
	for res.Next() {
		var id string
		var s storedObs
		if err := res.Scan(&id, &s.pid, &s.analyte, &s.time, &s.timeNS, &s.prec, &s.value, &s.comparator); err != nil {
			res.Close()
			return err
		}
		stored[id] = s
	}
	if err := errors.Join(res.Err(), res.Close()); err != nil {
		return err
	}
	type measurement struct {
		pid                               string
		analyte, time, timeNS, comparator int64
		valueKey                          float64
	}
	dups := map[measurement]bool{}
	var keys []any
	for _, i := range rows {
		o := &obs[i]
		v := encodeObs(o, im.analytes)
		if s, ok := stored[o.ID]; ok {
			switch {
			case s.holds(o.PatientID, v) && (s.prec.Valid || v.prec == 0):
				if err := im.StoredSame(obs, i); err != nil {
					return err
				}
			case s.holds(o.PatientID, v):
				// Stored by schema version 1 to 3, which did not record the
				// time's precision: fill it in.
				if _, err := im.tx.ExecContext(im.ctx, `UPDATE observations SET time_prec = ? WHERE id = ?`, v.prec, o.ID); err != nil {
					return err
				}
				im.res.Imported++
				im.Added(o.PatientID, "observation")
			default:
				if err := im.StoredOther(obs, i, s.pid == o.PatientID && s.analyte == v.analyte); err != nil {
					return err
				}
			}
			continue
		}
		// ON CONFLICT DO NOTHING skips a row only for a unique index; not
		// the id, so the measurement. The count below checks it.
		im.res.Duplicates++
		m := measurement{o.PatientID, v.analyte, v.time, v.timeNS, v.comparator, v.valueKey}
		if !dups[m] {
			dups[m] = true
			keys = append(keys, m.pid, m.analyte, m.time, m.timeNS, m.valueKey, m.comparator)
		}
	}
	if len(dups) == 0 {
		return nil
	}
	var n int
	q = `SELECT count(*) FROM observations WHERE (patient_id, analyte, time, time_ns, value_key, comparator) IN (VALUES (?,?,?,?,?,?)` +
		strings.Repeat(`,(?,?,?,?,?,?)`, len(dups)-1) + `)`
	if err := im.tx.QueryRowContext(im.ctx, q, keys...).Scan(&n); err != nil {
		return err
	}
	if n != len(dups) {
		return fmt.Errorf("observations: %d measurements were neither inserted nor found by id, but %d of them are stored", len(dups), n)
	}
	return nil
}

// storedObs is a stored observation row, but for its id.
type storedObs struct {
	pid                               string
	analyte, time, timeNS, comparator int64
	prec                              sql.NullInt64
	value                             float64
}

// holds reports whether the row stores the observation of patient pid
// whose values are v: the same measurement, as
// record.Observation.ContentHash sees it (patient, analyte, time, value,
// comparator; value_key follows from value). Provenance, notes and the
// precision the time was written with say how the value was read, not what
// was measured: an observation imported from FHIR ("2025-05-15") and read
// back from its CSV export (2025-05-15T00:00:00Z, without the FHIR code or
// the importer's notes) is the same record, and the stored provenance,
// notes and precision are kept.
func (s storedObs) holds(pid string, v obsValues) bool {
	return s.pid == pid && s.analyte == v.analyte && s.time == v.time && s.timeNS == v.timeNS && s.comparator == v.comparator &&
		s.value == v.value
}

// Corrected reports whether a correction of the observation stored under
// target is stored (importcore.Backend).
// Holder returns the patient of the item of kind stored under id
// (importcore.Backend).
func (im *importer) Holder(kind, id string) (string, bool, error) {
	q, args := `SELECT patient_id FROM items WHERE kind = ? AND id = ?`, []any{kind, id}
	if kind == record.RetractObservation {
		q, args = `SELECT patient_id FROM observations WHERE id = ?`, []any{id}
	}
	var pid string
	err := im.tx.QueryRowContext(im.ctx, q, args...).Scan(&pid)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return pid, err == nil, err
}

func (im *importer) Corrected(pid, target string) (bool, error) {
	prefix := record.CorrectionPrefix(target)
	var n int
	// kind as a literal: the partial index items_corrections (migration
	// 0007) holds the corrections only, and a patient has few.
	err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM items WHERE patient_id = ? AND kind = '`+itemdoc.KindCorrection+`' AND substr(id, 1, ?) = ?`,
		pid, utf8.RuneCountInString(prefix), prefix).Scan(&n)
	return n > 0, err
}

// Observation returns the observation stored under id (for the import
// summary's corrections and conflicts: the value it replaces), and false
// when none is stored.
func (im *importer) Observation(id string) (record.Observation, bool, error) {
	o := record.Observation{ID: id}
	var (
		name, unit    string
		sec, ns, cmpr int64
		prec          sql.NullInt64
		prov          []byte
	)
	err := im.tx.QueryRowContext(im.ctx, `SELECT o.patient_id, a.name, a.unit, o.time, o.time_ns, o.time_prec, o.value, o.comparator, o.prov
		FROM observations o JOIN analytes a ON a.code = o.analyte WHERE o.id = ?`, id).
		Scan(&o.PatientID, &name, &unit, &sec, &ns, &prec, &o.Value.Value, &cmpr, &prov)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, err
	}
	if err := itemdoc.SetStored(&o, name, unit, fromObsTime(sec, ns), prov); err != nil {
		return o, false, err
	}
	if cmpr >= 0 && cmpr < int64(len(comparatorByCode)) {
		o.Comparator = comparatorByCode[cmpr]
	}
	if prec.Int64 >= 0 && prec.Int64 < int64(len(precisionByCode)) {
		o.TimePrecision = precisionByCode[prec.Int64]
	}
	return o, true, nil
}
