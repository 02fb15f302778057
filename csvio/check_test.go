package csvio_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"renalwatch/csvio"
)

// Regression (issue 8 item 6): ids are printable UTF-8 of at most 64
// characters; invalid UTF-8 is rejected with line and column, never
// rewritten to U+FFFD (two distinct ids collided).
func TestRejectsBadTextAndIDs(t *testing.T) {
	rows := []string{
		"patient_id,birth_date,sex",
		"p1,1980-01-01,female",
		"p\xff,1980-01-01,female",
		"p\xfe,1980-01-01,female",
		strings.Repeat("é", 64) + ",1980-01-01,female",
		strings.Repeat("a", 65) + ",1980-01-01,female",
		"\"a\x1b[2Jb\",1980-01-01,female",
		"\"row\nforged\",1980-01-01,female",
		"a\u202eb,1980-01-01,female",
		"p2,1980-01-01,fem\xc3",
		"Zoë-7,1980-01-01,male",
	}
	res := read(t, strings.Join(rows, "\n")+"\n")
	var kept []string
	for _, p := range res.Batch.Patients {
		kept = append(kept, p.ID)
	}
	if want := []string{"p1", strings.Repeat("é", 64), "Zoë-7"}; strings.Join(kept, ",") != strings.Join(want, ",") {
		t.Errorf("kept %q; want %q", kept, want)
	}
	want := []struct {
		line int
		text string
		err  error
	}{
		{3, "patient_id holds byte 0xFF at character 2, which is not UTF-8", csvio.ErrBadText},
		{4, "patient_id holds byte 0xFE at character 2", csvio.ErrBadText},
		{6, "has 65 characters; at most 64", csvio.ErrBadText},
		{7, "holds control character U+001B", csvio.ErrBadText},
		// A quoted field may not span lines: each line is a row.
		{8, "a quoted field is not closed on this line", csvio.ErrSyntax},
		{9, `bare " in non-quoted-field`, csvio.ErrSyntax},
		{10, "holds U+202E, which is not printable", csvio.ErrBadText},
		{11, "sex holds byte 0xC3 at character 4", csvio.ErrBadText},
	}
	if len(res.Rejected) != len(want) {
		t.Fatalf("rejected %v", res.Rejected)
	}
	for i, w := range want {
		r := res.Rejected[i]
		if r.Line != w.line || !errors.Is(r, w.err) || !strings.Contains(r.Err.Error(), w.text) {
			t.Errorf("rejection %v; want line %d with %q", r, w.line, w.text)
		}
		if !utf8.ValidString(r.Error()) || strings.ContainsAny(r.Error(), "\x1b\n") {
			t.Errorf("rejection %d carries raw input: %q", i, r.Error())
		}
	}
}

// Regression (issue 8 item 8): 1e-400 was read as 0 and reported as
// "creatinine 0 mg/dL is implausible"; it is out of range, as is 1e400.
func TestValueOutOfRange(t *testing.T) {
	res := read(t, "patient_id,time,analyte,value,unit\np1,2020-01-01,creatinine,1e-400,mg/dL\np1,2020-01-02,creatinine,1e400,mg/dL\np1,2020-01-03,creatinine,<1e-400,mg/dL\np1,2020-01-04,creatinine,1.1,mg/dL\n")
	if len(res.Batch.Observations) != 1 {
		t.Errorf("kept %d observations; want 1", len(res.Batch.Observations))
	}
	for i, r := range res.Rejected {
		if r.Line != i+2 || !strings.Contains(r.Err.Error(), "number out of range") || strings.Contains(r.Err.Error(), "implausible") {
			t.Errorf("rejection %v; want line %d, number out of range", r, i+2)
		}
	}
	if len(res.Rejected) != 3 {
		t.Errorf("rejected %v; want 3", res.Rejected)
	}
}

