package csvio_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/csvio"
	"renalwatch/record"
)

// readChunked reads text with ReadChunks and gathers what it emits,
// checking that no chunk exceeds chunk items or rejections.
func readChunked(t testing.TB, text string, chunk int) (*csvio.Result, record.Batch, []csvio.Rejection, error) {
	var (
		all      record.Batch
		rejected []csvio.Rejection
	)
	r := csvio.Reader{Now: now}
	res, err := r.ReadChunks("test.csv", strings.NewReader(text), chunk, func(b *record.Batch, rej []csvio.Rejection) error {
		if b.Len() > chunk || len(rej) > chunk {
			t.Errorf("chunk of %d items and %d rejections, want at most %d", b.Len(), len(rej), chunk)
		}
		all.Patients = append(all.Patients, b.Patients...)
		all.Observations = append(all.Observations, b.Observations...)
		all.Therapies = append(all.Therapies, b.Therapies...)
		rejected = append(rejected, rej...)
		return nil
	})
	return res, all, rejected, err
}

// Reading in chunks gives what reading whole gives, rejections too.
func TestReadChunksSameAsRead(t *testing.T) {
	text := "patient_id,time,analyte,value,unit,id\n"
	for i := range 25 {
		switch i % 5 {
		case 0:
			text += fmt.Sprintf("p1,2024-01-%02d,creatinine,1.%d,mg/dL,o%d\n", i+1, i, i)
		case 1:
			text += "p1,2024-01-01,creatinine,1.2,mg/furlong,x\n" // unknown unit
		case 2:
			text += "p1,\"unterminated\n" // a syntax error that swallows the rest of the file
		default:
			text += fmt.Sprintf("p2,2024-02-%02dT08:00:00Z,acr,<3,mg/mmol,a%d\n", i+1, i)
		}
	}
	r := csvio.Reader{Now: now}
	whole, err := r.Read("test.csv", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int{1, 3, 100} {
		res, b, rej, err := readChunked(t, text, chunk)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(whole.Batch, b, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("chunk %d: items (-Read +ReadChunks):\n%s", chunk, diff)
		}
		if fmt.Sprint(whole.Rejected) != fmt.Sprint(rej) || res.Read != whole.Read || res.Kind != whole.Kind {
			t.Errorf("chunk %d: rejected %v, read %d; want %v, %d", chunk, rej, res.Read, whole.Rejected, whole.Read)
		}
	}
}

// A birth date before 1890 is rejected with the date.
func TestBirthDateBefore1890(t *testing.T) {
	res := read(t, "patient_id,birth_date,sex\np1,1600-01-01,female\np2,1890-01-01,male\np3,0001-01-01,male\n")
	if len(res.Rejected) != 2 || len(res.Batch.Patients) != 1 || res.Batch.Patients[0].ID != "p2" {
		t.Fatalf("rejected %v, kept %v; want p1 and p3 rejected, p2 kept", res.Rejected, res.Batch.Patients)
	}
	if !strings.Contains(res.Rejected[0].Error(), "birth_date 1600-01-01 is before 1890-01-01") {
		t.Errorf("rejection = %v, want the date and 1890-01-01", res.Rejected[0])
	}
}

func FuzzReadChunks(f *testing.F) {
	f.Add("patient_id,time,analyte,value,unit\np1,2024-01-01,creatinine,1.2,mg/dL\np1,x,y\n", 1)
	f.Add("patient_id,birth_date,sex\np1,1980-01-01,female\n\"\n", 2)
	f.Fuzz(func(t *testing.T, text string, chunk int) {
		chunk = 1 + (chunk&0xff)%8
		r := csvio.Reader{Now: now}
		whole, err := r.Read("test.csv", strings.NewReader(text))
		res, b, rej, err2 := readChunked(t, text, chunk)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("Read error %v, ReadChunks error %v", err, err2)
		}
		if err != nil {
			return
		}
		if !cmp.Equal(whole.Batch, b, cmpopts.EquateEmpty()) || fmt.Sprint(whole.Rejected) != fmt.Sprint(rej) || whole.Read != res.Read {
			t.Errorf("chunk %d: ReadChunks differs from Read", chunk)
		}
	})
}

// A line longer than MaxRow fails the file with ErrSyntax and the line,
// instead of being read into memory.
func TestRowTooLong(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 65 MiB file")
	}
	text := "patient_id,time,analyte,value,unit\np1,2024-01-01,creatinine,1.2,mg/dL\np1," + strings.Repeat("x", csvio.MaxRow+1) + "\np1,2024-01-02,creatinine,1.2,mg/dL\n"
	_, _, _, err := readChunked(t, text, 10)
	if !errors.Is(err, csvio.ErrSyntax) || !strings.Contains(err.Error(), "line 3 is longer than 64 MiB") {
		t.Errorf("error = %v, want ErrSyntax naming line 3 and the limit", err)
	}
}

// A stray quote rejects its row, at its line, and the rows after it are
// read, bad ones reported at their lines (trial 13 F4: the rest of the
// file was read as one field and reported at the last line).
func TestStrayQuoteLosesOneRow(t *testing.T) {
	text := "patient_id,time,analyte,value,unit\n" +
		"p1,2024-01-01,creatinine,1.2,mg/dL\n" + // 2
		"p1,\"2024-01-02,creatinine,1.2,mg/dL\n" + // 3: stray quote
		"p1,2024-01-03,creatinine,1.3,mg/dL\n" + // 4
		"p1,2024-01-04,creatinine,900,mg/dL\n" + // 5: implausible
		"p1,\"2024-01-05\",creatinine,\"1,5\",mg/dL\n" + // 6: quoted, a decimal comma
		"p1,2024-01-06,creatinine,\"1.6\",mg/dL\r\n" // 7: quoted, CRLF
	res, b, rej, err := readChunked(t, text, 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rej {
		got = append(got, r.Error())
	}
	want := []string{
		"test.csv:3: malformed CSV: a quoted field is not closed on this line (a field may not span lines)",
		"test.csv:5: implausible value",
		"test.csv:6: bad value",
	}
	if len(got) != len(want) {
		t.Fatalf("rejected %q, want %d", got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("rejection %q, want it to start %q", got[i], want[i])
		}
	}
	if res.Read != 6 || len(b.Observations) != 3 || b.Observations[2].Line != 7 || b.Observations[2].SourceValue != "1.6" {
		t.Errorf("read %d rows, kept %+v; want 6 read and the rows of lines 2, 4 and 7", res.Read, b.Observations)
	}
}
