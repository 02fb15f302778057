package csvfast

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// readAll returns every record as strings, the raw flags, and the error that
// stopped reading (nil at EOF).
func readAll(r *Reader) (recs [][]string, err error) {
	for {
		f, err := r.Read()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		rec := make([]string, len(f))
		for i, b := range f {
			rec[i] = string(b)
		}
		if raw, ok := r.Raw(); ok && string(raw) != strings.Join(rec, string(r.Comma)) {
			return recs, errors.New("raw bytes do not join to the fields: " + string(raw))
		}
		recs = append(recs, rec)
	}
}

// stdAll reads with encoding/csv, as Reader promises to, up to its first error.
func stdAll(data []byte) (recs [][]string, err error) {
	return stdAllSep(data, ',')
}

// stdAllSep is stdAll with the field separator comma.
func stdAllSep(data []byte, comma rune) (recs [][]string, err error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]string
		lines    []int
	}{
		{"plain", "a,b\n1,2\n", [][]string{{"a", "b"}, {"1", "2"}}, []int{1, 2}},
		{"crlf and no final newline", "a,b\r\n1,2", [][]string{{"a", "b"}, {"1", "2"}}, []int{1, 2}},
		{"empty lines skipped", "a\n\n\r\nb\n", [][]string{{"a"}, {"b"}}, []int{1, 4}},
		{"empty fields", ",,\n", [][]string{{"", "", ""}}, []int{1}},
		{"quoted comma", "x,\"1,2\",y\nz\n", [][]string{{"x", "1,2", "y"}, {"z"}}, []int{1, 2}},
		{"quoted newline", "\"a\nb\",c\nd\n", [][]string{{"a\nb", "c"}, {"d"}}, []int{1, 3}},
		{"escaped quote", "\"say \"\"hi\"\"\"\n", [][]string{{`say "hi"`}}, []int{1}},
		{"stray cr kept", "a\rb,c\n", [][]string{{"a\rb", "c"}}, []int{1}},
	}
	for _, tt := range tests {
		for _, inPlace := range []bool{false, true} {
			checkReader(t, tt.name, tt.in, tt.want, tt.lines, inPlace)
		}
	}
}

// checkReader reads in through Reset (one byte at a time) or ResetBytes and
// compares the records and their line numbers.
func checkReader(t *testing.T, name, in string, want [][]string, wantLines []int, inPlace bool) {
	t.Helper()
	r := NewReader(iotest.OneByteReader(strings.NewReader(in)))
	if inPlace {
		r = NewReader(nil)
		r.ResetBytes([]byte(in), 1)
		name += " (ResetBytes)"
	}
	var lines []int
	var got [][]string
	for {
		f, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rec := []string{}
		for _, b := range f {
			rec = append(rec, string(b))
		}
		got = append(got, rec)
		lines = append(lines, r.Line())
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s: records (-want +got):\n%s", name, d)
	}
	if d := cmp.Diff(wantLines, lines); d != "" {
		t.Errorf("%s: line numbers (-want +got):\n%s", name, d)
	}
}

func TestReaderBadQuote(t *testing.T) {
	r := NewReader(strings.NewReader("a,b\n1,2\n3,\"4\n"))
	_, err := readAll(r)
	var pe *csv.ParseError
	if !errors.As(err, &pe) || pe.StartLine != 3 {
		t.Fatalf("unterminated quote on line 3: got %v", err)
	}
}

// TestReaderLongLine: a line longer than the buffer is read whole.
func TestReaderLongLine(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	got, err := readAll(NewReader(strings.NewReader("a," + long + "\nb\n")))
	if err != nil || len(got) != 2 || got[0][1] != long || got[1][0] != "b" {
		t.Fatalf("long line: %d records, err %v", len(got), err)
	}
}

// FuzzReader: the fast reader and encoding/csv read the same records and
// fail on the same record.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a,\"b,c\"\n", "\"a\nb\"\r\n", "a\r\n\r\nb", "\"\"\"\"", "a\"b\n", "\"a\"b\n",
		"\r", "\r\r\n", "a\rb\n", ",\n,", "\"a\r\nb\"", "x\n\"y", "\ufeffa,b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := stdAll(data)
		got, gerr := readAll(NewReader(iotest.HalfReader(bytes.NewReader(data))))
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%q: encoding/csv error %v, csvfast error %v", data, werr, gerr)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("%q: records differ (-encoding/csv +csvfast):\n%s", data, d)
		}
		// ResetBytes reads the same records in place, and leaves data as it was.
		r := NewReader(nil)
		orig := bytes.Clone(data)
		r.ResetBytes(data, 1)
		got2, gerr2 := readAll(r)
		if (werr == nil) != (gerr2 == nil) {
			t.Fatalf("%q: encoding/csv error %v, ResetBytes error %v", data, werr, gerr2)
		}
		if d := cmp.Diff(want, got2); d != "" {
			t.Fatalf("%q: records differ (-encoding/csv +ResetBytes):\n%s", data, d)
		}
		if !bytes.Equal(orig, data) {
			t.Fatalf("%q: ResetBytes changed its input to %q", orig, data)
		}
	})
}

func BenchmarkReader(b *testing.B) {
	data := []byte(strings.Repeat("1,0.9,54,female,some text\n", 10000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		for {
			if _, err := r.Read(); err != nil {
				break
			}
		}
	}
}

func BenchmarkEncodingCSV(b *testing.B) {
	data := []byte(strings.Repeat("1,0.9,54,female,some text\n", 10000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		for {
			if _, err := r.Read(); err != nil {
				break
			}
		}
	}
}

// TestReaderSemicolon: with Comma ';' a semicolon-separated table (a
// European spreadsheet export, decimal commas in its cells) is read as
// encoding/csv reads it with Comma ';', on the fast path and through
// quotes, from a reader and in place.
func TestReaderSemicolon(t *testing.T) {
	data := []byte("id;creatinine_mg_dl;age;note\np1;1,2;54;\"a; b\"\r\np2;0,9;60;x,y\n")
	want, err := stdAllSep(data, ';')
	if err != nil || len(want) != 3 || want[1][1] != "1,2" || want[1][3] != "a; b" || want[2][3] != "x,y" {
		t.Fatalf("encoding/csv: %q, %v", want, err)
	}
	r := NewReader(bytes.NewReader(data))
	r.Comma = ';'
	got, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("records differ (-encoding/csv +csvfast):\n%s", d)
	}
	r = NewReader(nil)
	r.Comma = ';'
	r.ResetBytes(data, 1)
	if got, err = readAll(r); err != nil || cmp.Diff(want, got) != "" {
		t.Errorf("ResetBytes: %q, %v", got, err)
	}
}
