package fhir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"renalwatch/record"
)

// Streaming: Read and ReadChunks, NDJSON lines, the look-ahead for a
// document over several lines, and the line length limit (issue 8 item 4).

// MaxLine is the longest NDJSON line, and the largest single JSON
// document (a Bundle), the reader takes: 64 MiB. A longer line is rejected
// with its line number (ErrTooLong) without being read whole; a larger
// document is read as NDJSON, line by line.
const MaxLine = 64 << 20

// Read reads one file named name (the name is used in messages). It returns
// an error only when r fails; problems with the content are Rejections in
// the Result.
func (rd *Reader) Read(name string, r io.Reader) (*Result, error) {
	return rd.ReadChunks(name, r, 0, nil)
}

// ReadChunks reads one file as Read does, but in bounded memory: once the
// items read hold chunk items or rejections or more (after a whole NDJSON
// line, or a whole Bundle), it calls emit with them and starts a new chunk,
// and at the end it emits what is left. The batch and the rejections
// passed to emit are reused after emit returns. The Result then holds the
// counts (Read, Unmapped, Ignored, Skipped, Notes) but no items or
// rejections. An error from emit stops the reading and is returned. With
// chunk 0 (or emit nil) nothing is emitted and the Result holds everything,
// as from Read.
func (rd *Reader) ReadChunks(name string, r io.Reader, chunk int, emit func(b *record.Batch, rejected []Rejection) error) (*Result, error) {
	f := &file{r: rd, res: &Result{File: name}, meds: map[string]codeableConcept{}}
	if chunk > 0 && emit != nil {
		f.chunk, f.emit = chunk, emit
	}
	if err := f.read(r); err != nil {
		return nil, err
	}
	if err := f.flush(0); err != nil {
		return nil, err
	}
	return f.finish(), nil
}

// flush emits the chunk when it holds at least min items or rejections
// (min 0: whenever it holds anything).
func (f *file) flush(min int) error {
	if f.emit == nil {
		return nil
	}
	b := &f.res.Batch
	n := b.Len()
	if n == 0 && len(f.res.Rejected) == 0 || n < min && len(f.res.Rejected) < min {
		return nil
	}
	if err := f.emit(b, f.res.Rejected); err != nil {
		return err
	}
	*b = record.Batch{Patients: b.Patients[:0], Observations: b.Observations[:0], Conditions: b.Conditions[:0], Findings: b.Findings[:0],
		Biopsies: b.Biopsies[:0], Therapies: b.Therapies[:0], Replacements: b.Replacements[:0], Retractions: b.Retractions[:0]}
	clear(f.res.Rejected) // drop the references: the slice is reused
	f.res.Rejected = f.res.Rejected[:0]
	return nil
}

// readLineN reads NDJSON line n (or a document on one line) and emits a full
// chunk.
func (f *file) readLineN(n int, l []byte, tooLong bool) error {
	f.line = n
	if tooLong {
		f.res.Read++
		f.reject(peekType(l), peekID(l), fmt.Errorf("%w: line %d is longer than %d MiB; not read", ErrTooLong, n, MaxLine>>20))
		return f.flush(f.chunk)
	}
	if l = bytes.TrimSpace(l); len(l) == 0 {
		return nil
	}
	f.doc(l)
	return f.flush(f.chunk)
}

