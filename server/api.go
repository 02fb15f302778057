package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/internal/jsonkeys"
	"renalwatch/record"
)

// Report is the assessment document (assess.Report): the same bytes as
// 'renalwatch report --json'.
type Report = assess.Report

// reportOf is the assessment a read as of day (YYYY-MM-DD).
func reportOf(a assess.Assessment, day string) Report {
	d, _ := time.Parse(time.DateOnly, day)
	return a.Report(d)
}

// asOfParam reads ?as_of=YYYY-MM-DD (default today by the server clock)
// and returns the day and the end of it.
func (s *Server) asOfParam(r *http.Request) (string, time.Time, error) {
	day := s.cfg.Now().UTC().Truncate(24 * time.Hour)
	if v := r.URL.Query().Get("as_of"); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return "", time.Time{}, Errorf(KindBadRequest, "as_of", "as_of %q is not a date; write YYYY-MM-DD, for example 2024-06-01", v)
		}
		day = d
	}
	return day.Format(time.DateOnly), day.Add(24*time.Hour - time.Nanosecond), nil
}

// timeline reads the patient of the {id} path value.
func (s *Server) timeline(r *http.Request) (*record.Timeline, error) {
	id := r.PathValue("id")
	tl, err := s.cfg.Store.Timeline(r.Context(), id)
	if err != nil {
		return nil, err // store.ErrNotFound becomes 404 in statusOf
	}
	return tl, nil
}

func (s *Server) apiPatients(w http.ResponseWriter, r *http.Request) {
	_, l, err := s.listed(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusOK, l)
}

// listed reads the list query of a request and builds that page of the
// list (the API and the list page share it).
func (s *Server) listed(r *http.Request) (ListQuery, List, error) {
	q, err := parseListQuery(r.URL.Query(), s.cfg.Now())
	if err != nil {
		return q, List{}, err
	}
	l, err := s.list(r.Context(), q)
	return q, l, err
}

func (s *Server) apiPatient(w http.ResponseWriter, r *http.Request) {
	p, err := s.assessedAPI(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusOK, struct {
		AsOf string `json:"as_of"`
		Row
	}{p.day, rowOf(p.tl, p.asOf, p.a)})
}

// assessedAPI is assessed for the JSON and FHIR routes, which take ?as_of=
// only: another parameter is a 400 naming it, as the patient list's is
// (trial 7 #4: ?units=si was ignored and the values came back unchanged,
// so a caller could believe it had SI units).
func (s *Server) assessedAPI(r *http.Request) (assessedPatient, error) {
	for k := range r.URL.Query() {
		if k != "as_of" {
			return assessedPatient{}, Errorf(KindBadRequest, k, "unknown parameter %q; this route takes as_of only (the JSON is in the units of report, with UCUM codes)", k)
		}
	}
	return s.assessed(r)
}

// assessedPatient is the patient of a route, assessed as of ?as_of=.
type assessedPatient struct {
	day  string    // YYYY-MM-DD
	asOf time.Time // the end of that day
	tl   *record.Timeline
	a    assess.Assessment
}

// assessed reads the patient of the route and ?as_of= and assesses the
// record as of that day (the patient, assessment and FHIR routes and the
// patient page share it).
func (s *Server) assessed(r *http.Request) (assessedPatient, error) {
	day, asOf, err := s.asOfParam(r)
	if err != nil {
		return assessedPatient{}, err
	}
	tl, err := s.timeline(r)
	if err != nil {
		return assessedPatient{}, err
	}
	return assessedPatient{day, asOf, tl, assess.Assess(tl, asOf, assess.DefaultConfig())}, nil
}

func (s *Server) apiAssessment(w http.ResponseWriter, r *http.Request) {
	p, err := s.assessedAPI(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusOK, reportOf(p.a, p.day))
}

func (s *Server) apiFHIR(w http.ResponseWriter, r *http.Request) {
	p, err := s.assessedAPI(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/fhir+json; charset=utf-8")
	_ = fhir.WriteReportBundle(w, p.a, p.tl) // the status is sent: a write error cannot be reported
}

// importTypes maps the Content-Type of a raw upload to the file extension
// that selects the reader, as the file name does on the command line.
var importTypes = map[string]string{
	"application/fhir+json":   ".json",
	"application/json":        ".json",
	"application/fhir+ndjson": ".ndjson",
	"application/x-ndjson":    ".ndjson",
	"application/ndjson":      ".ndjson",
	"text/csv":                ".csv",
}

// apiImport stores one upload: a multipart form with a "file" field (the
// import page), or a raw body whose Content-Type names the format.
// ?strict=true refuses the file when anything in it is rejected.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	sum, err := s.importUpload(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// An upload that stored nothing (every row rejected, a file that could
	// not be read, a strict import refused, nothing RenalWatch reads) is
	// 422 with the same summary, as 'renalwatch import' exits 2: an
	// interface engine reads the status (trial 7 #1).
	status := http.StatusOK
	if o, ok := sum.(interface{ StoredNothing() bool }); ok && o.StoredNothing() {
		status = http.StatusUnprocessableEntity
	}
	writeJSONStatus(w, status, sum)
}

