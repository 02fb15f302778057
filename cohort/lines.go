package cohort

import (
	"bufio"
	"bytes"
	"io"
	"os"

	"renalwatch/fhir"
)

// scanSlack is how far past its range a scan task maps the file, for its
// last line; a longer last line is read on with a bufio.Reader.
const scanSlack = 1 << 20

// lineSource yields the lines of a file from an offset: each line with its
// newline, its size in bytes, and long when it is longer than
// fhir.MaxLine (then l is empty); size 0 at the end of the file.
type lineSource interface {
	next() (l []byte, size int64, long bool, err error)
}

// openLines reads f from offset from: mapped into memory up to end where
// the system allows it (no copy of the bytes), else, or for a line that
// goes past end, through a bufio.Reader of bufSize bytes. release unmaps.
func openLines(f *os.File, from, end, size int64, bufSize int) (src lineSource, release func()) {
	if data, unmap, err := mapFile(f, from, end-from); err == nil {
		return &mappedLines{f: f, data: data, base: from, eof: end >= size, bufSize: bufSize}, unmap
	}
	return newBufLines(f, from, bufSize), func() {}
}

// mappedLines yields the lines of data, the bytes of f from base; past the
// mapping (unless it ends at the end of the file), from a bufLines.
type mappedLines struct {
	f       *os.File
	data    []byte
	base    int64
	pos     int
	eof     bool // data ends where the file ends
	bufSize int
	rest    *bufLines
}

func (m *mappedLines) next() ([]byte, int64, bool, error) {
	if m.rest != nil {
		return m.rest.next()
	}
	d := m.data[m.pos:]
	i := bytes.IndexByte(d, '\n')
	switch {
	case i >= 0:
		d = d[:i+1]
	case !m.eof:
		// The line goes on past the mapping.
		m.rest = newBufLines(m.f, m.base+int64(m.pos), m.bufSize)
		return m.rest.next()
	}
	m.pos += len(d)
	if len(d) > fhir.MaxLine {
		return nil, int64(len(d)), true, nil
	}
	return d, int64(len(d)), false, nil
}

// bufLines yields the lines of a file through a bufio.Reader.
type bufLines struct {
	br  *bufio.Reader
	acc []byte
}

func newBufLines(f *os.File, from int64, bufSize int) *bufLines {
	return &bufLines{br: bufio.NewReaderSize(io.NewSectionReader(f, from, 1<<62), bufSize)}
}

func (b *bufLines) next() ([]byte, int64, bool, error) {
	l, err := b.br.ReadSlice('\n')
	size, long := int64(len(l)), false
	if err == bufio.ErrBufferFull {
		b.acc = append(b.acc[:0], l...)
		for err == bufio.ErrBufferFull {
			l, err = b.br.ReadSlice('\n')
			size += int64(len(l))
			if !long && len(b.acc)+len(l) > fhir.MaxLine {
				long, b.acc = true, b.acc[:0]
			}
			if !long {
				b.acc = append(b.acc, l...)
			}
		}
		l = b.acc
	}
	if err != nil && err != io.EOF {
		return nil, 0, false, err
	}
	if long {
		l = nil
	}
	return l, size, long, nil
}
