package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/internal/golden"
	"renalwatch/kfre"
	"renalwatch/units"
)

// TestBatchGolden runs the batch calculators on the tables in
// testdata/batch, hostile rows included (missing unit, implausible value,
// empty cell, quoted commas and newlines, BOM, CRLF, short row), and compares
// the CSV written and the exit status with testdata/batch/NAME.golden.
func TestBatchGolden(t *testing.T) {
	in := func(s string) string { return filepath.Join("testdata", "batch", s) }
	batchGolden(t, []goldenCase{
		{"egfr_hostile", []string{"egfr", "--in", in("egfr_hostile.csv")}, 2},
		{"egfr_units_all", []string{"egfr", "--in", in("egfr_units.csv"), "--equation", "all"}, 2},
		{"egfr_units_crcys", []string{"egfr", "--in", in("egfr_units.csv"), "--equation", "ckd-epi-2021-cys"}, 2},
		{"egfr_units_cockcroft", []string{"egfr", "--in", in("egfr_units.csv"), "--equation", "cockcroft-gault"}, 2},
		{"egfr_units_ckid", []string{"egfr", "--in", in("egfr_units.csv"), "--equation", "ckid-u25"}, 2},
		{"kfre", []string{"kfre", "--in", in("kfre.csv")}, 2},
		{"kfre_other", []string{"kfre", "--in", in("kfre.csv"), "--region", "other"}, 2},
		{"stage", []string{"stage", "--in", in("stage.csv")}, 2},
		{"convert", []string{"convert", "--in", in("convert.csv"), "--analyte", "creatinine", "--to", "umol/L"}, 2},
		{"egfr_renamed_error", []string{"egfr", "--in", in("has_error_column.csv")}, 0},
		{"err_both_error_columns", []string{"egfr", "--in", in("both_error_columns.csv")}, 2},
		// The table cannot be read: exit 2, nothing on stdout.
		{"err_bad_quote", []string{"egfr", "--in", in("bad_quote.csv")}, 2},
		{"err_bad_suffix", []string{"egfr", "--in", in("bad_suffix.csv")}, 2},
		{"err_duplicate", []string{"egfr", "--in", in("duplicate.csv")}, 2},
		{"err_empty", []string{"egfr", "--in", in("empty.csv")}, 2},
		{"err_no_cystatin_column", []string{"egfr", "--in", in("egfr_hostile.csv"), "--equation", "ekfc-cys"}, 2},
		{"err_flag_with_in", []string{"egfr", "--in", in("egfr_hostile.csv"), "--creatinine", "1.2mg/dL"}, 2},
		{"err_out_without_in", []string{"stage", "--egfr", "42", "--out", "x.csv"}, 2},
		{"err_missing_file", []string{"kfre", "--in", in("nonexistent.csv")}, 2},
		{"err_directory", []string{"stage", "--in", in("")}, 2},
		{"err_convert_no_analyte", []string{"convert", "--in", in("convert.csv"), "--to", "umol/L"}, 2},
	})
}

// batchGolden is runGolden for batch runs, whose exit status 2 may come with
// a complete output (rows that could not be computed): the golden file holds
// both, and the error count on stderr.
func batchGolden(t *testing.T, cases []goldenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, c.args...)
			if code != c.code {
				t.Errorf("renalwatch %s: exit %d, want %d\nstderr: %s", strings.Join(c.args, " "), code, c.code, stderr)
			}
			if strings.HasPrefix(c.name, "err_") && stdout != "" {
				t.Errorf("a table that cannot be read must write nothing; stdout %q", stdout)
			}
			if (code == 0) != (stderr == "") {
				t.Errorf("exit %d with stderr %q", code, stderr)
			}
			got := fmt.Sprintf("$ renalwatch %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(c.args, " "), code, stdout, stderr)
			golden.Assert(t, "batch/"+c.name+".golden", []byte(got))
		})
	}
}

// runTable runs one batch command on table (given on stdin) and returns the
// exit code, the parsed output records and stderr.
func runTable(t *testing.T, table string, args ...string) (int, [][]string, string) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(table)
	defer func() { stdin = old }()
	code, out, errOut := runCmd(t, append(args, "--in", "-")...)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%v: output is not CSV: %v\n%s", args, err, out)
	}
	return code, recs, errOut
}

