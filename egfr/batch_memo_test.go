package egfr

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkBits fails unless got[i] has the float64 bits of the per-row
// CKDEPI2021 on every row (NaN payloads included).
func checkBits(t *testing.T, name string, got, scr, age []float64, sex []Sex) {
	t.Helper()
	for i := range scr {
		w := CKDEPI2021(scr[i], age[i], sex[i])
		if math.Float64bits(got[i]) != math.Float64bits(w) {
			t.Fatalf("%s row %d (scr %v, age %v, sex %d): batch %#x (%.17g), per-row %#x (%.17g)",
				name, i, scr[i], age[i], int(sex[i]), math.Float64bits(got[i]), got[i], math.Float64bits(w), w)
		}
	}
}

// edgeColumns lists the edge cases: creatinine exactly at κ (0.7 female,
// 0.9 male) and one float64 step either side, in mg/dL and as converted
// from µmol/L; ages at the bounds of validation (18, 120) and of the memo
// (0, 127, 128), fractional, negative zero, NaN and infinite; creatinine
// zero, negative, NaN and infinite; invalid sexes. Every combination,
// repeated so that the memo is filled first and then read.
func edgeColumns() (scr, age []float64, sex []Sex) {
	scrs := []float64{0.7, 0.9, math.Nextafter(0.7, 0), math.Nextafter(0.7, 1), math.Nextafter(0.9, 0), math.Nextafter(0.9, 1),
		62 / 88.42, 80 / 88.42, 1.4, 0.01, 30, 0, math.Copysign(0, -1), -1, math.NaN(), math.Float64frombits(0x7ff8000000000123), math.Inf(1), math.Inf(-1), 5e-324, math.MaxFloat64}
	ages := []float64{18, 120, 0, 1, 127, 128, 17.999, 18.5, 50, 100, math.Copysign(0, -1), -1, -18, 1e300, math.NaN(), math.Inf(1), math.Inf(-1), 1 << 62, 5e-324}
	sexes := []Sex{Female, Male, SexNotGiven, Sex(3), Sex(-1)}
	for range 3 {
		for _, s := range scrs {
			for _, a := range ages {
				for _, x := range sexes {
					scr, age, sex = append(scr, s), append(age, a), append(sex, x)
				}
			}
		}
	}
	return
}

// TestBatchMemoExact compares the memoised batch with CKDEPI2021 bit for
// bit: registry-shaped columns (the memo's best case), the edge cases,
// random floats (the memo gives up and comes back), more distinct
// creatinines than the memo holds (it is emptied and refilled), and a mix.
func TestBatchMemoExact(t *testing.T) {
	es, ea, ex := edgeColumns()
	if len(es) < memoMinRows {
		t.Fatalf("edge columns: %d rows, want at least %d to use the memo", len(es), memoMinRows)
	}
	got := CKDEPI2021Batch(nil, es, ea, ex)
	checkBits(t, "edge", got, es, ea, ex)

	rs, ra, rx := registryColumns(200_000, 3)
	checkBits(t, "registry", CKDEPI2021Batch(nil, rs, ra, rx), rs, ra, rx)

	fs, _, fa, fx := randomColumns(100_000, 5)
	checkBits(t, "random", CKDEPI2021Batch(nil, fs, fa, fx), fs, fa, fx)

	// Many distinct creatinines at 0.001 mg/dL with whole ages: the rows
	// run out (memoRows) and the memo is emptied and refilled.
	r := rand.New(rand.NewPCG(9, 9))
	n := 300_000
	ms, ma, mx := make([]float64, n), make([]float64, n), make([]Sex, n)
	for i := range n {
		ms[i] = float64(300+r.IntN(5000)) / 1000
		ma[i] = float64(r.IntN(130))
		mx[i] = Sex(r.IntN(4))
		if i%1000 < 300 { // stretches of random floats between them
			ms[i], ma[i] = 0.1+r.Float64()*20, 18+r.Float64()*100
		}
	}
	checkBits(t, "mixed", CKDEPI2021Batch(nil, ms, ma, mx), ms, ma, mx)

	// The memo kernel alone, on one goroutine, reusing one memo.
	m := &crMemo{rows: make([]ageRow, 0, memoRows)}
	for _, c := range []struct {
		name     string
		scr, age []float64
		sex      []Sex
	}{{"edge", es, ea, ex}, {"registry", rs, ra, rx}, {"mixed", ms, ma, mx}, {"edge again", es, ea, ex}} {
		d := make([]float64, len(c.scr))
		ckdEPI2021Memo(m, d, c.scr, c.age, c.sex)
		checkBits(t, "kernel "+c.name, d, c.scr, c.age, c.sex)
	}
}

// FuzzCKDEPI2021Batch: any creatinine, age and sex give the per-row value
// bit for bit, whether the memo computes it (first row) or remembers it
// (the rows after), beside registry-shaped rows.
func FuzzCKDEPI2021Batch(f *testing.F) {
	f.Add(0.7, 50.0, 1)
	f.Add(0.9, 18.0, 2)
	f.Add(math.Nextafter(0.9, 1), 120.0, 2)
	f.Add(1.4, 60.0, 2)
	f.Add(math.NaN(), 50.0, 1)
	f.Add(1.0, math.NaN(), 0)
	f.Fuzz(func(t *testing.T, s, a float64, x int) {
		scr, age, sex := registryColumns(memoMinRows+8, 1)
		for i := 0; i < len(scr); i += 97 {
			scr[i], age[i], sex[i] = s, a, Sex(x)
		}
		checkBits(t, "fuzz", CKDEPI2021Batch(nil, scr, age, sex), scr, age, sex)
	})
}
