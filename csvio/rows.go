package csvio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
)

// The reading of one file is in three steps that ReadChunks runs in a row
// and that a reader routing rows elsewhere between them (the cohort, which
// partitions rows by patient before mapping them) runs apart: the header
// (readHeader: layout and separator), the rows (lineReader.next and checkRow:
// syntax, field count, text), and the mapping of a checked row (mapRow).
// Splitter runs the first two, MapRecords the third; there is one copy of
// each.

// Header is a file's header as read: its layout and separator.
type Header struct {
	Kind      string // the layout, as Result.Kind
	cols      []string
	semicolon bool
	patient   int // the patient_id column
}

// readHeader sets up the line reader of a file (separator, byte-order
// mark) and reads and identifies its header.
func readHeader(name string, r io.Reader) (*lineReader, *Header, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	semicolon := isSemicolon(br)
	comma := byte(',')
	if semicolon {
		comma = ';'
	}
	lr := newLineReader(br, comma) // lines.go
	header, _, err := lr.next(name)
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%s: %w: the file is empty; want a header row", name, ErrHeader)
	}
	var rj Rejection
	if errors.As(err, &rj) {
		return nil, nil, fmt.Errorf("%s line %d: %w", name, rj.Line, rj.Err)
	}
	if err != nil {
		return nil, nil, err
	}
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	lay, err := findLayout(cols, SeparatorHint(header, semicolon)) // layouts.go
	if err != nil {
		return nil, nil, fmt.Errorf("%s line 1: %w", name, err)
	}
	return lr, &Header{Kind: lay.kind, cols: cols, semicolon: semicolon, patient: slices.Index(cols, "patient_id")}, nil
}

// checkRow checks a row's field count and text (checkFields).
func checkRow(cols, row []string) error {
	if err := fieldCount(cols, row); err != nil {
		return err
	}
	return checkFields(cols, row) // check.go
}

func fieldCount(cols, row []string) error {
	if len(row) != len(cols) {
		return fmt.Errorf("%w: %d fields, the header has %d", ErrSyntax, len(row), len(cols))
	}
	return nil
}

// system is the provenance source system of rows without a source value.
func (rd *Reader) system() string {
	if rd.System == "" {
		return "csv"
	}
	return rd.System
}

// mapRow maps one checked row of a file with header h into res: its item,
// or its rejection. f holds the row's fields by column, filled here (one
// for all the rows of a file: the row functions keep its values, never f).
func (rd *Reader) mapRow(res *Result, h *Header, f *fields, row []string, name string, line int, sys string) {
	f.vals = f.vals[:0]
	for _, v := range row {
		f.vals = append(f.vals, strings.TrimSpace(v))
	}
	var rerr error
	switch h.Kind {
	case "observations":
		rerr = rd.observation(res, f, name, line, sys)
	case "patients":
		rerr = rd.patient(res, f, name, line, sys)
	case "therapies":
		rerr = rd.therapy(res, f, name, line, sys)
	case "diagnoses":
		rerr = rd.diagnosis(res, f, name, line, sys) // lupusrows.go
	case "findings":
		rerr = rd.finding(res, f, name, line, sys)
	case "biopsies":
		rerr = rd.biopsy(res, f, name, line, sys)
	case "events":
		rerr = rd.event(res, f, name, line, sys)
	}
	if rerr != nil {
		rj := Rejection{File: name, Line: line, ID: f.get("id"), Err: rerr}
		if h.Kind == "patients" {
			rj.Patient = f.get("patient_id")
		}
		res.Rejected = append(res.Rejected, rj)
	}
}

// recordSep joins the fields of a Splitter record: a control character,
// which checkFields refuses in every field, so it cannot occur in one.
const recordSep = 0x1f

// Splitter reads a CSV file's header and then its rows one at a time,
// checked as ReadChunks checks them but not mapped: a reader that routes
// rows (by patient) maps them later with MapRecords.
type Splitter struct {
	name string
	h    *Header
	lr   *lineReader
	rec  []byte
}

// NewSplitter reads the header of the file name from r. A header that is
// none of the layouts is an error naming it, as from ReadChunks.
func NewSplitter(name string, r io.Reader) (*Splitter, error) {
	lr, h, err := readHeader(name, r)
	if err != nil {
		return nil, err
	}
	return &Splitter{name: name, h: h, lr: lr}, nil
}

// Header returns the file's header.
func (s *Splitter) Header() *Header { return s.h }

// Next returns the next data row: its line (where it starts), its
// patient_id (trimmed, as the mapping reads it) and the row as one record
// for MapRecords, without a newline (valid until the next call; patient
// is in it). A row that is not CSV, has another number of fields than the
// header or holds a field checkFields refuses is returned as a Rejection
// error, with file and line; the caller goes on to the next. Blank lines
// are skipped. io.EOF ends the file; another error fails it.
func (s *Splitter) Next() (line int, patient, rec []byte, err error) {
	for {
		row, line, err := s.lr.next(s.name)
		if err != nil {
			return 0, nil, nil, err
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // blank line
		}
		if err := checkRow(s.h.cols, row); err != nil {
			return 0, nil, nil, Rejection{File: s.name, Line: line, Err: err}
		}
		s.rec = s.rec[:0]
		var pFrom, pTo int
		for i, f := range row {
			if i > 0 {
				s.rec = append(s.rec, recordSep)
			}
			if i == s.h.patient {
				pFrom = len(s.rec)
			}
			s.rec = append(s.rec, f...)
			if i == s.h.patient {
				pTo = len(s.rec)
			}
		}
		return line, bytes.TrimSpace(s.rec[pFrom:pTo]), s.rec, nil
	}
}

// MapRecords maps records that a Splitter of the file name (header h)
// returned, given with their lines, as ReadChunks maps that file's rows:
// the Result holds their items and rejections (file name and the record's
// line) and Read counts them.
func (rd *Reader) MapRecords(h *Header, name string, recs iter.Seq2[int, []byte]) *Result {
	res := &Result{File: name, Kind: h.Kind, Semicolon: h.semicolon}
	sys := rd.system()
	row := make([]string, 0, len(h.cols))
	f := &fields{cols: h.cols}
	for line, rec := range recs {
		res.Read++
		row = row[:0]
		// One string for the record, its fields slices of it.
		for field := range strings.SplitSeq(string(rec), string(rune(recordSep))) {
			row = append(row, field)
		}
		if err := fieldCount(h.cols, row); err != nil { // not a Splitter record
			res.Rejected = append(res.Rejected, Rejection{File: name, Line: line, Err: err})
			continue
		}
		rd.mapRow(res, h, f, row, name, line, sys)
	}
	return res
}

// fields are a row's values by column name: a file has a few columns, and
// looking one up by a scan of their names costs less than a map filled for
// every row (hashing every name; callgrind).
type fields struct {
	cols, vals []string
}

// get returns the value of column c, or "" when the file has no column c.
func (f *fields) get(c string) string {
	for i, k := range f.cols {
		if k == c {
			return f.vals[i]
		}
	}
	return ""
}
