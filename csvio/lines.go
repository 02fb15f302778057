package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// A row of the CSV layouts is one line: a quoted field may hold the
// separator or a doubled quote, never a line break (a line break is a
// control character, which checkFields refuses in every field anyway).
// A quote left open at the end of a line therefore rejects that row, at
// the line where it starts, and reading goes on at the next line: read as
// RFC 4180 allows, one stray quote would make the rest of the file one
// field and lose every row after it (trial 13 F4: 25,300 rows reported as
// one problem on the last line).

// lineReader reads a file's rows, one a line, as encoding/csv reads a row
// that ends on its line (TrimLeadingSpace, no comments, no lazy quotes,
// empty lines skipped, \r\n read as \n).
type lineReader struct {
	br    *bufio.Reader
	comma byte
	line  int    // the line last read (1-based)
	long  []byte // a line longer than br's buffer
	text  string // the current line, which the fields slice
	row   []string
	// A row with a quote or a carriage return is parsed by encoding/csv,
	// one reader for the file fed one line at a time (src).
	src *oneLine
	cr  *csv.Reader
}

func newLineReader(br *bufio.Reader, comma byte) *lineReader {
	return &lineReader{br: br, comma: comma}
}

// next returns the next row and its line. A line that is not a CSV row
// (an open quote, a bare quote) is a Rejection (returned as the error);
// io.EOF ends the file; a line longer than MaxRow or a failing reader
// fails it.
func (l *lineReader) next(name string) ([]string, int, error) {
	for {
		b, err := l.readLine()
		if err != nil {
			if errors.Is(err, errRowTooLong) {
				return nil, 0, fmt.Errorf("%s: %w: line %d is longer than %d MiB; nothing of the file was imported", name, ErrSyntax, l.line, MaxRow>>20)
			}
			return nil, 0, err
		}
		b = bytes.TrimSuffix(b, []byte{'\n'})
		b = bytes.TrimSuffix(b, []byte{'\r'})
		if len(b) == 0 {
			continue // encoding/csv skips empty lines
		}
		if bytes.IndexByte(b, '"') >= 0 || bytes.IndexByte(b, '\r') >= 0 {
			row, err := l.parseQuoted(b)
			if err != nil {
				return nil, 0, Rejection{File: name, Line: l.line, Err: err}
			}
			return row, l.line, nil
		}
		l.text = string(b) // one string for the row, its fields slices of it
		l.row = l.row[:0]
		s := l.text
		for {
			i := strings.IndexByte(s, l.comma)
			if i < 0 {
				l.row = append(l.row, trimLeft(s))
				break
			}
			l.row = append(l.row, trimLeft(s[:i]))
			s = s[i+1:]
		}
		return l.row, l.line, nil
	}
}

// trimLeft removes leading white space, as encoding/csv's
// TrimLeadingSpace does.
func trimLeft(s string) string {
	if s != "" && (s[0] <= ' ' || s[0] >= 0x80) {
		return strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	return s
}

// readLine returns the next line with its '\n' (none at the end of the
// file), or io.EOF when nothing is left, and counts it.
func (l *lineReader) readLine() ([]byte, error) {
	b, err := l.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		l.long = append(l.long[:0], b...)
		for err == bufio.ErrBufferFull {
			if len(l.long) > MaxRow {
				l.line++
				return nil, errRowTooLong
			}
			b, err = l.br.ReadSlice('\n')
			l.long = append(l.long, b...)
		}
		b = l.long
	}
	if err == io.EOF && len(b) > 0 {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	l.line++
	if len(b) > MaxRow+2 { // +2: its line end
		return nil, errRowTooLong
	}
	return b, nil
}

// parseQuoted parses one line (without its line end) as encoding/csv does.
// A quote still open at its end is an error, never the start of a field
// that goes on at the next line.
func (l *lineReader) parseQuoted(b []byte) ([]string, error) {
	if l.cr == nil {
		l.src = &oneLine{}
		l.cr = csv.NewReader(l.src)
		l.cr.Comma = rune(l.comma)
		l.cr.FieldsPerRecord = -1
		l.cr.TrimLeadingSpace = true
		l.cr.ReuseRecord = true
	}
	l.src.b = b
	row, err := l.cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrQuote) && bytes.Count(b, []byte{'"'})%2 == 1 {
			return nil, fmt.Errorf("%w: a quoted field is not closed on this line (a field may not span lines)", ErrSyntax)
		}
		return nil, fmt.Errorf("%w: %v (column %d)", ErrSyntax, pe.Err, pe.Column)
	}
	if err != nil { // only a line of white space and carriage returns
		return []string{""}, nil
	}
	return row, nil
}

// oneLine is the input of the lineReader's csv.Reader: one line, then
// io.EOF until the next line is set. encoding/csv keeps no state across
// rows that an io.EOF between them would change.
type oneLine struct{ b []byte }

func (o *oneLine) Read(p []byte) (int, error) {
	if len(o.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, o.b)
	o.b = o.b[n:]
	return n, nil
}
