package cohort

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"renalwatch/fhir"
)

// origin packs where a line came from: input index (high 32 bits) and
// 1-based line number (low 32 bits).
type origin uint64

func mkOrigin(file, line int) origin { return origin(uint64(file)<<32 | uint64(uint32(line))) }
func (o origin) file() int           { return int(o >> 32) }
func (o origin) line() int           { return int(uint32(o)) }

// bucket holds the lines of the patients that hash to it: in memory, and,
// once spilled, in two temporary files (the lines, and their origins as
// little-endian uint64).
type bucket struct {
	buf   []byte // lines, each ending in '\n'
	org   []origin
	lines *os.File
	origs *os.File
	n     int64 // lines in all
}

// partitioner routes lines to buckets by patient.
type partitioner struct {
	b       []bucket
	spill   bool
	dir     string
	flushAt int // spill a bucket's buffer when it holds this many bytes
	scratch []byte
}

func newPartitioner(n int, spill bool, dir string, flushAt int) *partitioner {
	return &partitioner{b: make([]bucket, n), spill: spill, dir: dir, flushAt: flushAt}
}

// add routes one line (without its newline).
func (p *partitioner) add(line []byte, o origin) error {
	i := 0
	if id, ok := patientKeyBytes(line); ok {
		i = bucketOf(id, len(p.b))
	}
	return p.addTo(i, line, o)
}

// addTo adds one line (without its newline) to bucket i.
func (p *partitioner) addTo(i int, line []byte, o origin) error {
	b := &p.b[i]
	if p.spill {
		// A spilling bucket's buffer is allocated once at flushAt and
		// flushed before it would grow: the partition then holds at most
		// B × flushAt bytes of lines, whatever the input.
		if b.buf == nil {
			b.buf = make([]byte, 0, p.flushAt)
		}
		if len(b.buf)+len(line)+1 > cap(b.buf) {
			if err := p.flush(b); err != nil {
				return err
			}
			if len(line)+1 > cap(b.buf) { // a line longer than the buffer: written as it is
				b.org = append(b.org, o)
				b.n++
				return p.flushLine(b, line)
			}
		}
	}
	b.buf = append(append(b.buf, line...), '\n')
	b.org = append(b.org, o)
	b.n++
	return nil
}

// flushLine writes one long line (whose origin is b.org's last) straight
// to the bucket's files.
func (p *partitioner) flushLine(b *bucket, line []byte) error {
	saved := b.buf
	b.buf = append(append(make([]byte, 0, len(line)+1), line...), '\n')
	err := p.flush(b)
	b.buf = saved[:0]
	return err
}

// flush writes a bucket's buffer to its temporary files.
func (p *partitioner) flush(b *bucket) error {
	if len(b.org) == 0 {
		return nil
	}
	if b.lines == nil {
		var err error
		if b.lines, err = os.CreateTemp(p.dir, "cohort-lines-*"); err != nil {
			return err
		}
		if b.origs, err = os.CreateTemp(p.dir, "cohort-origins-*"); err != nil {
			return err
		}
	}
	if _, err := b.lines.Write(b.buf); err != nil {
		return err
	}
	p.scratch = p.scratch[:0]
	for _, o := range b.org {
		p.scratch = binary.LittleEndian.AppendUint64(p.scratch, uint64(o))
	}
	if _, err := b.origs.Write(p.scratch); err != nil {
		return err
	}
	b.buf, b.org = b.buf[:0], b.org[:0]
	return nil
}

// load returns bucket i's lines and origins, and releases the bucket. A
// spilled bucket's lines are read into reuse when it is large enough.
func (p *partitioner) load(i int, reuse []byte) ([]byte, []origin, error) {
	b := &p.b[i]
	if b.lines == nil {
		data, org := b.buf, b.org
		b.buf, b.org = nil, nil
		return data, org, nil
	}
	if err := p.flush(b); err != nil {
		return nil, nil, err
	}
	b.buf, b.org = nil, nil
	data, err := readAll(b.lines, reuse)
	if err != nil {
		return nil, nil, err
	}
	raw, err := readAll(b.origs, nil)
	if err != nil {
		return nil, nil, err
	}
	org := make([]origin, len(raw)/8)
	for k := range org {
		org[k] = origin(binary.LittleEndian.Uint64(raw[8*k:]))
	}
	p.closeBucket(b)
	return data, org, nil
}