func (f *file) read(r io.Reader) error {
	// A file (an io.Seeker) is read again from its start rather than from
	// the look-ahead below, which is then dropped before any line is read.
	sk, _ := r.(io.Seeker)
	var start int64
	if sk != nil {
		var err error
		if start, err = sk.Seek(0, io.SeekCurrent); err != nil {
			sk = nil
		}
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var acc []byte
	first, long, err := readLine(br, &acc)
	if err != nil && err != io.EOF {
		return err
	}
	first = bytes.Clone(first) // read on below: not in br's buffer or acc
	firstLine := bytes.TrimSpace(first)
	if len(firstLine) == 0 && err == io.EOF {
		return nil
	}
	n := 1
	if long || !isJSON(firstLine) {
		// One document over several lines (a Bundle), or NDJSON with a bad
		// or long first line: look at up to MaxLine bytes.
		buf := first
		rerr := err
		if !long && err != io.EOF {
			var err error
			if buf, err = readUpTo(br, first, MaxLine+1); err != nil {
				return err
			}
			if len(buf) <= MaxLine {
				rerr = io.EOF
			}
		}
		if !long && rerr == io.EOF && isJSON(buf) {
			f.line = 0
			f.doc(buf)
			return nil
		}
		if !long && rerr == io.EOF && endsEarly(buf) {
			// Trial-cli #15: a pretty-printed Bundle cut short was read as
			// NDJSON, one cryptic rejection per line.
			f.line = 0
			f.res.Read++
			what := "JSON document"
			if rt := peekType(buf); rt != "" {
				what = "JSON " + rt
			}
			f.reject("", "", fmt.Errorf("%w: the %s ends early at byte %d: truncated file?", ErrBadJSON, what, len(buf)))
			return nil
		}
		// Not one document: NDJSON. Read the complete lines held, then go
		// on with the rest of the file, the last partial line first; or,
		// from a file, read the file again from its start.
		if !long && sk != nil && rerr != io.EOF {
			buf = nil
			if _, err := sk.Seek(start, io.SeekStart); err != nil {
				return err
			}
			br = bufio.NewReaderSize(r, 1<<20)
			n, err = 1, nil
		} else if long {
			if err := f.readLineN(1, first, true); err != nil {
				return err
			}
			if err == io.EOF {
				return nil
			}
			n = 2
		} else {
			done := rerr == io.EOF
			for len(buf) > 0 {
				i := bytes.IndexByte(buf, '\n')
				if i < 0 && !done {
					break // a partial last line: joined to the rest below
				}
				var l []byte
				if i < 0 {
					l, buf = buf, nil
				} else {
					l, buf = buf[:i], buf[i+1:]
				}
				if err := f.readLineN(n, l, false); err != nil {
					return err
				}
				n++
			}
			if done {
				return nil
			}
			tail := bytes.Clone(buf)
			buf = nil // the look-ahead is done with: let it go before reading on
			br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(tail), br), 1<<20)
		}
		err = nil
	} else {
		if err := f.readLineN(1, first, false); err != nil {
			return err
		}
		n = 2
	}
	for ; err != io.EOF; n++ {
		var l []byte
		l, long, err = readLine(br, &acc)
		if err != nil && err != io.EOF {
			return err
		}
		if err == io.EOF && len(l) == 0 {
			break
		}
		if err := f.readLineN(n, l, long); err != nil {
			return err
		}
	}
	return nil
}

// endsEarly reports whether b is one JSON object spread over several lines
// that stops before its end (a file cut short): it starts with "{" alone on
// its first line, and is valid JSON as far as it goes. NDJSON whose first
// line is bad fails on its second line instead.
func endsEarly(b []byte) bool {
	first, _, _ := bytes.Cut(b, []byte("\n"))
	if string(bytes.TrimSpace(first)) != "{" {
		return false
	}
	var v json.RawMessage
	return json.NewDecoder(bytes.NewReader(b)).Decode(&v) == io.ErrUnexpectedEOF
}

// isJSON is json.Valid, with the fast decoder's scanner first.
func isJSON(b []byte) bool { return validJSON(b) || json.Valid(b) }

// readUpTo returns head followed by what r holds, up to max bytes in all.
// A small file costs a small buffer; a large one one allocation of max
// bytes, not a growing series of copies.
func readUpTo(r io.Reader, head []byte, max int) ([]byte, error) {
	const step = 1 << 20
	small, err := io.ReadAll(io.LimitReader(r, int64(min(step, max-len(head)))))
	if err != nil {
		return nil, err
	}
	if len(head)+len(small) < min(len(head)+step, max) {
		return append(head, small...), nil // the whole file
	}
	buf := make([]byte, 0, max)
	buf = append(append(buf, head...), small...)
	n, err := io.ReadFull(r, buf[len(buf):max])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:len(buf)+n], nil
}

// readLine reads one line. A line within br's buffer is returned in place
// (valid until the next read from br); a longer one is gathered in *acc,
// which is reused. A line longer than MaxLine is not kept: long is true,
// and the line holds its first bytes only (for the rejection's resource
// type and id).
func readLine(br *bufio.Reader, acc *[]byte) (line []byte, long bool, err error) {
	l, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return l, false, err
	}
	out := append((*acc)[:0], l...)
	for {
		l, err := br.ReadSlice('\n')
		if !long && len(out)+len(l) > MaxLine {
			long = true
			out = append(out[:min(len(out), 4096)], l[:min(len(l), 4096-min(len(out), 4096))]...)
		} else if !long {
			out = append(out, l...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if cap(out) <= 8<<20 {
			*acc = out // kept for the next long line; a larger buffer is let go
		}
		return out, long, err
	}
}
