package synth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math"
	"testing"

	"renalwatch/egfr"
)

// TestCreatinineInversion: the creatinine the generator writes gives the
// true GFR back through the project's own equations (CKD-EPI 2021, Inker
// NEJM 2021; CKiD U25, Pierce Kidney Int 2021), on both branches of
// CKD-EPI and in every CKiD age band.
func TestCreatinineInversion(t *testing.T) {
	for _, female := range []bool{true, false} {
		sex := egfr.Male
		if female {
			sex = egfr.Female
		}
		for _, age := range []float64{18, 25, 40, 63.5, 90} {
			for _, g := range []float64{4, 8, 15, 29.9, 45, 60, 89, 100, 120, 140} {
				scr := CreatinineCKDEPI2021(g, age, female)
				if got := egfr.CKDEPI2021(scr, age, sex); math.Abs(got-g) > 1e-9*g {
					t.Errorf("CKD-EPI 2021 female=%v age %v: creatinine %v gives %v, want %v", female, age, scr, got, g)
				}
			}
		}
		for _, age := range []float64{3, 11.9, 12, 15, 17.99} {
			for _, g := range []float64{15, 60, 100, 130} {
				scr := CreatinineCKiDU25(g, 140, age, female)
				if got := egfr.CKiDU25Cr(scr, 140, age, sex); math.Abs(got-g) > 1e-9*g {
					t.Errorf("CKiD U25 female=%v age %v: creatinine %v gives %v, want %v", female, age, scr, got, g)
				}
			}
		}
	}
	// At Scr = k the CKD-EPI 2021 terms are 1: eGFR = 142 x 1.012 x
	// 0.9938^age for a woman, so that GFR maps back to 0.7 mg/dL.
	if got := CreatinineCKDEPI2021(142*1.012*math.Pow(0.9938, 50), 50, true); math.Abs(got-0.7) > 1e-12 {
		t.Errorf("woman 50 y at the knot: creatinine %v, want 0.7", got)
	}
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		s string
		z int
	}{{"1970-01-01", 0}, {"2000-02-29", 11016}, {"2026-01-01", 20454}, {"1969-12-31", -1}} {
		if got := Date(c.z); got != c.s {
			t.Errorf("Date(%d) = %s, want %s", c.z, got, c.s)
		}
		if z, ok := ParseDate(c.s); !ok || z != c.z {
			t.Errorf("ParseDate(%s) = %d %v, want %d", c.s, z, ok, c.z)
		}
	}
	for z := -40000; z < 40000; z += 17 {
		if back, ok := ParseDate(Date(z)); !ok || back != z {
			t.Fatalf("day %d -> %s -> %d", z, Date(z), back)
		}
	}
	for _, bad := range []string{"2025-02-29", "2025-13-01", "2025-1-01", "x"} {
		if _, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

// hashes writes a cohort and returns the SHA-256 of each file.
func hashes(t *testing.T, opt Options) map[string]string {
	t.Helper()
	bufs := map[string]*bytes.Buffer{}
	ws := map[string]io.Writer{}
	for _, name := range opt.Files() {
		bufs[name] = &bytes.Buffer{}
		ws[name] = bufs[name]
	}
	st, err := Write(context.Background(), opt, ws)
	if err != nil {
		t.Fatal(err)
	}
	if st.Patients != opt.Patients || st.Observations == 0 {
		t.Fatalf("stats %+v for %d patients", st, opt.Patients)
	}
	out := map[string]string{}
	for name, b := range bufs {
		h := sha256.Sum256(b.Bytes())
		out[name] = hex.EncodeToString(h[:])
	}
	return out
}

// TestDeterministic: the same seed gives the same bytes whatever the number
// of workers; another seed gives other bytes in every file.
func TestDeterministic(t *testing.T) {
	for _, f := range []Format{NDJSON, CSVFormat} {
		a := hashes(t, Options{Patients: 600, Seed: 7, Format: f, Workers: 1})
		b := hashes(t, Options{Patients: 600, Seed: 7, Format: f, Workers: 3})
		c := hashes(t, Options{Patients: 600, Seed: 8, Format: f, Workers: 2})
		for name := range a {
			if a[name] != b[name] {
				t.Errorf("%s %s: seed 7 with 1 and 3 workers differ", f, name)
			}
			if a[name] == c[name] {
				t.Errorf("%s %s: seeds 7 and 8 give the same bytes", f, name)
			}
		}
	}
}

func TestWriteRejects(t *testing.T) {
	ws := map[string]io.Writer{}
	for _, name := range (Options{Format: NDJSON}).Files() {
		ws[name] = io.Discard
	}
	if _, err := Write(context.Background(), Options{Patients: 1, Format: "xml"}, ws); err == nil {
		t.Error("format xml accepted")
	}
	delete(ws, FileTruth)
	if _, err := Write(context.Background(), Options{Patients: 1, Format: NDJSON}, ws); err == nil {
		t.Error("missing truth writer accepted")
	}
}

// TestMSCHasNoEffect: a patient's results are the same with and without the
// stem cell infusion (the generator's truth for it is "none").
func TestMSCHasNoEffect(t *testing.T) {
	g := NewGenerator(3, DefaultEnd)
	found := 0
	for i := 0; i < 3000 && found < 5; i++ {
		p := g.Patient(i)
		if p.msc == 0 {
			continue
		}
		found++
		if p.Truth.MSCTrueEffect != "none" || p.Truth.Response != None {
			t.Errorf("%s: truth %+v", p.Truth.PatientID, p.Truth)
		}
		with := append([]Lab(nil), p.Labs...)
		g.noMSC = true
		q := g.Patient(i)
		g.noMSC = false
		if q.msc != 0 {
			t.Fatal("noMSC ignored")
		}
		if len(q.Labs) != len(with) {
			t.Fatalf("%s: %d results with the infusion, %d without", p.Truth.PatientID, len(with), len(q.Labs))
		}
		for j := range with {
			if with[j] != q.Labs[j] {
				t.Fatalf("%s: result %d differs with the infusion: %+v vs %+v", p.Truth.PatientID, j, with[j], q.Labs[j])
			}
		}
	}
	if found == 0 {
		t.Fatal("no stem cell infusion in 3,000 patients")
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(b []byte) (int, error) {
	if f.n++; f.n > 3 {
		return 0, io.ErrShortWrite
	}
	return len(b), nil
}

// TestWriteStops: a failing writer or a cancelled context ends Write with
// the error (and without hanging), whatever the cohort size.
func TestWriteStops(t *testing.T) {
	opt := Options{Patients: 1_000_000, Seed: 1, Format: NDJSON, Workers: 2}
	ws := map[string]io.Writer{}
	for _, name := range opt.Files() {
		ws[name] = io.Discard
	}
	ws[FileObservation] = &failWriter{}
	if _, err := Write(context.Background(), opt, ws); err != io.ErrShortWrite {
		t.Errorf("failing writer: error %v, want %v", err, io.ErrShortWrite)
	}
	ws[FileObservation] = io.Discard
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if st, err := Write(ctx, opt, ws); err != context.Canceled || st.Patients == opt.Patients {
		t.Errorf("cancelled: %+v, %v; want context.Canceled before the end", st, err)
	}
}
