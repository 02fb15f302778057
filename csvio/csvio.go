// Package csvio reads patient records from CSV files, one row per item.
// Seven layouts are recognised by their header row; columns are found by
// name, in any order and letter case, and those in brackets are optional:
//
//	patients:     patient_id,birth_date,sex
//	observations: patient_id,time,analyte,value,unit[,id][,source]
//	therapies:    patient_id,therapy,start,end[,dose][,id][,source]
//	diagnoses:    patient_id,diagnosis,onset[,abatement][,id][,source]
//	findings:     patient_id,time,finding,present[,score][,id][,source]
//	biopsies:     patient_id,date,class[,activity][,chronicity][,id][,source]
//	events:       patient_id,event,start[,end][,id][,source]
//
// For example (one data row each):
//
//	p1,1980-05,female
//	p1,2024-03-01,creatinine,1.4,mg/dL
//	p1,CellCept,2024-03-01,,1 g twice daily
//	p1,lupus_nephritis,2023-11-02,
//	p1,2024-03-01,arthritis,yes,
//	p1,2023-11-02,IV+V,10,3
//	p1,hemodialysis,2024-06-01,
//
// A column no layout has, a column given twice or a required column
// missing is a header error that names it: a misspelt optional column
// would otherwise be dropped without a word. A header whose only
// separator is the semicolon makes a semicolon-separated file (a European
// spreadsheet export), in which a decimal comma (1,4) is read; a decimal
// comma is never guessed in a comma-separated file, where it is refused
// with "use a decimal point". A byte-order mark, CRLF line ends and
// quoted fields are read; a row is one line, and a quote left open at its
// end rejects that row alone (lines.go).
//
// Dates are 2024-03-01, 2024-03-01 08:30 (a time without a zone offset
// keeps its date only, day precision: the zone is not guessed) or RFC 3339
// times (2024-03-01T08:30:00Z, instant precision); a birth_date may also
// be a year (1980) or a year and month (1980-05), kept with its
// record.DatePrecision as the FHIR reader keeps it. end and abatement may
// be empty. analyte is a units analyte name (creatinine, cystatin_c, acr,
// pcr or its alias upcr, …); value is a number, optionally after a
// comparator (<0.2); unit is a UCUM unit the analyte accepts, and the
// value is converted to the analyte's canonical unit. therapy is a therapy
// class (glucocorticoid, mycophenolate, …, raas_blockade, other) or a drug
// by generic or brand name, named with the FHIR reader's vocabulary
// (fhir.TherapyByName); dose is kept as written. diagnosis is sle,
// lupus_nephritis, diabetes, hypertension or ckd (record.ConditionKind
// names) or a SNOMED CT code the FHIR reader maps (fhir.ConditionBySNOMED).
// finding is a SLEDAI-2K descriptor (record.FindingCodes, the lupus
// package's item names) with present yes or no, or sledai_2k_score with
// the total in score. class is an ISN/RPS class; activity and chronicity
// are modified NIH index totals or key=value items, checked by
// lupus.Biopsy. event is a record.ReplacementKind name or its SNOMED CT
// code. sex is female, male, f, m (any letter case), other or unknown:
// the spellings of record.ParseSex, which the command line's --sex reads
// too.
//
// A row without an id gets one derived from its content, so the same row
// read twice, from one file or two, is the same item. patient_id and id
// are printable UTF-8 of at most MaxIDLength (64) characters; a field that
// is not UTF-8 or holds a control character is rejected with its line and
// column name, never rewritten. A number too large or too small for a
// 64-bit float (1e400, 1e-400) is rejected as out of range. Bad rows are
// Rejections with file, line and reason; good rows are kept.
package csvio

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// Reasons a row is rejected; every Rejection unwraps to one of them.
var (
	ErrHeader      = errors.New("unrecognised header")
	ErrSyntax      = errors.New("malformed CSV")
	ErrMissing     = errors.New("missing field")
	ErrBadValue    = errors.New("bad value")
	ErrMissingUnit = errors.New("missing unit")
	ErrImplausible = errors.New("implausible value")
	ErrBadDate     = errors.New("bad date")
	ErrFuture      = errors.New("date in the future")
)

// Rejection is one refused row.
type Rejection struct {
	File string
	Line int
	ID   string // the row's id when it has one
	Err  error
	// Patient is the patient_id of a rejected row of the patients layout:
	// the rows of that patient are then rejected by the store, and the
	// import names this rejection as their cause.
	Patient string
}

func (r Rejection) Error() string {
	if r.ID != "" {
		return fmt.Sprintf("%s:%d: %s: %v", r.File, r.Line, r.ID, r.Err)
	}
	return fmt.Sprintf("%s:%d: %v", r.File, r.Line, r.Err)
}

// Unwrap returns the reason.
func (r Rejection) Unwrap() error { return r.Err }

// Result is what reading one file gave.
type Result struct {
	File     string
	Kind     string // the layout: "observations", "patients", "therapies", "diagnoses", "findings", "biopsies" or "events"
	Batch    record.Batch
	Read     int // data rows read
	Rejected []Rejection
	// Semicolon is true when the file is semicolon-separated (and a
	// decimal comma is read).
	Semicolon bool
}

