package cohort

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"renalwatch/fhir"
)

// The index path (uncompressed regular files): instead of copying every
// line into a bucket, a parallel scan reads each file once in byte ranges,
// reads the patient key of each line (patientKeyBytes, as the partition
// does) and records runs of consecutive lines of one patient: where they
// are (file, offset, length) and their line numbers, about 24 bytes a run.
// Phase 2 then reads each patient's runs back from the file (ReadAt into a
// reused buffer) and decodes them once, straight into the patient's batch.
// A Bulk Data export usually writes a patient's resources of one type
// together, so a patient has about one run per file; lines of patients
// interleaved line by line cost one run (and one ReadAt) each.
//
// A bucket whose lines could change meaning when read apart from the rest
// of the bucket (lines without a patient key, Bundles, Medications, lines
// whose first key is not resourceType, lines that do not look like one
// JSON object) is read whole, in input order, as the partition path reads
// it (indexFallback): the output is the same bytes on either path. So is a
// bucket where the decoder finds a rejected line holding "resourceType"
// twice (fhir.Session.TypeTwice; the scan does not search whole lines for
// it).

// scanChunk is the byte range one scan task reads (Options.scanChunk in
// tests).
const scanChunk = 8 << 20

// runSize is the bytes a run takes in the index (the budget check).
const runSize = 24

// errIndexTooBig stops the scan when the index would exceed its share of
// the memory budget (lines of many patients interleaved in a very large
// input); the run then takes the partition path.
var errIndexTooBig = errors.New("cohort: line index larger than its memory share")

// run is consecutive lines of one file with one patient key (and the blank
// lines among them).
type run struct {
	off   uint64 // file index << 40 | byte offset of the first line
	n     uint32 // bytes, with the newlines
	line  uint32 // 1-based number of the first line in its file
	lines uint32 // lines in the run
	h     uint32 // high 32 bits of the key's FNV-1a hash (0 without a key)
}

func (r run) file() int     { return int(r.off >> 40) }
func (r run) offset() int64 { return int64(r.off & (1<<40 - 1)) }

// index is the result of the scan: the runs of each bucket in input order.
type index struct {
	files    []*os.File
	runs     []run     // all runs, bucket by bucket
	start    []int     // bucket b's runs are runs[start[b]:start[b+1]]
	fallback []bool    // buckets read whole (see above)
	long     []Problem // lines longer than fhir.MaxLine, in input order
	lines    int64
}

func (x *index) bucket(b int) []run { return x.runs[x.start[b]:x.start[b+1]] }

func (x *index) close() {
	for _, f := range x.files {
		if f != nil {
			f.Close()
		}
	}
}

// scanTask is one byte range of one file and what its scan found.
type scanTask struct {
	file       int
	start, end int64 // lines that begin in [start, end)
	runs       []run
	bucket     []int32
	fallback   []int32 // buckets to read whole
	lines      uint32  // lines that begin in the range
	long       []uint32
}

// plainInputs opens the inputs when every one is an uncompressed regular
// file (else nil, and the run takes the partition path).
func plainInputs(ins []input) ([]*os.File, error) {
	files := make([]*os.File, len(ins))
	closeAll := func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}
	for i, in := range ins {
		f, err := os.Open(in.path)
		if err != nil {
			closeAll()
			return nil, err
		}
		files[i] = f
		st, err := f.Stat()
		var magic [2]byte
		if err == nil && st.Mode().IsRegular() && st.Size() < 1<<40 {
			if n, _ := f.ReadAt(magic[:], 0); n == 2 && magic == [2]byte{0x1f, 0x8b} {
				err = errors.New("gzip")
			}
		} else if err == nil {
			err = errors.New("not a regular file")
		}
		if err != nil {
			closeAll()
			return nil, nil
		}
		ins[i].size = st.Size()
	}
	return files, nil
}