// TestBatchEGFRMatchesSingle: every equation's test vectors (the inputs of
// the egfr package's TestCompute) give, through "egfr --in", exactly the
// value of egfr.Compute, the single calculator's computation (==, all 17
// digits as written), with the same category and warnings.
func TestBatchEGFRMatchesSingle(t *testing.T) {
	type vec struct {
		eq                       string
		scr, cys, height, weight string
		age                      float64
		sex                      string
		in                       egfr.Input
	}
	cr := func(v float64) units.Quantity { return units.Q(v, units.MgPerDL) }
	cy := func(v float64) units.Quantity { return units.Q(v, units.MgPerL) }
	vecs := []vec{
		{"ckd-epi-2021", "1.4mg/dL", "", "", "", 60, "male", egfr.Input{Creatinine: cr(1.4), Age: 60, Sex: egfr.Male}},
		{"ckd-epi-2021", "0.699mg/dL", "", "", "", 50, "female", egfr.Input{Creatinine: cr(0.699), Age: 50, Sex: egfr.Female}},
		{"ckd-epi-2021", "0.7mg/dL", "", "", "", 50, "female", egfr.Input{Creatinine: cr(0.7), Age: 50, Sex: egfr.Female}},
		{"ckd-epi-2021", "0.9mg/dL", "", "", "", 50, "male", egfr.Input{Creatinine: cr(0.9), Age: 50, Sex: egfr.Male}},
		{"ckd-epi-2021", "62umol/L", "", "", "", 50, "female", egfr.Input{Creatinine: units.Q(62, units.UmolPerL), Age: 50, Sex: egfr.Female}},
		{"ckd-epi-2021", "1.2mg/dL", "", "", "", 18, "female", egfr.Input{Creatinine: cr(1.2), Age: 18, Sex: egfr.Female}},
		{"ckd-epi-2021-cys", "1.4mg/dL", "0.8mg/L", "", "", 60, "male", egfr.Input{Creatinine: cr(1.4), CystatinC: cy(0.8), Age: 60, Sex: egfr.Male}},
		{"ckd-epi-2021-cys", "0.901mg/dL", "0.6mg/L", "", "", 30, "male", egfr.Input{Creatinine: cr(0.901), CystatinC: cy(0.6), Age: 30, Sex: egfr.Male}},
		{"ckd-epi-2012-cys", "", "1.4mg/L", "", "", 60, "male", egfr.Input{CystatinC: cy(1.4), Age: 60, Sex: egfr.Male}},
		{"ckd-epi-2009", "1.4mg/dL", "", "", "", 60, "male", egfr.Input{Creatinine: cr(1.4), Age: 60, Sex: egfr.Male}},
		{"mdrd", "1mg/dL", "", "", "", 50, "male", egfr.Input{Creatinine: cr(1), Age: 50, Sex: egfr.Male}},
		{"mdrd-186", "1.4mg/dL", "", "", "", 60, "male", egfr.Input{Creatinine: cr(1.4), Age: 60, Sex: egfr.Male}},
		{"ekfc", "1.4mg/dL", "", "", "", 60, "male", egfr.Input{Creatinine: cr(1.4), Age: 60, Sex: egfr.Male}},
		{"ekfc-cys", "", "0.8mg/L", "", "", 60, "", egfr.Input{CystatinC: cy(0.8), Age: 60}},
		{"ckid-u25", "0.9mg/dL", "", "120cm", "", 11, "male", egfr.Input{Creatinine: cr(0.9), Height: units.Q(120, units.Cm), Age: 11, Sex: egfr.Male}},
		{"ckid-u25", "0.8mg/dL", "", "140cm", "", 11.999, "male", egfr.Input{Creatinine: cr(0.8), Height: units.Q(140, units.Cm), Age: 11.999, Sex: egfr.Male}},
		{"ckid-u25-cys", "", "1.2mg/L", "", "", 18, "female", egfr.Input{CystatinC: cy(1.2), Age: 18, Sex: egfr.Female}},
		{"ckid-u25-avg", "1.9mg/dL", "1.6mg/L", "1.6m", "", 15, "male", egfr.Input{Creatinine: cr(1.9), CystatinC: cy(1.6), Height: units.Q(1.6, units.M), Age: 15, Sex: egfr.Male}},
		{"schwartz", "1.4mg/dL", "", "90cm", "", 10, "", egfr.Input{Creatinine: cr(1.4), Height: units.Q(90, units.Cm), Age: 10}},
		{"cockcroft-gault", "106umol/L", "", "", "60000g", 80, "female", egfr.Input{Creatinine: units.Q(106, units.UmolPerL), Weight: units.Q(60000, units.G), Age: 80, Sex: egfr.Female}},
	}
	for _, v := range vecs {
		table := fmt.Sprintf("creatinine,cystatin_c,height,weight,age,sex\n%s,%s,%s,%s,%s,%s\n", v.scr, v.cys, v.height, v.weight, strconv.FormatFloat(v.age, 'g', -1, 64), v.sex)
		code, recs, stderr := runTable(t, table, "egfr", "--equation", v.eq)
		want, err := egfr.Compute(v.eq, v.in)
		if err != nil {
			t.Fatalf("%s: %v", v.eq, err)
		}
		if code != 0 || len(recs) != 2 {
			t.Fatalf("%s: exit %d, %d records, stderr %s", v.eq, code, len(recs), stderr)
		}
		row := recs[1]
		got, err := strconv.ParseFloat(row[6], 64)
		if err != nil || got != want.Value {
			t.Errorf("%s: batch %q, single calculator %.17g", v.eq, row[6], want.Value)
		}
		cat := ""
		if want.Unit == units.MLPerMinBSA {
			g, _ := ckd.GCategory(want.Value)
			cat = g.String()
		}
		if row[7] != cat || row[8] != strings.Join(want.Warnings, "; ") || row[9] != "" {
			t.Errorf("%s: category %q warnings %q error %q; want %q, %q", v.eq, row[7], row[8], row[9], cat, want.Warnings)
		}
	}
}

