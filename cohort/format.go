package cohort

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
)

// Format is an output encoding. Workers encode rows into chunks (one
// Encoder each); one RowWriter writes the chunks in order.
type Format interface {
	NewEncoder() Encoder // one per worker
	NewWriter(w io.Writer) (RowWriter, error)
}

// RowWriter writes encoded chunks of rows.
type RowWriter interface {
	Write(chunk []byte) error
	Close() error // writes what closes the file (a Parquet footer); does not close w
}

// textWriter writes a header, then the chunks as they are.
type textWriter struct{ w io.Writer }

func newTextWriter(w io.Writer, header []byte) (RowWriter, error) {
	_, err := w.Write(header)
	return textWriter{w}, err
}

func (t textWriter) Write(chunk []byte) error {
	_, err := t.w.Write(chunk)
	return err
}

func (textWriter) Close() error { return nil }

// Encoder appends one patient's row to a buffer.
type Encoder interface {
	Append(buf []byte, r *assess.Report) ([]byte, error)
}

// NDJSON writes one "report --json" document (assess.Report) per line.
type NDJSON struct{}

func (NDJSON) NewEncoder() Encoder                      { return &ndjsonEnc{} }
func (NDJSON) NewWriter(w io.Writer) (RowWriter, error) { return newTextWriter(w, nil) }

type ndjsonEnc struct{ b bytes.Buffer }

func (e *ndjsonEnc) Append(buf []byte, r *assess.Report) ([]byte, error) {
	e.b.Reset()
	enc := json.NewEncoder(&e.b)
	enc.SetEscapeHTML(false) // as report --json
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("patient %s: %w", r.Patient.ID, err)
	}
	return append(buf, e.b.Bytes()...), nil
}

// Columns is the flat schema of the CSV (and Parquet) output, one row per
// patient; docs/cohort.md describes each column. Numbers are unrounded, as
// in report --json; an empty cell is a value the report holds as null.
var Columns = []string{
	"patient_id", "as_of", "effective_date", "sex", "age_years", "deceased",
	"egfr", "egfr_equation", "egfr_date",
	"stage_g", "stage_suffix", "stage_a", "risk",
	"slope_per_year", "kfre_2y", "kfre_5y",
	"lupus", "biopsy_class", "sledai",
	"response", "best_response", "best_response_date", "response_therapies",
	"flares", "alerts", "missing", "missing_items",
}

// CSV writes the Columns, one row per patient.
type CSV struct{}

func (CSV) NewWriter(w io.Writer) (RowWriter, error) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(Columns)
	cw.Flush()
	return newTextWriter(w, b.Bytes())
}
func (CSV) NewEncoder() Encoder { return &csvEnc{} }

type csvEnc struct {
	b   bytes.Buffer
	w   *csv.Writer
	rec []string
}

func (e *csvEnc) Append(buf []byte, r *assess.Report) ([]byte, error) {
	if e.w == nil {
		e.w = csv.NewWriter(&e.b)
	}
	e.b.Reset()
	e.rec = Row(e.rec[:0], r)
	if err := e.w.Write(e.rec); err != nil {
		return nil, err
	}
	e.w.Flush()
	return append(buf, e.b.Bytes()...), e.w.Error()
}

// Row appends the Columns of one report to rec.
func Row(rec []string, r *assess.Report) []string {
	p := r.Patient
	k := r.Kidney
	l := r.Lupus
	rec = append(rec, p.ID, r.AsOf, r.EffectiveDate, p.Sex)
	rec = append(rec, optInt(p.AgeYears), strconv.FormatBool(p.Deceased))
	if k.EGFR != nil {
		rec = append(rec, num(k.EGFR.Value), k.EGFR.Equation, day(k.EGFR.Date))
	} else {
		rec = append(rec, "", "", "")
	}
	g, a, risk := "", "", ""
	if k.Stage.G != nil {
		g = k.Stage.G.String()
	}
	if k.Stage.A != nil {
		a = k.Stage.A.String()
	}
	if k.Stage.Risk != nil {
		risk = k.Stage.Risk.String()
	}
	rec = append(rec, g, k.Stage.Suffix, a, risk)
	if k.Slope != nil {
		rec = append(rec, num(k.Slope.PerYear))
	} else {
		rec = append(rec, "")
	}
	if k.KFRE != nil {
		rec = append(rec, num(k.KFRE.Risk2y), num(k.KFRE.Risk5y))
	} else {
		rec = append(rec, "", "")
	}
	rec = append(rec, strconv.FormatBool(l.Applicable))
	if l.Biopsy != nil {
		rec = append(rec, l.Biopsy.Class)
	} else {
		rec = append(rec, "")
	}
	if l.SLEDAI != nil {
		rec = append(rec, strconv.Itoa(l.SLEDAI.Score))
	} else {
		rec = append(rec, "")
	}
	resp, best, bestDate, ther := "", "", "", ""
	if l.Response != nil {
		if l.Response.Response != nil {
			resp = *l.Response.Response
		}
		if l.Response.Best != nil {
			best, bestDate = l.Response.Best.Response, day(l.Response.Best.Date)
		}
		ther = strings.Join(l.Response.Therapies, ";")
	}
	rec = append(rec, resp, best, bestDate, ther)
	rec = append(rec, strconv.Itoa(len(l.Flares)))
	codes := make([]string, len(r.Alerts))
	for i, al := range r.Alerts {
		codes[i] = al.Code
	}
	rec = append(rec, strings.Join(codes, ";"))
	paths := make([]string, len(r.Missing))
	for i, m := range r.Missing {
		paths[i] = m.Path
	}
	rec = append(rec, strconv.Itoa(len(r.Missing)), strings.Join(paths, ";"))
	return rec
}

// num formats a number unrounded (shortest form that reads back exactly).
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func parseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