// scanIndex scans the files on workers goroutines. maxRuns bounds the
// index (errIndexTooBig beyond). progress is called with the bytes scanned
// so far (may be nil).
func scanIndex(ctx context.Context, ins []input, files []*os.File, nb, workers int, chunk, slack, maxRuns int64, progress func(done int64)) (*index, error) {
	var tasks []*scanTask
	for fi, in := range ins {
		for s := int64(0); s < in.size; s += chunk {
			tasks = append(tasks, &scanTask{file: fi, start: s, end: min(s+chunk, in.size)})
		}
	}
	var next, nruns, done atomic.Int64
	var progMu sync.Mutex
	var wg sync.WaitGroup
	var errOnce sync.Once
	var scanErr error
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tasks) || ctx.Err() != nil {
					return
				}
				t := tasks[i]
				if err := t.scan(ctx, files[t.file], ins[t.file].size, slack, nb); err != nil {
					errOnce.Do(func() { scanErr = err })
					return
				}
				if nruns.Add(int64(len(t.runs))) > maxRuns {
					errOnce.Do(func() { scanErr = errIndexTooBig })
					return
				}
				d := done.Add(t.end - t.start)
				if progress != nil {
					progMu.Lock()
					progress(d)
					progMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if scanErr == nil {
		scanErr = ctx.Err()
	}
	if scanErr != nil {
		return nil, scanErr
	}
	// Distribute the runs to their buckets in input order, with line
	// numbers counted from each file's start.
	x := &index{files: files, start: make([]int, nb+1), fallback: make([]bool, nb)}
	count := make([]int, nb+1)
	for _, t := range tasks {
		for _, b := range t.bucket {
			count[b+1]++
		}
		for _, b := range t.fallback {
			x.fallback[b] = true
		}
	}
	for b := range nb {
		count[b+1] += count[b]
	}
	copy(x.start, count)
	x.runs = make([]run, count[nb])
	base, file := uint32(0), -1
	for _, t := range tasks {
		if t.file != file {
			base, file = 0, t.file
		}
		for k, r := range t.runs {
			r.line += base
			b := t.bucket[k]
			x.runs[count[b]] = r
			count[b]++
		}
		for _, l := range t.long {
			x.long = append(x.long, Problem{File: ins[t.file].path, Line: int(base + l),
				Err: fmt.Errorf("%w: longer than %d MiB; not read", fhir.ErrTooLong, fhir.MaxLine>>20)})
		}
		base += t.lines
		x.lines += int64(t.lines)
		t.runs, t.bucket = nil, nil
	}
	return x, nil
}

// scan reads the lines that begin in the task's range (the last one read
// to its end) and records their runs.
func (t *scanTask) scan(ctx context.Context, f *os.File, size, slack int64, nb int) (err error) {
	from := t.start
	if from > 0 {
		from-- // to see whether a line begins at start
	}
	src, release := openLines(f, from, min(size, t.end+slack), size, int(min(max(t.end-t.start, 4096), 1<<20)))
	defer release()
	// A file mapped into memory that shrinks under the scan faults on
	// access: an error, not a crash.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); !fault {
				panic(r)
			}
			err = fmt.Errorf("%s: the file became shorter while it was read", f.Name())
		}
	}()
	pos := from
	if t.start > 0 {
		// Skip to the first line that begins at or after start.
		_, n, _, err := src.next()
		if err != nil {
			return err
		}
		pos += n
	}
	var cur run
	curBucket, open := int32(0), false
	closeRun := func() {
		if open {
			t.runs = append(t.runs, cur)
			t.bucket = append(t.bucket, curBucket)
			open = false
		}
	}
	fallback := map[int32]bool{}
	var prevID []byte // the last key hashed, its bucket and hash
	prevB, prevH, prevOK := int32(0), uint32(0), false
	for pos < t.end {
		// One line: l holds it (with its newline) unless it is longer
		// than fhir.MaxLine; size is its length in bytes.
		l, size, long, err := src.next()
		if err != nil {
			return err
		}
		if size == 0 {
			break // the end of the file
		}
		start := pos
		pos += size
		t.lines++
		if t.lines&0xffff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line := l
		for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
			line = line[:len(line)-1] // bytes.TrimRight(l, "\r\n")
		}
		id, ok, alone, fast := lineKey(line)
		switch {
		case long:
			closeRun() // reported after the scan, as the partition reports it
			t.long = append(t.long, t.lines)
		case !fast && len(bytes.TrimSpace(line)) == 0:
			if open { // a blank line inside a run: the reader skips it
				cur.n += uint32(size)
				cur.lines++
			}
		default:
			if !fast {
				var rt []byte
				if id, rt, ok = patientKeyType(line); ok {
					alone = standalone(bytes.TrimSpace(line), rt)
				}
			}
			b, h, whole := int32(0), uint32(0), true
			if ok {
				// Lines of one patient usually follow each other: the
				// hash and its division are done again only when the
				// key changes (prevID is a copy: a bufLines line is
				// overwritten by the next read).
				if !prevOK || !bytes.Equal(id, prevID) {
					h64 := fnv64(id)
					prevB, prevH = int32(h64%uint64(nb)), uint32(h64>>32)
					prevID, prevOK = append(prevID[:0], id...), true
				}
				b, h = prevB, prevH
				whole = !alone
			}
			if whole && !fallback[b] {
				fallback[b] = true
				t.fallback = append(t.fallback, b)
			}
			if open && curBucket == b && cur.h == h {
				cur.n += uint32(size)
				cur.lines++
			} else {
				closeRun()
				cur = run{off: uint64(t.file)<<40 | uint64(start), n: uint32(size), line: t.lines, lines: 1, h: h}
				curBucket, open = b, true
			}
		}
	}
	closeRun()
	return nil
}