func readAll(f *os.File, reuse []byte) ([]byte, error) {
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	buf := reuse[:0]
	if int64(cap(buf)) < end {
		buf = make([]byte, end)
	}
	buf = buf[:end]
	_, err = f.ReadAt(buf, 0)
	if err == io.EOF {
		err = nil
	}
	return buf, err
}

func (p *partitioner) closeBucket(b *bucket) {
	for _, f := range []*os.File{b.lines, b.origs} {
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}
	b.lines, b.origs = nil, nil
}

// close removes every temporary file left.
func (p *partitioner) close() {
	for i := range p.b {
		p.closeBucket(&p.b[i])
	}
}

// bucketOf hashes a patient id to a bucket (FNV-1a, 64 bits, as
// hash/fnv's New64a, without its allocations).
func bucketOf[T string | []byte](id T, n int) int {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return int(h % uint64(n))
}

// readLines calls fn with each line of r (1-based n, without its newline),
// read through a buffer of bufSize bytes. A line longer than fhir.MaxLine
// is passed as nil with long true.
func readLines(r io.Reader, bufSize int, fn func(n int, line []byte, long bool) error) error {
	br := bufio.NewReaderSize(r, bufSize)
	var acc []byte
	for n := 1; ; n++ {
		l, err := br.ReadSlice('\n')
		long := false
		if err == bufio.ErrBufferFull {
			acc = append(acc[:0], l...)
			for err == bufio.ErrBufferFull {
				l, err = br.ReadSlice('\n')
				if !long && len(acc)+len(l) > fhir.MaxLine {
					long, acc = true, acc[:0]
				}
				if !long {
					acc = append(acc, l...)
				}
			}
			l = acc
		}
		if err != nil && err != io.EOF {
			return err
		}
		if len(l) > 0 || long {
			if long {
				l = nil
			}
			if ferr := fn(n, bytes.TrimRight(l, "\r\n"), long); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// patientKey reads the patient a raw resource line belongs to without
// decoding it: Patient.id, or the subject (else patient) reference, as
// fhir.Reader resolves it ("Patient/x", "urn:uuid:x", ".../Patient/x").
// ok is false when it cannot tell (the line then goes to bucket 0 and a
// misrouted item is rejected after mapping).
func patientKey(line []byte) (string, bool) {
	k, ok := patientKeyBytes(line)
	return string(k), ok
}

// patientKeyBytes is patientKey without a copy: the key is in line.
func patientKeyBytes(line []byte) ([]byte, bool) {
	k, _, ok := patientKeyType(line)
	return k, ok
}

// patientKeyType is patientKeyBytes that also returns the line's
// resourceType (the value of its first "resourceType" key).
func patientKeyType(line []byte) (key, rt []byte, ok bool) {
	rt, ok = stringAfter(line, keyResourceType)
	if !ok {
		return nil, nil, false
	}
	if string(rt) == "Patient" {
		key, ok = stringAfter(line, keyID)
		return key, rt, ok
	}
	for _, key := range []needle{keySubject, keyPatient} {
		i := key.index(line)
		if i < 0 {
			continue
		}
		ref, ok := stringAfter(line[i+len(key.s):], keyReference)
		if !ok {
			return nil, rt, false
		}
		switch {
		case bytes.HasPrefix(ref, []byte("Patient/")) && !slashOrQuery(ref[len("Patient/"):]):
			return ref[len("Patient/"):], rt, true
		case bytes.HasPrefix(ref, []byte("urn:uuid:")):
			return ref[len("urn:uuid:"):], rt, true
		}
		if j := bytes.LastIndex(ref, []byte("/Patient/")); j >= 0 && !slashOrQuery(ref[j+len("/Patient/"):]) {
			return ref[j+len("/Patient/"):], rt, true
		}
		return nil, rt, false
	}
	return nil, rt, false
}

// slashOrQuery is bytes.ContainsAny(b, "/?") without decoding runes (the
// bytes of a multi-byte UTF-8 sequence, or of an invalid one, are never
// ASCII).
func slashOrQuery(b []byte) bool {
	for _, c := range b {
		if c == '/' || c == '?' {
			return true
		}
	}
	return false
}

// The keys patientKeyBytes looks for, each with its byte least common in
// FHIR JSON.
var (
	keyResourceType = needle{`"resourceType"`, 9} // T
	keyID           = needle{`"id"`, 2}           // d
	keySubject      = needle{`"subject"`, 4}      // j
	keyPatient      = needle{`"patient"`, 1}      // p
	keyReference    = needle{`"reference"`, 3}    // f
)

// needle is a string to find and the index of its rarest byte.
type needle struct {
	s    string
	rare int
}

// index is bytes.Index(s, n.s), looking for n's rarest byte with
// IndexByte: bytes.Index looks for the first byte, and a quote, the first
// byte of every key, comes every few bytes in JSON (so it stops, checks and
// goes on every few bytes: 250-550 ns for a 500-byte Observation line,
// about 5 times the time it takes to find a rare byte).
func (n needle) index(s []byte) int {
	c := n.s[n.rare]
	for off := 0; off+n.rare < len(s); {
		i := bytes.IndexByte(s[off+n.rare:], c)
		if i < 0 {
			return -1
		}
		at := off + i // an occurrence at or after off has its rare byte at or after off+rare
		if at+len(n.s) <= len(s) && string(s[at:at+len(n.s)]) == n.s {
			return at
		}
		off = at + 1
	}
	return -1
}

// stringAfter returns the string value of the first occurrence of key
// (quoted) used as an object key in s. Escaped strings are not read (ok
// false).
func stringAfter(s []byte, key needle) ([]byte, bool) {
	for off := 0; ; {
		i := key.index(s[off:])
		if i < 0 {
			return nil, false
		}
		j := off + i + len(key.s)
		off = j
		j = skipSpace(s, j)
		if j >= len(s) || s[j] != ':' {
			continue
		}
		j = skipSpace(s, j+1)
		if j >= len(s) || s[j] != '"' {
			return nil, false
		}
		end := bytes.IndexByte(s[j+1:], '"')
		if end < 0 {
			return nil, false
		}
		v := s[j+1 : j+1+end]
		if bytes.IndexByte(v, '\\') >= 0 {
			return nil, false
		}
		return v, true
	}
}

func skipSpace(s []byte, j int) int {
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
		j++
	}
	return j
}

// partitionInputs reads every input line by line into part (the partition
// path: gzip or other non-regular input, or an index too large). It
// returns the lines read. Progress counts the bytes read (uncompressed);
// its Total is total when the inputs are plain files (exact), else 0
// (unknown: a gzip file's size after decompression is not known before
// it is read, and the estimate made the bar read 100% from the start,
// trial 12 F14).
func partitionInputs(ctx context.Context, opt *Options, ins []input, total int64, exact bool, part *partitioner, report func(Problem) error) (int64, error) {
	if !exact {
		total = 0
	}
	var read, lines int64
	for fi, in := range ins {
		if err := ctx.Err(); err != nil {
			return lines, err
		}
		rc, err := in.open()
		if err != nil {
			return lines, err
		}
		cr := &countReader{r: rc}
		err = readLines(cr, readBuf(opt.Memory), func(n int, line []byte, long bool) error {
			lines++
			if n&0xffff == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				if opt.Progress != nil {
					opt.Progress(Progress{Phase: "partition", Done: read + cr.n, Total: total})
				}
			}
			if long {
				return report(Problem{File: in.path, Line: n, Err: fmt.Errorf("%w: longer than %d MiB; not read", fhir.ErrTooLong, fhir.MaxLine>>20)})
			}
			if len(bytes.TrimSpace(line)) == 0 {
				return nil
			}
			return part.add(line, mkOrigin(fi, n))
		})
		rc.Close()
		if err != nil {
			return lines, err
		}
		read += cr.n
	}
	return lines, nil
}

// readBuf is the read buffer of the partition for a budget of mem bytes:
// mem/64 between 64 KiB and 4 MiB (4 MiB from 256 MiB up, 1 MiB at 64 MB).
// A fixed 4 MiB was a quarter of the smallest budget (trial 12 F9); above
// 64 KiB its size barely changes the time a line takes.
func readBuf(mem int64) int { return int(min(max(mem/64, 64<<10), 4<<20)) }

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func closeFiles(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}