// Reader reads CSV files.
type Reader struct {
	// Now is the reading time; a row dated after it is rejected.
	Now time.Time
	// System is the provenance source system for rows without a source
	// column value; "csv" when empty.
	System string
}

// Read reads one CSV file. It returns an error only when r fails or the
// header is not one of the layouts.
func (rd *Reader) Read(name string, r io.Reader) (*Result, error) {
	return rd.ReadChunks(name, r, 0, nil)
}

// ReadChunks reads one CSV file as Read does, but in bounded memory: once
// the rows read hold chunk items or rejections, it calls emit with them
// and starts a new chunk, and at the end it emits what is left. The batch
// and the rejections passed to emit are reused after emit returns; the
// Result then holds Kind and Read but no items or rejections. An error
// from emit stops the reading and is returned. With chunk 0 (or emit nil)
// the Result holds everything, as from Read.
func (rd *Reader) ReadChunks(name string, r io.Reader, chunk int, emit func(b *record.Batch, rejected []Rejection) error) (*Result, error) {
	if chunk <= 0 || emit == nil {
		chunk, emit = 0, nil
	}
	flush := func(res *Result, min int) error {
		b := &res.Batch
		n := b.Len()
		if emit == nil || n == 0 && len(res.Rejected) == 0 || n < min && len(res.Rejected) < min {
			return nil
		}
		if err := emit(b, res.Rejected); err != nil {
			return err
		}
		b.Patients, b.Observations, b.Therapies = b.Patients[:0], b.Observations[:0], b.Therapies[:0]
		b.Conditions, b.Findings, b.Biopsies, b.Replacements = b.Conditions[:0], b.Findings[:0], b.Biopsies[:0], b.Replacements[:0]
		clear(res.Rejected)
		res.Rejected = res.Rejected[:0]
		return nil
	}
	lr, h, err := readHeader(name, r)
	if err != nil {
		return nil, err
	}
	res := &Result{File: name, Kind: h.Kind, Semicolon: h.semicolon}
	sys := rd.system()
	f := &fields{cols: h.cols}
	for {
		if err := flush(res, chunk); err != nil {
			return nil, err
		}
		row, line, err := lr.next(name)
		if err == io.EOF {
			break
		}
		var rj Rejection
		if errors.As(err, &rj) {
			res.Read++
			res.Rejected = append(res.Rejected, rj)
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // blank line
		}
		res.Read++
		if err := checkRow(h.cols, row); err != nil {
			res.Rejected = append(res.Rejected, Rejection{File: name, Line: line, Err: err})
			continue
		}
		rd.mapRow(res, h, f, row, name, line, sys)
	}
	if err := flush(res, 0); err != nil {
		return nil, err
	}
	return res, nil
}

func need(f *fields, cols ...string) error {
	for _, c := range cols {
		if f.get(c) == "" {
			return fmt.Errorf("%w: %s is empty", ErrMissing, c)
		}
	}
	return nil
}

func (rd *Reader) date(col, s string) (time.Time, error) {
	t, _, err := rd.dateCol(col, s, false) // dates.go
	return t, err
}

func analyteNames() string { return joinNames(units.Analytes()) }

// joinNames lists the names of xs, comma-separated, for a message.
func joinNames[T fmt.Stringer](xs []T) string {
	var s []string
	for _, x := range xs {
		s = append(s, x.String())
	}
	return strings.Join(s, ", ")
}

// end reads the optional end column of a row that starts at start (read
// from startCol): empty is no end, and an end before the start is an
// error.
func (rd *Reader) end(f *fields, endCol string, start time.Time, startCol string) (time.Time, error) {
	if f.get(endCol) == "" {
		return time.Time{}, nil
	}
	end, err := rd.date(endCol, f.get(endCol))
	if err != nil {
		return time.Time{}, err
	}
	if end.Before(start) {
		return time.Time{}, fmt.Errorf("%w: %s %s is before %s %s", ErrBadDate, endCol, f.get(endCol), startCol, f.get(startCol))
	}
	return end, nil
}