// lineKey is patientKeyType and standalone for the line shape Bulk Data
// exports write (`{"resourceType":"T",...,"subject":{"reference":"Patient/ID"},...}`
// with no space around the object, not a Patient): fast reports whether
// line has that shape, and then ok, id and alone are what patientKeyType
// and standalone give (TestLineKey); else the caller asks them. It spares
// the scan their general parsing, most of its time per line.
func lineKey(line []byte) (id []byte, ok, alone, fast bool) {
	// The comparisons are with constant strings of at most 16 bytes, which
	// the compiler makes two 8-byte loads (a longer or computed one is a
	// call of runtime.memequal), and the short values are read byte by
	// byte rather than with bytes.IndexByte (a call, for about 10 bytes).
	const head = `{"resourceType":"`
	if len(line) <= len(head) || string(line[:16]) != `{"resourceType":` || line[16] != '"' || line[len(line)-1] != '}' {
		return nil, false, false, false
	}
	rest := line[len(head):]
	e := 0
	if len(rest) > len(`Observation"`) && string(rest[:len(`Observation"`)]) == `Observation"` {
		e = len("Observation") // most lines: 12 bytes compared at once
	}
	for ; e < len(rest) && rest[e] != '"'; e++ {
		if rest[e] == '\\' {
			return nil, false, false, false
		}
	}
	if e == len(rest) {
		return nil, false, false, false
	}
	rt := rest[:e]
	if string(rt) == "Patient" {
		return nil, false, false, false
	}
	i := keySubject.index(line) // `"subject"` is there: only the rest is compared
	// `"subject":{"reference":"Patient/`: the 9 bytes found, then 15 and
	// 8 compared.
	const subject = `"subject":{"reference":"`
	if i < 0 || len(line)-i < len(subject)+len("Patient/") || string(line[i+9:i+len(subject)]) != `:{"reference":"` ||
		string(line[i+len(subject):i+len(subject)+len("Patient/")]) != "Patient/" {
		return nil, false, false, false
	}
	ref := line[i+len(subject)+len("Patient/"):]
	e = 0
	for ; e < len(ref); e++ { // one pass for the quote, bytes.IndexByte(ref, '\\') and slashOrQuery
		c := ref[e]
		if c == '"' {
			break
		}
		if c == '\\' || c == '/' || c == '?' {
			return nil, false, false, false
		}
	}
	if e == len(ref) {
		return nil, false, false, false
	}
	// standalone: the first key is "resourceType" (line[1:]).
	alone = string(rt) != "Bundle" && string(rt) != "Medication"
	return ref[:e], true, alone, true
}

// standalone tells whether a line with a patient key reads the same in a
// batch of its patient's lines as in its bucket: one JSON object (by its
// first and last bytes) whose first key is "resourceType", neither a
// Bundle nor a Medication (whose content later lines of a batch may refer
// to). rt is the value of the line's first "resourceType" key
// (patientKeyType): when the line is one, it is that key's value. A line
// that gives "resourceType" twice is not looked for here (a search of the
// whole line, a quarter of the scan's time): the decoder rejects such a
// line whatever was read before it, and the worker that reads it patient
// by patient asks then for its bucket to be read whole
// (fhir.Session.TypeTwice, indexedPart).
func standalone(line []byte, rt []byte) bool {
	if line[0] != '{' || line[len(line)-1] != '}' {
		return false
	}
	j := skipSpace(line, 1)
	if !bytes.HasPrefix(line[j:], []byte(keyResourceType.s)) {
		return false
	}
	return string(rt) != "Bundle" && string(rt) != "Medication"
}

// fnv64 is FNV-1a, 64 bits (bucketOf's hash).
func fnv64(id []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range id {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}
