package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"

	"renalwatch/csvio"
	"renalwatch/internal/csvfast"
)

// chunkSize is the size of the blocks of whole records that the workers
// compute in parallel (about 10,000 rows of a four-column table).
const chunkSize = 256 << 10

// batchCopy streams in to w: the header with the result columns, then one
// row per input record, in input order. Blocks of whole records are computed
// on all cores (GOMAXPROCS workers) and written in order. It returns the
// number of rows and of failed rows.
func batchCopy(ctx context.Context, cmd string, in io.Reader, w *bufio.Writer, setup batchSetup) (rows, failed int, err error) {
	br := bufio.NewReaderSize(in, 1<<20)
	text, err := readRecords(br, nil, 0)
	if err != nil && err != io.EOF {
		return 0, 0, badInputf("%s: --in: %w", cmd, err)
	}
	text = bytes.TrimPrefix(text, []byte("\ufeff"))
	// A semicolon-separated table is read as the import reads one (the
	// csvio package's rule), decimal commas included; the output is
	// comma-separated.
	h := tableHeader{semicolon: csvio.SemicolonHeader(text)}
	rd := csvfast.NewReader(nil)
	if h.semicolon {
		rd.Comma = ';'
	}
	rd.ResetBytes(text, 1)
	f, err := rd.Read()
	if err == io.EOF {
		return 0, 0, badInputf("%s: --in: the table is empty; its first line must name the columns", cmd)
	}
	if err != nil {
		return 0, 0, badInputf("%s: --in: %w", cmd, err)
	}
	header := make([]string, len(f))
	for i, name := range f {
		header[i] = string(name)
	}
	if hint := csvio.SeparatorHint(header, h.semicolon); hint != "" {
		return 0, 0, badInputf("%s: --in: the column separator was not recognised%s; the header reads as one column, %q", cmd, hint, header[0])
	}
	h.names = header
	calc, err := setup(h)
	if err != nil {
		return 0, 0, err
	}
	cols, err := resultColumns(cmd, header, append(slices.Clone(calc.cols), "error"))
	if err != nil {
		return 0, 0, err
	}
	var buf []byte
	for i, h := range header {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendField(buf, h)
	}
	for _, c := range cols {
		buf = appendCell(buf, c)
	}
	if _, err := w.Write(append(buf, '\n')); err != nil {
		return 0, 0, err
	}
	return copyRows(ctx, cmd, br, w, calc, rd.Comma, len(header), 1+bytes.Count(text, []byte{'\n'}))
}

// readRecords appends to buf at least size bytes of br (all of it if
// shorter), then up to the end of that line, then more lines until the
// double quotes balance, so that buf ends between two records (a quoted
// field may span lines). It returns io.EOF with the last bytes.
func readRecords(br *bufio.Reader, buf []byte, size int) ([]byte, error) {
	start := len(buf)
	buf = slices.Grow(buf, size+size/16) // room for the end of the last line
	n, err := io.ReadFull(br, buf[start:start+size])
	buf = buf[:start+n]
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	for err == nil && (len(buf) == start || buf[len(buf)-1] != '\n' || bytes.Count(buf[start:], []byte{'"'})%2 == 1 || len(bytes.Trim(buf[start:], "\r\n")) == 0) {
		var line []byte
		line, err = br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			err = nil
		}
		buf = append(buf, line...)
	}
	return buf, err
}

// chunk is a block of whole records and its computed output.
type chunk struct {
	data, out    []byte
	line         int // line number of the block's first line
	rows, failed int
	err          error
	done         chan struct{}
}

// copyRows reads blocks of records from br, computes them on all cores and
// writes their output to w in input order. comma separates the input's
// fields; line is the number of the first line after the header.
func copyRows(ctx context.Context, cmd string, br *bufio.Reader, w *bufio.Writer, calc *batchCalc, comma byte, width, line int) (rows, failed int, err error) {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *chunk, workers)
	order := make(chan *chunk, 2*workers)
	free := make(chan *chunk, 3*workers+1) // every chunk in flight, so sends never block
	for range cap(free) {
		free <- &chunk{done: make(chan struct{}, 1)}
	}
	stop := make(chan struct{})
	var readErr error
	go func() { // reader: blocks in order, to the workers and to the writer
		defer close(order)
		defer close(work)
		for {
			var c *chunk
			select {
			case c = <-free:
			case <-stop:
				return
			}
			if readErr = ctx.Err(); readErr != nil {
				return
			}
			var err error
			c.data, err = readRecords(br, c.data[:0], chunkSize)
			if err != nil && err != io.EOF {
				readErr = err
				return
			}
			if len(c.data) > 0 {
				// The results roughly double a narrow table's rows.
				c.line, c.rows, c.failed, c.err = line, 0, 0, nil
				c.out = slices.Grow(c.out[:0], 2*len(c.data))
				line += bytes.Count(c.data, []byte{'\n'})
				order <- c
				work <- c
			}
			if err == io.EOF {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			rd := csvfast.NewReader(nil)
			rd.Comma = comma
			wc := calc
			if calc.perWorker != nil {
				wc = calc.perWorker()
			}
			for c := range work {
				computeChunk(cmd, rd, c, wc, width)
				c.done <- struct{}{}
			}
		})
	}
	for c := range order {
		<-c.done
		if err == nil {
			if err = c.err; err == nil {
				rows += c.rows
				failed += c.failed
				_, err = w.Write(c.out)
			}
			if err != nil {
				close(stop)
			}
		}
		free <- c
	}
	wg.Wait()
	if err == nil {
		err = readErr
	}
	return rows, failed, err
}

// computeChunk computes every record of c.data into c.out: the input fields
// as they were (re-quoted when they were quoted, re-joined with commas when
// the input is semicolon-separated), the result cells, and the error cell.
func computeChunk(cmd string, rd *csvfast.Reader, c *chunk, calc *batchCalc, width int) {
	rd.ResetBytes(c.data, c.line)
	buf := c.out
	defer func() { c.out = buf }()
	for {
		f, err := rd.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			c.err = badInputf("%s: --in: %w; nothing after it was read", cmd, err)
			return
		}
		c.rows++
		if raw, ok := rd.Raw(); ok && len(f) == width && rd.Comma == ',' {
			buf = append(buf, raw...)
		} else {
			for i := range width {
				if i > 0 {
					buf = append(buf, ',')
				}
				if i < len(f) {
					buf = appendField(buf, string(f[i]))
				}
			}
		}
		mark := len(buf)
		var rerr error
		if len(f) != width {
			rerr = fmt.Errorf("line %d has %d fields, the header has %d; fix the line (extra fields are not copied)", rd.Line(), len(f), width)
		} else {
			buf, rerr = calc.row(buf, f)
		}
		if rerr != nil {
			c.failed++
			buf = buf[:mark]
			buf = append(buf, strings.Repeat(",", len(calc.cols))...)
			buf = appendCell(buf, rerr.Error())
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
	}
}
