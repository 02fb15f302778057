package fhir_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/fhir"
	"renalwatch/record"
)

// readChunked reads data with ReadChunks and gathers what it emits; it
// checks that no chunk holds more than chunk items and rejections plus the
// items of one line.
func readChunked(t testing.TB, data []byte, chunk int) (*fhir.Result, record.Batch, []fhir.Rejection) {
	t.Helper()
	var (
		all      record.Batch
		rejected []fhir.Rejection
	)
	r := fhir.Reader{Now: readNow, System: "test"}
	res, err := r.ReadChunks("test.ndjson", bytes.NewReader(data), chunk, func(b *record.Batch, rej []fhir.Rejection) error {
		all.Patients = append(all.Patients, b.Patients...)
		all.Observations = append(all.Observations, b.Observations...)
		all.Conditions = append(all.Conditions, b.Conditions...)
		all.Findings = append(all.Findings, b.Findings...)
		all.Biopsies = append(all.Biopsies, b.Biopsies...)
		all.Therapies = append(all.Therapies, b.Therapies...)
		all.Replacements = append(all.Replacements, b.Replacements...)
		all.Retractions = append(all.Retractions, b.Retractions...)
		rejected = append(rejected, rej...)
		return nil
	})
	if err != nil {
		t.Fatalf("ReadChunks: %v", err)
	}
	if res.Batch.Len() != 0 || len(res.Rejected) != 0 {
		t.Errorf("ReadChunks kept %d items and %d rejections in its Result; want all emitted", res.Batch.Len(), len(res.Rejected))
	}
	return res, all, rejected
}

// Reading in chunks gives what reading whole gives, item for item, for
// NDJSON, Bundles and a file with a bad first line.
func TestReadChunksSameAsRead(t *testing.T) {
	for _, name := range []string{"rejections.ndjson", "transaction-bundle.json", "searchset-bundle.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, variant := range []struct {
			name string
			data []byte
		}{{"as is", data}, {"bad first line", append([]byte("{\"resourceType\":\"Observation\",\n"), data...)}} {
			r := fhir.Reader{Now: readNow, System: "test"}
			whole, err := r.Read("test.ndjson", bytes.NewReader(variant.data))
			if err != nil {
				t.Fatal(err)
			}
			for _, chunk := range []int{1, 2, 1000} {
				res, b, rej := readChunked(t, variant.data, chunk)
				if diff := cmp.Diff(whole.Batch, b, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s, %s, chunk %d: items (-Read +ReadChunks):\n%s", name, variant.name, chunk, diff)
				}
				if diff := cmp.Diff(fmt.Sprint(whole.Rejected), fmt.Sprint(rej)); diff != "" {
					t.Errorf("%s, %s, chunk %d: rejections (-Read +ReadChunks):\n%s", name, variant.name, chunk, diff)
				}
				if res.Read != whole.Read || !cmp.Equal(res.Unmapped, whole.Unmapped, cmpopts.EquateEmpty()) {
					t.Errorf("%s, %s, chunk %d: read %d, unmapped %v; want %d, %v", name, variant.name, chunk, res.Read, res.Unmapped, whole.Read, whole.Unmapped)
				}
			}
		}
	}
}

// A line longer than MaxLine is rejected with its line number, without
// being read whole; the lines around it are read.
func TestReadLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 65 MiB line")
	}
	good := func(id string) string {
		return `{"resourceType":"Patient","id":"` + id + `","gender":"female","birthDate":"1970-01-01"}` + "\n"
	}
	var data bytes.Buffer
	data.WriteString(good("a"))
	data.WriteString(`{"resourceType":"Patient","id":"long","name":[{"text":"`)
	data.WriteString(strings.Repeat("x", fhir.MaxLine))
	data.WriteString(`"}]}` + "\n")
	data.WriteString(good("b"))
	for _, first := range []bool{false, true} {
		input := data.Bytes()
		if first { // the long line first: no line before it to tell NDJSON
			input = input[len(good("a")):]
		}
		_, b, rej := readChunked(t, input, 100)
		if len(rej) != 1 || !errors.Is(rej[0], fhir.ErrTooLong) || rej[0].ID != "long" {
			t.Fatalf("long line first=%v: rejected %v; want the long line, ErrTooLong", first, rej)
		}
		if want := map[bool]int{false: 2, true: 1}[first]; rej[0].Line != want {
			t.Errorf("long line first=%v: rejected at line %d, want %d", first, rej[0].Line, want)
		}
		if n := len(b.Patients); n != map[bool]int{false: 2, true: 1}[first] {
			t.Errorf("long line first=%v: %d patients read, want the others", first, n)
		}
	}
}