func (rd *Reader) observation(res *Result, f *fields, file string, line int, sys string) error {
	if err := need(f, "patient_id", "time", "analyte", "value"); err != nil {
		return err
	}
	a, ok := units.ParseAnalyte(f.get("analyte"))
	if !ok && strings.EqualFold(f.get("analyte"), "upcr") {
		a, ok = units.PCR, true // urine protein-to-creatinine ratio, the name many labs use
	}
	if !ok {
		return fmt.Errorf("%w: analyte %q; accepted: %s", ErrBadValue, f.get("analyte"), analyteNames())
	}
	t, prec, err := rd.dateCol("time", f.get("time"), false)
	if err != nil {
		return err
	}
	vs := f.get("value")
	cmpr := record.Exact
	for _, c := range []record.Comparator{record.LessOrEqual, record.GreaterOrEqual, record.Less, record.Greater} {
		if strings.HasPrefix(vs, string(c)) {
			cmpr, vs = c, strings.TrimSpace(vs[len(c):])
			break
		}
	}
	vs, err = number("value", vs, res.Semicolon) // dates.go
	if err != nil {
		return err
	}
	v, err := units.ParseNumber(vs)
	if errors.Is(err, units.ErrNotDecimal) {
		return fmt.Errorf("%w: value %q is not a decimal number: write digits with an optional decimal point (and exponent), such as 1.2 or 106", ErrBadValue, f.get("value"))
	}
	if errors.Is(err, units.ErrOutOfRange) {
		return fmt.Errorf("%w: value %q: number out of range (beyond a 64-bit number: about 4.9e-324 to 1.8e308)", ErrBadValue, f.get("value"))
	}
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%w: value %q is not a finite number", ErrBadValue, f.get("value"))
	}
	if f.get("unit") == "" {
		return fmt.Errorf("%w: %s %s has no unit; accepted units: %s", ErrMissingUnit, a, f.get("value"), unitList(a))
	}
	u, ok := units.LookupUnit(f.get("unit"))
	if !ok {
		return fmt.Errorf("%w: unit %q is not known; accepted for %s: %s", ErrBadValue, f.get("unit"), a, unitList(a))
	}
	q, err := a.Normalize("", units.Quantity{Value: v, Unit: u})
	if err != nil {
		if errors.Is(err, units.ErrImplausible) {
			return fmt.Errorf("%w: %v", ErrImplausible, err)
		}
		if ue := (*units.UnitError)(nil); errors.As(err, &ue) && ue.To == "" && len(ue.Accepted) > 0 {
			// The unit as typed ("g/day"), not its UCUM code "g/d"
			// (trial-cli #22).
			return fmt.Errorf("%w: unit %s does not fit %s; accepted units: %s", ErrBadValue, f.get("unit"), a, unitList(a))
		}
		return fmt.Errorf("%w: %v", ErrBadValue, err)
	}
	id := f.get("id")
	if id == "" {
		id = record.DeriveID("Observation", f.get("patient_id"), f.get("time"), a.String(), f.get("value"), f.get("unit"))
	}
	s := f.get("source")
	if s == "" {
		s = sys
	}
	res.Batch.Observations = append(res.Batch.Observations, record.Observation{
		ID: id, PatientID: f.get("patient_id"), Analyte: a, Value: q, Comparator: cmpr, Time: t, TimePrecision: prec,
		Source:     &record.Source{System: s, ResourceType: "csv", Unit: f.get("unit"), File: file},
		ResourceID: f.get("id"), SourceValue: f.get("value"), Line: line,
	})
	return nil
}

func unitList(a units.Analyte) string {
	var s []string
	for _, u := range a.Units() {
		s = append(s, string(u))
	}
	return strings.Join(s, ", ")
}

func (rd *Reader) patient(res *Result, f *fields, file string, line int, sys string) error {
	if err := need(f, "patient_id"); err != nil {
		return err
	}
	p := record.Patient{ID: f.get("patient_id"), Provenance: record.Provenance{System: sys, ResourceType: "csv", ResourceID: f.get("patient_id"), File: file, Line: line}}
	if f.get("birth_date") != "" {
		t, prec, err := rd.dateCol("birth_date", f.get("birth_date"), true)
		if err != nil {
			return err
		}
		p.BirthPrecision = prec
		if t.Before(record.EarliestBirth) {
			return fmt.Errorf("%w: birth_date %s is before %s; check the source", ErrBadDate, f.get("birth_date"), record.EarliestBirth.Format(time.DateOnly))
		}
		p.BirthDate = t
	}
	sex, ok := record.ParseSex(f.get("sex"))
	if !ok {
		return fmt.Errorf("%w: sex %q; accepted: female, male, f, m (any letter case), other, unknown", ErrBadValue, f.get("sex"))
	}
	p.Sex = sex
	res.Batch.Patients = append(res.Batch.Patients, p)
	return nil
}

func therapyNames() string { return joinNames(record.TherapyClasses()) }

func (rd *Reader) therapy(res *Result, f *fields, file string, line int, sys string) error {
	if err := need(f, "patient_id", "therapy", "start"); err != nil {
		return err
	}
	c, drug, err := therapyClass(f.get("therapy")) // lupusrows.go
	if err != nil {
		return err
	}
	start, err := rd.date("start", f.get("start"))
	if err != nil {
		return err
	}
	end, err := rd.end(f, "end", start, "start")
	if err != nil {
		return err
	}
	res.Batch.Therapies = append(res.Batch.Therapies, record.Therapy{
		ID: rowID(f, "Therapy", f.get("patient_id"), f.get("therapy"), f.get("start")), PatientID: f.get("patient_id"), Class: c,
		Name: drug, Start: start, End: end, Dose: f.get("dose"),
		Provenance: record.Provenance{System: system(f, sys), ResourceType: "csv", ResourceID: f.get("id"), Value: f.get("therapy"), File: file, Line: line},
	})
	return nil
}

// MaxRow is the longest CSV row (line) the reader takes: 64 MiB. A
// longer one is not read into memory: the file fails with ErrSyntax.
const MaxRow = 64 << 20

var errRowTooLong = errors.New("CSV row too long")
