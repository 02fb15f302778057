package cohort

import (
	"encoding/binary"
	"errors"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"renalwatch/assess"
)

// Parquet writes the Columns as a flat Parquet file (ParquetRow), zstd
// compressed, with github.com/parquet-go/parquet-go: pure Go (no cgo, no
// Arrow C++), maintained, and its files are read by DuckDB, pandas/pyarrow,
// R arrow and Spark. Dates are ISO 8601 strings (YYYY-MM-DD), numbers
// unrounded DOUBLE, counts INT64; a null is a value the report holds as
// null.
type Parquet struct{}

// ParquetRow is one patient in the Parquet output (docs/cohort.md).
type ParquetRow struct {
	PatientID         string   `parquet:"patient_id"`
	AsOf              string   `parquet:"as_of"`
	EffectiveDate     string   `parquet:"effective_date"`
	Sex               string   `parquet:"sex"`
	AgeYears          *int64   `parquet:"age_years,optional"`
	Deceased          bool     `parquet:"deceased"`
	EGFR              *float64 `parquet:"egfr,optional"`
	EGFREquation      *string  `parquet:"egfr_equation,optional"`
	EGFRDate          *string  `parquet:"egfr_date,optional"`
	StageG            *string  `parquet:"stage_g,optional"`
	StageSuffix       *string  `parquet:"stage_suffix,optional"`
	StageA            *string  `parquet:"stage_a,optional"`
	Risk              *string  `parquet:"risk,optional"`
	SlopePerYear      *float64 `parquet:"slope_per_year,optional"`
	KFRE2y            *float64 `parquet:"kfre_2y,optional"`
	KFRE5y            *float64 `parquet:"kfre_5y,optional"`
	Lupus             bool     `parquet:"lupus"`
	BiopsyClass       *string  `parquet:"biopsy_class,optional"`
	SLEDAI            *int64   `parquet:"sledai,optional"`
	Response          *string  `parquet:"response,optional"`
	BestResponse      *string  `parquet:"best_response,optional"`
	BestResponseDate  *string  `parquet:"best_response_date,optional"`
	ResponseTherapies *string  `parquet:"response_therapies,optional"`
	Flares            int64    `parquet:"flares"`
	Alerts            string   `parquet:"alerts"`
	Missing           int64    `parquet:"missing"`
	MissingItems      string   `parquet:"missing_items"`
}

func (Parquet) NewEncoder() Encoder { return &parquetEnc{} }

func (Parquet) NewWriter(w io.Writer) (RowWriter, error) {
	pw := parquet.NewGenericWriter[ParquetRow](w, parquet.Compression(&zstd.Codec{}))
	return &parquetWriter{w: pw}, nil
}

// parquetEnc encodes a row as its Columns, each a uvarint length and the
// bytes; the writer turns them into ParquetRow in order.
type parquetEnc struct{ rec []string }

func (e *parquetEnc) Append(buf []byte, r *assess.Report) ([]byte, error) {
	e.rec = Row(e.rec[:0], r)
	for _, s := range e.rec {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf, nil
}

type parquetWriter struct {
	w    *parquet.GenericWriter[ParquetRow]
	rows []ParquetRow
	rec  []string
}

var errChunk = errors.New("cohort: corrupt parquet chunk")

func (p *parquetWriter) Write(chunk []byte) error {
	p.rows = p.rows[:0]
	for len(chunk) > 0 {
		p.rec = p.rec[:0]
		for range Columns {
			n, k := binary.Uvarint(chunk)
			if k <= 0 || uint64(len(chunk)-k) < n {
				return errChunk
			}
			p.rec = append(p.rec, string(chunk[k:k+int(n)]))
			chunk = chunk[k+int(n):]
		}
		row, err := parquetRow(p.rec)
		if err != nil {
			return err
		}
		p.rows = append(p.rows, row)
	}
	_, err := p.w.Write(p.rows)
	return err
}

func (p *parquetWriter) Close() error { return p.w.Close() }

// parquetRow types one row of Columns.
func parquetRow(c []string) (ParquetRow, error) {
	var err error
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	f64 := func(s string) *float64 {
		if s == "" || err != nil {
			return nil
		}
		v, e := strconv.ParseFloat(s, 64)
		err = e
		return &v
	}
	i64 := func(s string) *int64 {
		if s == "" || err != nil {
			return nil
		}
		v, e := strconv.ParseInt(s, 10, 64)
		err = e
		return &v
	}
	cnt := func(s string) int64 {
		if p := i64(s); p != nil {
			return *p
		}
		return 0
	}
	r := ParquetRow{
		PatientID: c[0], AsOf: c[1], EffectiveDate: c[2], Sex: c[3], AgeYears: i64(c[4]), Deceased: c[5] == "true",
		EGFR: f64(c[6]), EGFREquation: str(c[7]), EGFRDate: str(c[8]),
		StageG: str(c[9]), StageSuffix: str(c[10]), StageA: str(c[11]), Risk: str(c[12]),
		SlopePerYear: f64(c[13]), KFRE2y: f64(c[14]), KFRE5y: f64(c[15]),
		Lupus: c[16] == "true", BiopsyClass: str(c[17]), SLEDAI: i64(c[18]),
		Response: str(c[19]), BestResponse: str(c[20]), BestResponseDate: str(c[21]), ResponseTherapies: str(c[22]),
		Flares: cnt(c[23]), Alerts: c[24], Missing: cnt(c[25]), MissingItems: c[26],
	}
	return r, err
}