// FuzzReadIDsAndNumbers reads CSV with the id, text and number rules: kept ids are
// printable UTF-8 of at most 64 characters, with no U+FFFD the input did
// not hold; no kept value is 0 unless written as a zero.
func FuzzReadIDsAndNumbers(f *testing.F) {
	f.Add("patient_id,birth_date,sex\np1,1980-01-01,female\np\xff,1980-01-01,male\n")
	f.Add("patient_id,time,analyte,value,unit,id,source\np1,2020-01-01,creatinine,1e-400,mg/dL,x\x1by,lab\np1,2020-01-01,creatinine,1.1,mg/dL,,\n")
	f.Add("patient_id,therapy,start,end,dose\np1,glucocorticoid,2020-01-01,,1 g\n")
	f.Fuzz(func(t *testing.T, data string) {
		r := csvio.Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		res, err := r.Read("fuzz.csv", strings.NewReader(data))
		if err != nil {
			return // header problems
		}
		hadFFFD := strings.ContainsRune(data, utf8.RuneError)
		check := func(id string) {
			if !utf8.ValidString(id) || utf8.RuneCountInString(id) > csvio.MaxIDLength && !strings.Contains(id, "/") ||
				!hadFFFD && strings.ContainsRune(id, utf8.RuneError) || strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Errorf("kept id %q", id)
			}
		}
		for _, p := range res.Batch.Patients {
			check(p.ID)
		}
		for _, o := range res.Batch.Observations {
			check(o.ID)
			check(o.PatientID)
			if o.Value.Value == 0 && strings.ContainsAny(strings.Split(o.Provenance().Value, "e")[0], "123456789") {
				t.Errorf("kept %q as 0", o.Provenance().Value)
			}
		}
		for _, x := range res.Batch.Therapies {
			check(x.PatientID)
		}
	})
}

// Trial-cli #2, the trial's exact rows: "1,000" is a decimal comma (1.000)
// or a thousands separator (1000). The comma file suggested a decimal point
// (following it gave 1 mg/g) and the semicolon file read 1 mg/g silently; an
// ACR of 1000 mg/g is A3, 1 mg/g A1. Both files now refuse it, naming both
// readings, as `kfre --acr 1,000mg/g` does. Decimal commas that cannot be
// thousands separators are read as before in a semicolon file.
func TestCommaThousandsAmbiguous(t *testing.T) {
	for _, in := range []string{
		"patient_id,time,analyte,value,unit\nab1,2024-04-12,acr,\"1,000\",mg/g\n",
		"patient_id;time;analyte;value;unit\nab1;2024-04-13;acr;1,000;mg/g\n",
	} {
		res := read(t, in)
		if len(res.Batch.Observations) != 0 || len(res.Rejected) != 1 {
			t.Fatalf("%q: kept %v, rejected %v; want the row refused", in, res.Batch.Observations, reasons(res))
		}
		if got := reasons(res); !strings.Contains(got, `value "1,000"`) || !strings.Contains(got, "write 1.000 if the comma is a decimal comma, or 1000 if it separates thousands") {
			t.Errorf("%q: %q; want both readings named", in, got)
		}
	}
	res := read(t, "patient_id;time;analyte;value;unit\np1;2024-03-01;creatinine;1,4;mg/dL\np1;2024-03-02;pcr;0,125;g/g\np1;2024-03-03;acr;12,0005;mg/g\np1;2024-03-04;acr;-1,000;mg/g\n")
	var got []float64
	for _, o := range res.Batch.Observations {
		got = append(got, o.Value.Value)
	}
	if len(got) != 3 || got[0] != 1.4 || got[1] != 125 || got[2] != 12.0005 {
		t.Errorf("semicolon decimal commas read as %v (rejected %s); want 1.4 mg/dL, 125 mg/g, 12.0005 mg/g", got, reasons(res))
	}
	if r := reasons(res); !strings.Contains(r, `"-1,000" is ambiguous`) {
		t.Errorf("-1,000: %q; want it refused as ambiguous", r)
	}
}

// Trial-cli #8, the trial's exact row: strconv.ParseFloat read "0x1p0" (a
// hexadecimal float) as 1 mg/dL and the report computed an eGFR from it.
// Values are decimal: refused, naming the value. Decimal exponents stay
// accepted (units.ParseNumber): "1e2" umol/L is 100 umol/L.
func TestHexadecimalValueRefused(t *testing.T) {
	res := read(t, "patient_id,time,analyte,value,unit\nab1,2024-04-08,creatinine,0x1p0,mg/dL\nab1,2024-04-09,creatinine,1_000,umol/L\nab1,2024-04-10,creatinine,1e2,umol/L\n")
	if len(res.Batch.Observations) != 1 || math.Abs(res.Batch.Observations[0].Value.Value-100/88.4) > 1e-12 {
		t.Errorf("kept %v; want only 1e2 umol/L (100 umol/L)", res.Batch.Observations)
	}
	got := reasons(res)
	for _, want := range []string{`value "0x1p0" is not a decimal number`, `value "1_000" is not a decimal number`} {
		if !strings.Contains(got, want) {
			t.Errorf("rejections %q; want %q", got, want)
		}
	}
}