func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) (any, error) {
	if s.cfg.Import == nil {
		return nil, Errorf(KindNotFound, "", "import is not available on this server")
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	strict := false
	if v := r.URL.Query().Get("strict"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, Errorf(KindBadRequest, "strict", "strict %q: want true or false", v)
		}
		strict = b
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, Errorf(KindMediaType, "", "a Content-Type is required: multipart/form-data with a file, or one of %s", strings.Join(sortedKeys(importTypes), ", "))
	}
	var (
		name string
		body io.Reader
	)
	switch {
	case mt == "multipart/form-data":
		f, err := readImportForm(r.Body, params["boundary"])
		if err != nil {
			return nil, err
		}
		defer f.close()
		name, body, strict = f.name, f.file, strict || f.strict
	default:
		ext, ok := importTypes[mt]
		if !ok {
			return nil, Errorf(KindMediaType, "", "Content-Type %q is not imported; send one of %s, or a multipart form", mt, strings.Join(sortedKeys(importTypes), ", "))
		}
		name, body = "upload"+ext, r.Body
		if n := r.URL.Query().Get("name"); n != "" {
			name = path.Base(n)
		}
	}
	sum, err := s.cfg.Import(r.Context(), s.cfg.Store, name, body, strict)
	s.rowCache.clear() // even a failed import may have stored something of another file
	if err != nil {
		return nil, bodyError(err)
	}
	if o, ok := sum.(interface{ AuditOutcome() string }); ok {
		setAuditOutcome(r, o.AuditOutcome())
	}
	return sum, nil
}

// bodyError keeps an *Error and a *http.MaxBytesError (413) as they are
// and makes any other read failure a 400.
func bodyError(err error) error {
	var e *Error
	var mb *http.MaxBytesError
	if errors.As(err, &e) || errors.As(err, &mb) {
		return err
	}
	return &Error{Kind: KindBadRequest, Message: "the request body could not be read", Err: err}
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// maxCalcBody bounds a calculator request: a few dozen fields.
const maxCalcBody = 64 << 10

// apiCalc runs one calculator on a JSON object of its CLI flags, with the
// same code as the CLI (POST /api/calc/egfr {"creatinine":"1.2mg/dL",
// "age":54,"sex":"female"}).
func (s *Server) apiCalc(w http.ResponseWriter, r *http.Request) {
	out, err := s.calc(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(out)
}

func (s *Server) calc(w http.ResponseWriter, r *http.Request) (json.RawMessage, error) {
	name := r.PathValue("name")
	if !slices.Contains(Calculators, name) || s.cfg.Calc == nil {
		return nil, Errorf(KindNotFound, "name", "no calculator %q; calculators: %s", name, strings.Join(Calculators, ", "))
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return nil, Errorf(KindMediaType, "", "send the inputs as a JSON object with Content-Type: application/json")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCalcBody)
	var params map[string]json.RawMessage
	var body bytes.Buffer // what the decoder read, for the duplicate-key check
	dec := json.NewDecoder(io.TeeReader(r.Body, &body))
	if err := dec.Decode(&params); err != nil {
		if err := bodyError(err); errors.As(err, new(*http.MaxBytesError)) {
			return nil, err
		}
		return nil, calcBodyError(err)
	}
	if dec.More() {
		return nil, Errorf(KindBadRequest, "", "the body holds more than one JSON value")
	}
	if params == nil {
		return nil, Errorf(KindBadRequest, "", "the body must be a JSON object of inputs, not null")
	}
	// encoding/json keeps the last of two values under one key; an input
	// given twice is refused rather than one of them taken silently.
	var dup *jsonkeys.Duplicate
	if err := jsonkeys.Check(body.Bytes()[:dec.InputOffset()]); errors.As(err, &dup) {
		return nil, Errorf(KindBadRequest, dup.Key, "%s: give each input once", dup)
	}
	if err := checkCalcTypes(params); err != nil {
		return nil, err
	}
	return s.cfg.Calc(r.Context(), name, params)
}

// calcBodyError words a calculator body that is not a JSON object for the
// user (trial-web #13): the JSON that was sent and the form expected, never
// a Go type ("map[string]json.RawMessage").
func calcBodyError(err error) error {
	const want = `a JSON object of inputs, such as {"creatinine":"1.2mg/dL","age":54,"sex":"female"}`
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return Errorf(KindBadRequest, "", "the body is a JSON %s; send %s", jsonTypeName(te.Value), want)
	case errors.As(err, &se):
		return Errorf(KindBadRequest, "", "the body is not valid JSON (at byte %d: %s); send %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "), want)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(KindBadRequest, "", "the body is empty or cut short; send %s", want)
	}
	return Errorf(KindBadRequest, "", "the body could not be read as JSON; send %s", want)
}

// jsonTypeName names the JSON type encoding/json reports ("array") as
// people do ("list").
func jsonTypeName(v string) string {
	switch v {
	case "array":
		return "list"
	case "bool":
		return "boolean (true or false)"
	}
	return v
}
