// Package csvfast reads comma-separated (or semicolon-separated: Comma)
// records as encoding/csv does
// (RFC 4180 with encoding/csv's defaults: no comments, no lazy quotes, empty
// lines skipped, \r\n read as \n), but without allocating per record on the
// common path: a line with no double quote and no carriage return other than
// its line ending is split on commas in place. Any other record (quoted
// fields, fields spanning lines, stray carriage returns) is handed to
// encoding/csv itself, so both always agree (FuzzReader checks it).
package csvfast

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// Reader reads records from an io.Reader.
type Reader struct {
	// Comma is the field separator: ',' (NewReader's), or ';' for a
	// semicolon-separated file. Set it before the first Read.
	Comma byte

	br      *bufio.Reader
	src     []byte // with ResetBytes: the rest of the input, read in place
	inBytes bool   // reading src, not br
	fields  [][]byte
	scratch []byte // a line longer than the buffer, or a quoted record
	raw     []byte // the last unquoted record's bytes, without its line ending
	quoted  bool
	line    int // line number of the last record's first line (1-based)
	next    int // line number of the next line to read
}

// NewReader returns a Reader with a 1 MiB buffer (allocated on first use
// when rd is nil, so a Reader used only with ResetBytes has none).
func NewReader(rd io.Reader) *Reader {
	r := &Reader{Comma: ',', next: 1}
	if rd != nil {
		r.br = bufio.NewReaderSize(rd, 1<<20)
	}
	return r
}

// Reset makes the Reader read from rd, keeping its buffer, and numbers the
// next line line (for a chunk of a larger input that starts on that line).
func (r *Reader) Reset(rd io.Reader, line int) {
	if r.br == nil {
		r.br = bufio.NewReaderSize(rd, 1<<20)
	}
	r.br.Reset(rd)
	r.src, r.inBytes = nil, false
	r.next, r.line, r.raw, r.quoted = line, 0, nil, false
}

// ResetBytes makes the Reader read the records of data in place, without
// copying them through its buffer (fields and Raw alias data), numbering
// its first line line. It reads what Reset(bytes.NewReader(data), line)
// would.
func (r *Reader) ResetBytes(data []byte, line int) {
	r.src, r.inBytes = data, true
	r.next, r.line, r.raw, r.quoted = line, 0, nil, false
}

// Line returns the line number where the last record began.
func (r *Reader) Line() int { return r.line }

// Raw returns the last record's bytes, without its line ending, and true when
// the record was read on the fast path (no quotes), so it can be written out
// again as it was; otherwise nil and false. Like the fields, the bytes are
// valid only until the next call to Read.
func (r *Reader) Raw() ([]byte, bool) { return r.raw, !r.quoted }

// Read returns the next record's fields. The slices alias the Reader's
// buffer and are valid only until the next call to Read. It returns io.EOF
// after the last record, and a *csv.ParseError (with line numbers of the
// whole input) for a malformed quoted record.
func (r *Reader) Read() ([][]byte, error) {
	for {
		line, err := r.readLine()
		if err != nil {
			return nil, err
		}
		start := r.next
		r.next++
		body := line
		if n := len(body); n > 0 && body[n-1] == '\n' {
			body = body[:n-1]
		}
		if n := len(body); n > 0 && body[n-1] == '\r' {
			body = body[:n-1]
		}
		if bytes.IndexByte(body, '"') < 0 && bytes.IndexByte(body, '\r') < 0 {
			if len(body) == 0 {
				continue // encoding/csv skips empty lines
			}
			r.line, r.raw, r.quoted = start, body, false
			r.fields = r.fields[:0]
			for {
				i := bytes.IndexByte(body, r.Comma)
				if i < 0 {
					r.fields = append(r.fields, body)
					break
				}
				r.fields = append(r.fields, body[:i])
				body = body[i+1:]
			}
			return r.fields, nil
		}
		return r.readQuoted(line, start)
	}
}

// readLine returns the next line with its '\n' (none at the end of input),
// or io.EOF when nothing is left.
func (r *Reader) readLine() ([]byte, error) {
	if r.inBytes {
		if len(r.src) == 0 {
			return nil, io.EOF
		}
		n := bytes.IndexByte(r.src, '\n') + 1
		if n == 0 {
			n = len(r.src)
		}
		line := r.src[:n:n] // appending to it must not overwrite the input
		r.src = r.src[n:]
		return line, nil
	}
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.scratch = append(r.scratch[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			r.scratch = append(r.scratch, line...)
		}
		line = r.scratch
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	return line, err
}

// readQuoted gathers lines until the double quotes balance (a quoted field
// may span lines), then parses that text with encoding/csv.
func (r *Reader) readQuoted(first []byte, start int) ([][]byte, error) {
	text := append(r.scratch[:0:0], first...) // first may alias scratch
	for bytes.Count(text, []byte{'"'})%2 == 1 {
		line, err := r.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		r.next++
		text = append(text, line...)
	}
	r.scratch = text
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = rune(r.Comma)
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			pe.StartLine += start - 1
			pe.Line += start - 1
			return nil, pe
		}
		if err == io.EOF { // only empty lines and a stray \r
			return r.Read()
		}
		return nil, err
	}
	if _, err := cr.Read(); err != io.EOF {
		// Balanced quotes end a record; more than one record here means
		// the text is malformed in a way encoding/csv reads differently.
		return nil, &csv.ParseError{StartLine: start, Line: start, Err: fmt.Errorf("cannot split the record into lines")}
	}
	r.line, r.raw, r.quoted = start, nil, true
	r.fields = r.fields[:0]
	for _, s := range rec {
		r.fields = append(r.fields, []byte(s))
	}
	return r.fields, nil
}