// TestBatchEGFRRandom: on random plausible rows, the CKD-EPI 2021 column of
// "egfr --in" equals egfr.CKDEPI2021 and egfr.CKDEPI2021Batch bit for bit.
func TestBatchEGFRRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 3000
	var b strings.Builder
	b.WriteString("creatinine_umol_l,age,sex\n")
	scr, age, sex := make([]float64, n), make([]float64, n), make([]egfr.Sex, n)
	for i := range n {
		umol := math.Round((20+r.Float64()*1500)*10) / 10
		scr[i] = umol / 88.4
		age[i] = 18 + float64(r.IntN(100))
		sex[i] = egfr.Sex(1 + r.IntN(2))
		fmt.Fprintf(&b, "%s,%g,%s\n", strconv.FormatFloat(umol, 'g', -1, 64), age[i], sex[i])
	}
	code, recs, stderr := runTable(t, b.String(), "egfr")
	if code != 0 || len(recs) != n+1 {
		t.Fatalf("exit %d, %d records, stderr %s", code, len(recs), stderr)
	}
	// The creatinine converted to mg/dL is what Compute feeds the equation.
	want := make([]float64, n)
	for i := range n {
		umol, _ := strconv.ParseFloat(recs[i+1][0], 64)
		q, err := units.Creatinine.Normalize("", units.Q(umol, units.UmolPerL))
		if err != nil {
			t.Fatal(err)
		}
		scr[i] = q.Value
		want[i] = egfr.CKDEPI2021(scr[i], age[i], sex[i])
	}
	batch := egfr.CKDEPI2021Batch(nil, scr, age, sex)
	for i := range n {
		got, _ := strconv.ParseFloat(recs[i+1][3], 64)
		if got != want[i] || batch[i] != want[i] {
			t.Fatalf("row %d: CLI %.17g, per-row %.17g, batch %.17g", i, got, want[i], batch[i])
		}
	}
}

// TestBatchKFREMatchesSingle: "kfre --in" gives kfre.Predict's unrounded risks.
func TestBatchKFREMatchesSingle(t *testing.T) {
	code, recs, _ := runTable(t, "age,sex,egfr,acr\n72,female,28,800mg/g\n55,male,45,13.6mg/mmol\n", "kfre", "--region", "other")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for i, in := range []kfre.Input{
		{Age: 72, Sex: ckd.Female, EGFR: 28, ACR: units.Q(800, units.MgPerG), Region: kfre.Other},
		{Age: 55, Sex: ckd.Male, EGFR: 45, ACR: units.Q(13.6, units.MgPerMmol), Region: kfre.Other},
	} {
		want, err := kfre.Predict(in)
		if err != nil {
			t.Fatal(err)
		}
		row := recs[i+1]
		if row[4] != "4" || row[5] != "other" || row[6] != strconv.FormatFloat(want.Risk2y, 'g', -1, 64) || row[7] != strconv.FormatFloat(want.Risk5y, 'g', -1, 64) {
			t.Errorf("row %d: %q; want risks %v %v", i, row, want.Risk2y, want.Risk5y)
		}
	}
}

