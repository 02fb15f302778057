package inputs

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Open opens a file the user named; a missing file or a folder is an
// *Error in plain words.
func Open(name string) (*os.File, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, openError(name, err)
	}
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		fh.Close()
		return nil, errorf(name, "%s is a folder, not a file; give the folder as an argument of its own to read the *.ndjson files of a Bulk Data export", name)
	}
	return fh, nil
}

// OpenSniffed opens a file (Open) and sniffs it (Sniff); closing c closes
// the file.
func OpenSniffed(name string) (r *bufio.Reader, f Format, c io.Closer, err error) {
	fh, err := Open(name)
	if err != nil {
		return nil, "", nil, err
	}
	r, f, err = Sniff(name, fh)
	if err != nil {
		fh.Close()
		return nil, "", nil, err
	}
	return r, f, fh, nil
}

// Head returns the first bytes (up to 4096) of a file's content,
// gunzipped; an error is OpenSniffed's.
func Head(name string) ([]byte, error) {
	r, _, c, err := OpenSniffed(name)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	head, _ := r.Peek(4096)
	return head, nil
}

// OpenStream opens a file for a reader that takes its content as it comes
// (the cohort's NDJSON lines): a plain file is returned as it is, without
// a buffer of its own; one whose content starts with the gzip magic bytes
// (whatever its name) is gunzipped through a 1 MiB read buffer.
func OpenStream(name string) (io.ReadCloser, error) {
	f, err := Open(name)
	if err != nil {
		return nil, err
	}
	var magic [2]byte
	if n, _ := f.ReadAt(magic[:], 0); n < 2 || !bytes.Equal(magic[:], gzipMagic) {
		return f, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		f.Close()
		return nil, errorf(name, "%s: starts like a gzip file but is not one: %w", name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, f}, nil
}

// PatientsFirst is the order import reads files in: those that start with
// Patients (StartsWithPatients) first, so that the other files find their
// patients; the order is otherwise kept. The cohort takes a patient's
// records in this order (a Patient sent again is checked against the
// results read before it, as import checks it).
func PatientsFirst(files []string) ([]string, error) {
	type ranked struct {
		name string
		rank int
	}
	var rs []ranked
	for _, f := range files {
		first, err := StartsWithPatients(f)
		if err != nil {
			return nil, err
		}
		r := 1
		if first {
			r = 0
		}
		rs = append(rs, ranked{f, r})
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(a.rank, b.rank) })
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.name
	}
	return out, nil
}

// StartsWithPatients reports whether import reads file name among the
// first (PatientsFirst): its content (gunzipped) starts with a Patient
// resource or a patients CSV header, or it is named Patient.* (a Bulk Data
// export names its files by resource type).
func StartsWithPatients(name string) (bool, error) {
	head, err := Head(name)
	if err != nil {
		return false, err
	}
	h := bytes.ReplaceAll(head, []byte(" "), nil)
	first, _, _ := bytes.Cut(bytes.ToLower(h), []byte("\n"))
	return bytes.HasPrefix(h, []byte(`{"resourceType":"Patient"`)) || bytes.Contains(first, []byte("birth_date")) ||
		strings.HasPrefix(filepath.Base(name), "Patient."), nil
}