// A birth date before 1890 (0001 and 1600 too) is rejected by the reader
// with the date; an observation of 0001-01-01 or 1677 keeps its exact time
// and precision (the store checks it against the birth date).
func TestReadDateRange(t *testing.T) {
	data := []byte(`{"resourceType":"Patient","id":"p0001","birthDate":"0001-01-01"}
{"resourceType":"Patient","id":"p1600","birthDate":"1600-01-01"}
{"resourceType":"Patient","id":"p1889","birthDate":"1889-12-31"}
{"resourceType":"Patient","id":"p1890","birthDate":"1890"}
{"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/x"},"effectiveDateTime":"0001-01-01","valueQuantity":{"value":1,"unit":"mg/dL"}}
{"resourceType":"Observation","id":"o2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/x"},"effectiveDateTime":"1677-01","valueQuantity":{"value":1,"unit":"mg/dL"}}
`)
	_, b, rej := readChunked(t, data, 2)
	if len(rej) != 3 {
		t.Fatalf("rejected %v; want the three births before 1890", rej)
	}
	for i, want := range []string{"birthDate 0001-01-01 is before 1890-01-01", "birthDate 1600-01-01 is before 1890-01-01", "birthDate 1889-12-31 is before 1890-01-01"} {
		if !strings.Contains(rej[i].Error(), want) {
			t.Errorf("rejection %d = %v, want %q", i, rej[i], want)
		}
	}
	if len(b.Patients) != 1 || b.Patients[0].BirthPrecision != record.PrecisionYear {
		t.Errorf("patients %+v, want p1890 with year precision", b.Patients)
	}
	if len(b.Observations) != 2 || !b.Observations[0].Time.IsZero() || b.Observations[0].TimePrecision != record.PrecisionDay ||
		b.Observations[1].Time.Year() != 1677 || b.Observations[1].TimePrecision != record.PrecisionMonth {
		t.Errorf("observations %+v, want 0001-01-01 (day) and 1677-01 (month)", b.Observations)
	}
}

// Reading in chunks never panics and gives what Read gives.
func FuzzReadChunks(f *testing.F) {
	for _, name := range []string{"transaction-bundle.json", "rejections.ndjson"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 1)
	}
	f.Add([]byte("{\n}\n{\"resourceType\":\"Patient\",\"id\":\"a\"}\n"), 2)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		chunk = 1 + (chunk&0xff)%8
		r := fhir.Reader{Now: readNow, System: "test"}
		whole, err := r.Read("test.ndjson", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		res, b, rej := readChunked(t, data, chunk)
		if !cmp.Equal(whole.Batch, b, cmpopts.EquateEmpty()) || fmt.Sprint(whole.Rejected) != fmt.Sprint(rej) || whole.Read != res.Read {
			t.Errorf("chunk %d: ReadChunks differs from Read: %s %v %v %d %d", chunk, cmp.Diff(whole.Batch, b, cmpopts.EquateEmpty()), whole.Rejected, rej, whole.Read, res.Read)
		}
	})
}

// A bad first line before more than the 1 MiB first look-ahead: every
// other line is read, numbered from the file's start.
func TestReadBadFirstLineLargeFile(t *testing.T) {
	var data bytes.Buffer
	data.WriteString("{\"resourceType\":\"Patient\",\n")
	n := 0
	for data.Len() < 3<<20 {
		n++
		fmt.Fprintf(&data, `{"resourceType":"Patient","id":"p%d","gender":"female","birthDate":"1970-01-01"}`+"\n", n)
	}
	for _, seekable := range []bool{true, false} {
		var r io.Reader = bytes.NewReader(data.Bytes())
		if !seekable {
			r = struct{ io.Reader }{r} // a pipe: the look-ahead is read from, not the file again
		}
		var (
			patients []record.Patient
			rej      []fhir.Rejection
		)
		rd := fhir.Reader{Now: readNow}
		res, err := rd.ReadChunks("big.ndjson", r, 1000, func(b *record.Batch, rj []fhir.Rejection) error {
			patients, rej = append(patients, b.Patients...), append(rej, rj...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(rej) != 1 || rej[0].Line != 1 || len(patients) != n || res.Read != n+1 {
			t.Fatalf("seekable %v: rejected %v, %d patients, read %d; want line 1 rejected and %d patients", seekable, rej, len(patients), res.Read, n)
		}
		if last := patients[n-1]; last.ID != fmt.Sprintf("p%d", n) || last.Provenance.Line != n+1 {
			t.Errorf("seekable %v: last patient %s at line %d, want p%d at line %d", seekable, last.ID, last.Provenance.Line, n, n+1)
		}
	}
}
