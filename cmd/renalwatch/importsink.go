package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// rejectionSink gathers the rejections of an import without holding them
// all: the first maxListed for the text summary, and, for --json, every
// one written to a temporary file as it comes and copied into the JSON
// summary at the end. Memory does not grow with the number of rejections
// (issue 8 item 4).
type rejectionSink struct {
	first []rejectedItem // the first maxListed, or all of them with all
	all   bool           // keep every rejection in first (the server's import, bounded by its body limit)
	n     int            // all of them
	spool *os.File       // --json: the "rejected" array's elements, written as they come
	w     *bufio.Writer
	buf   bytes.Buffer  // one element, encoded by enc
	enc   *json.Encoder // indented as writeJSON indents an element of the summary's "rejected" array
	err   error
	// patients holds the rejection of each Patient resource rejected so
	// far, by patient id.
	patients map[string]rejectedItem
}

// patientRejected records the rejection r of patient id: its items are
// then rejected as of an unknown patient (rejectedPatient).
func (s *rejectionSink) patientRejected(id string, r rejectedItem) {
	if s.patients == nil {
		s.patients = map[string]rejectedItem{}
	}
	s.patients[id] = r
}

// rejectedPatient returns the reason for an item the store rejected as of
// an unknown patient when that patient was itself rejected in this import:
// "patient child-ln was rejected (f.json entry 1)" rather than "import the
// patient first, or in the same file" when it was in the same file
// (trial-cli #16).
func (s *rejectionSink) rejectedPatient(pid, file string) (string, bool) {
	r, ok := s.patients[pid]
	if !ok {
		return "", false
	}
	var where []string
	if r.File != file {
		where = append(where, r.File)
	}
	switch {
	case r.Line > 0:
		where = append(where, fmt.Sprintf("line %d", r.Line))
	case r.Entry > 0:
		where = append(where, fmt.Sprintf("entry %d", r.Entry))
	}
	if len(where) == 0 {
		return fmt.Sprintf("patient %s was rejected", pid), true
	}
	return fmt.Sprintf("patient %s was rejected (%s)", pid, strings.Join(where, " ")), true
}

func newRejectionSink(asJSON bool) (*rejectionSink, error) {
	s := &rejectionSink{}
	if asJSON {
		f, err := os.CreateTemp("", "renalwatch-rejected-*.json")
		if err != nil {
			return nil, err
		}
		os.Remove(f.Name()) // unlinked: gone when closed, whatever happens
		s.spool, s.w = f, bufio.NewWriterSize(f, 64<<10)
		s.enc = json.NewEncoder(&s.buf)
		s.enc.SetIndent("    ", "  ")
		s.enc.SetEscapeHTML(false)
	}
	return s, nil
}

func (s *rejectionSink) add(r rejectedItem) {
	if r.ResourceType == "Patient" && r.ID != "" {
		s.patientRejected(r.ID, r)
	}
	if len(s.first) < maxListed || s.all {
		s.first = append(s.first, r)
	}
	if s.spool != nil && s.err == nil {
		if s.n > 0 {
			s.w.WriteString(",\n")
		}
		s.buf.Reset()
		if s.err = s.enc.Encode(r); s.err == nil {
			s.w.WriteString("    ")
			_, s.err = s.w.Write(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")))
		}
	}
	s.n++
}

func (s *rejectionSink) close() {
	if s.spool != nil {
		s.spool.Close()
	}
}

// writeJSON writes the summary as writeJSON would with every rejection in
// its "rejected" array, copying them from the spool.
func (s *rejectionSink) writeJSON(w io.Writer, sum importSummary) error {
	if s.err != nil {
		return s.err
	}
	sum.Rejected = []rejectedItem{}
	var b bytes.Buffer
	if err := writeJSON(&b, sum); err != nil {
		return err
	}
	if s.n == 0 {
		_, err := w.Write(b.Bytes())
		return err
	}
	const empty = "\n  \"rejected\": [],\n"
	i := bytes.Index(b.Bytes(), []byte(empty))
	if i < 0 {
		return errors.New("import --json: no rejected array in the summary")
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(b.Bytes()[:i])
	bw.WriteString("\n  \"rejected\": [\n")
	if _, err := io.Copy(bw, s.spool); err != nil {
		return err
	}
	bw.WriteString("\n  ],\n")
	bw.Write(b.Bytes()[i+len(empty):])
	return bw.Flush()
}