// TestBatchOutFile: --out writes the file; the input is never overwritten.
func TestBatchOutFile(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
	if err := os.WriteFile(in, []byte("creatinine_mg_dl,age,sex\n1.2,54,female\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, "egfr", "--in", in, "--out", out)
	got, _ := os.ReadFile(out)
	if code != 0 || stdout != "" || stderr != "" || !bytes.HasPrefix(got, []byte("creatinine_mg_dl,age,sex,egfr_ckd_epi_2021_ml_min_1_73m2,")) {
		t.Fatalf("exit %d stdout %q stderr %q file %q", code, stdout, stderr, got)
	}
	if code, _, _ := runCmd(t, "egfr", "--in", in, "--out", in); code != 2 {
		t.Errorf("--out the input: exit %d, want 2", code)
	}
	if b, _ := os.ReadFile(in); string(b) != "creatinine_mg_dl,age,sex\n1.2,54,female\n" {
		t.Errorf("input changed: %q", b)
	}
	// A table that cannot be read leaves no output file.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("creatinine_mg_dl,age,sex\n\"1.2,54,female\n"), 0o644)
	out2 := filepath.Join(dir, "out2.csv")
	if code, _, _ := runCmd(t, "egfr", "--in", bad, "--out", out2); code != 2 {
		t.Errorf("bad quote: exit %d, want 2", code)
	}
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Errorf("output of a failed run exists: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".renalwatch-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestBatchCanceled: a canceled context stops a long table.
func TestBatchCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	old := stdin
	stdin = bytes.NewReader(benchTable(10000))
	defer func() { stdin = old }()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"egfr", "--in", "-"}, &out, &errb); code == 0 {
		t.Errorf("canceled run: exit 0")
	}
}

// TestBatchChunks: a table of many blocks, with quoted fields spanning lines
// at random places (so some straddle the block boundaries), comes out in
// input order, each row as computing it alone gives.
func TestBatchChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var in bytes.Buffer
	cw := csv.NewWriter(&in)
	cw.Write([]string{"id", "creatinine", "age", "sex", "note"})
	var recs [][]string
	for i := range 60_000 {
		note := ""
		switch r.IntN(50) {
		case 0:
			note = "a, b"
		case 1:
			note = "line\nbreak \"quoted\""
		case 2:
			note = strings.Repeat("long ", 200)
		}
		scr := fmt.Sprintf("%.2fmg/dL", 0.4+r.Float64()*3)
		if r.IntN(100) == 0 {
			scr = "1.2" // no unit: a row error
		}
		rec := []string{fmt.Sprint("p", i), scr, fmt.Sprint(18 + r.IntN(80)), []string{"female", "male"}[r.IntN(2)], note}
		recs = append(recs, rec)
		cw.Write(rec)
	}
	cw.Flush()
	if in.Len() < 4*chunkSize {
		t.Fatalf("table of %d bytes is not several blocks", in.Len())
	}
	code, got, _ := runTable(t, in.String(), "egfr")
	if code != 2 {
		t.Fatalf("exit %d, want 2 (some rows lack a unit)", code)
	}
	calc, err := newEGFRBatch([]string{"id", "creatinine", "age", "sex", "note"}, egfrEquations("ckd-epi-2021"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(recs)+1 {
		t.Fatalf("%d output records, want %d", len(got), len(recs)+1)
	}
	for i, rec := range recs {
		f := make([][]byte, len(rec))
		for j, s := range rec {
			f[j] = []byte(s)
		}
		cells, err := calc.row(nil, f)
		want := append(slices.Clone(rec), strings.Split(string(cells), ",")[1:]...)
		if err != nil {
			want = append(slices.Clone(rec), "", "", "", err.Error())
		} else {
			want = append(want, "")
		}
		if !slices.Equal(got[i+1], want) {
			t.Fatalf("row %d: got %q, want %q", i, got[i+1], want)
		}
	}
}

// TestBatchNoUnitSuggestion (regression): a unitless creatinine 106 under a
// plain "creatinine" header is suggested as 106umol/L, the unit in which it
// is plausible, not as 106mg/dL, which the calculator would refuse.
func TestBatchNoUnitSuggestion(t *testing.T) {
	code, got, _ := runTable(t, "id,creatinine,age,sex\np2,106,60,male\n", "egfr")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	msg := got[1][len(got[1])-1]
	if !strings.Contains(msg, "(106umol/L)") || strings.Contains(msg, "106mg/dL") {
		t.Errorf("error %q: want the suggestion 106umol/L only", msg)
	}
}
