package egfr

import (
	"math"
	"math/rand/v2"
	"testing"

	"renalwatch/units"
)

// batchVectors are the CKD-EPI 2021 test vectors of TestCompute (kidney.epi
// reference-page example and the independently computed spline knots).
var batchVectors = []row{
	{"ckd-epi-2021", Input{Creatinine: cr(1.4), Age: 60, Sex: Male}, 57.54, dp2, srcKidneyEpi + " egfr.ckdepi.cr.2021"},
	{"ckd-epi-2021", Input{Creatinine: cr(0.699), Age: 50, Sex: Female}, 105.33388577851699, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: cr(0.7), Age: 50, Sex: Female}, 105.29760114914401, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: cr(0.701), Age: 50, Sex: Female}, 105.11737420299474, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: cr(0.899), Age: 50, Sex: Male}, 104.08395249375921, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: cr(0.9), Age: 50, Sex: Male}, 104.0490129932253, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: cr(0.901), Age: 50, Sex: Male}, 103.9104503365281, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: units.Q(62, units.UmolPerL), Age: 50, Sex: Female}, 105.0530863377988, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: cr(1.2), Age: 18, Sex: Female}, 67.2900534105557, exact, srcPy},
	{"ckd-epi-2021", Input{Creatinine: cr(1.0), Age: 100, Sex: Male}, 67.18597076931397, exact, srcPy},
	{"ckd-epi-2021-cys", Input{Creatinine: cr(1.4), CystatinC: cys(0.8), Age: 60, Sex: Male}, 83.97, dp2, srcKidneyEpi + " egfr.ckdepi.cr_cys.2021"},
	{"ckd-epi-2021-cys", Input{Creatinine: cr(0.699), CystatinC: cys(0.799), Age: 50, Sex: Female}, 107.0085516341805, exact, srcPy},
	{"ckd-epi-2021-cys", Input{Creatinine: cr(0.7), CystatinC: cys(0.8), Age: 50, Sex: Female}, 106.9318450861178, exact, srcPy},
	{"ckd-epi-2021-cys", Input{Creatinine: cr(0.701), CystatinC: cys(0.801), Age: 50, Sex: Female}, 106.74504014920767, exact, srcPy},
	{"ckd-epi-2021-cys", Input{Creatinine: cr(0.899), CystatinC: cys(1.5), Age: 70, Sex: Male}, 62.981661215045804, exact, srcPy},
	{"ckd-epi-2021-cys", Input{Creatinine: cr(0.901), CystatinC: cys(0.6), Age: 30, Sex: Male}, 131.67848530559826, exact, srcPy},
}

// TestBatchVectors: the batch functions give, to the last bit, the values of
// Compute (the single calculator) on every CKD-EPI 2021 test vector, and those
// values match the source.
func TestBatchVectors(t *testing.T) {
	for _, eqName := range []string{"ckd-epi-2021", "ckd-epi-2021-cys"} {
		var scr, cy, age []float64
		var sex []Sex
		var want []float64
		for _, r := range batchVectors {
			if r.eq != eqName {
				continue
			}
			res, err := Compute(r.eq, r.in)
			if err != nil {
				t.Fatalf("%s %+v: %v", r.eq, r.in, err)
			}
			if math.Abs(res.Value-r.want) > r.tol {
				t.Errorf("%s %+v = %.17g, want %.17g ± %g (%s)", r.eq, r.in, res.Value, r.want, r.tol, r.source)
			}
			scr = append(scr, res.Inputs.Creatinine.Value)
			cy = append(cy, res.Inputs.CystatinC.Value)
			age = append(age, r.in.Age)
			sex = append(sex, r.in.Sex)
			want = append(want, res.Value)
		}
		var got []float64
		if eqName == "ckd-epi-2021" {
			got = CKDEPI2021Batch(nil, scr, age, sex)
		} else {
			got = CKDEPI2021CrCysBatch(nil, scr, cy, age, sex)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s row %d: batch %.17g, single calculator %.17g", eqName, i, got[i], want[i])
			}
		}
	}
}

// randomColumns returns n rows of plausible and edge inputs, including an
// invalid sex (NaN in both paths).
func randomColumns(n int, seed uint64) (scr, cy, age []float64, sex []Sex) {
	r := rand.New(rand.NewPCG(seed, 1))
	scr, cy, age, sex = make([]float64, n), make([]float64, n), make([]float64, n), make([]Sex, n)
	for i := range n {
		scr[i] = 0.1 + r.Float64()*29.9
		if i%5 == 0 {
			scr[i] = []float64{0.7, 0.9, math.Nextafter(0.7, 0), math.Nextafter(0.9, 2)}[i%4]
		}
		cy[i] = 0.2 + r.Float64()*9.8
		age[i] = 18 + r.Float64()*102
		sex[i] = Sex(1 + r.IntN(2))
		if i%97 == 0 {
			sex[i] = SexNotGiven
		}
	}
	return
}

// same reports whether a and b are the same float64 bits' value (NaN == NaN).
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// TestBatchRandom compares batch and per-row values with == on random columns
// long enough to be split across goroutines, and on a short serial one.
func TestBatchRandom(t *testing.T) {
	for _, n := range []int{0, 1, 100, batchSerial - 1, 5*batchSerial + 7} {
		scr, cy, age, sex := randomColumns(n, uint64(n))
		dst := make([]float64, 3) // too short: must be grown
		got := CKDEPI2021Batch(dst, scr, age, sex)
		got2 := CKDEPI2021CrCysBatch(make([]float64, n+10), scr, cy, age, sex)
		if len(got) != n || len(got2) != n {
			t.Fatalf("n=%d: lengths %d, %d", n, len(got), len(got2))
		}
		for i := range n {
			if w := CKDEPI2021(scr[i], age[i], sex[i]); !same(got[i], w) {
				t.Fatalf("n=%d row %d: batch %.17g, per-row %.17g", n, i, got[i], w)
			}
			if w := CKDEPI2021CrCys(scr[i], cy[i], age[i], sex[i]); !same(got2[i], w) {
				t.Fatalf("n=%d row %d: cr-cys batch %.17g, per-row %.17g", n, i, got2[i], w)
			}
		}
	}
}

func TestBatchLengthMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("columns of different lengths did not panic")
		}
	}()
	CKDEPI2021Batch(nil, []float64{1}, []float64{50, 60}, []Sex{Female})
}

// batchRows is the benchmark column length: long enough to use every core.
const batchRows = 1 << 20

// registryColumns returns n rows shaped like a registry extract: creatinine
// 0.40-3.39 mg/dL at 0.01 mg/dL resolution (parsed from text, as a CSV cell
// is), whole ages 18-97, half female: 600 creatinine-sex pairs and 80 ages.
func registryColumns(n int, seed uint64) (scr, age []float64, sex []Sex) {
	r := rand.New(rand.NewPCG(seed, 2))
	scr, age, sex = make([]float64, n), make([]float64, n), make([]Sex, n)
	for i := range n {
		scr[i] = float64(40+r.IntN(300)) / 100
		age[i] = float64(18 + r.IntN(80))
		sex[i] = Sex(1 + r.IntN(2))
	}
	return
}

// benchColumns returns the benchmark columns: registry-shaped, or random
// floats (randomColumns: creatinine 0.1-30 mg/dL, ages 18-120, nothing
// repeats).
func benchColumns(random bool) (scr, age []float64, sex []Sex) {
	if random {
		scr, _, age, sex = randomColumns(batchRows, 7)
		return
	}
	return registryColumns(batchRows, 7)
}

// BenchmarkCKDEPI2021Batch reports ns per row (ns/op / rows) as ns/row over
// registry-shaped columns (registryColumns); compare with
// BenchmarkCKDEPI2021PerRowLoop (the same columns, per-row function) and run
// with -cpu 1,2. BenchmarkCKDEPI2021BatchRandom is the same over random
// floats, where the memo does not help.
func BenchmarkCKDEPI2021Batch(b *testing.B)       { benchBatch(b, false) }
func BenchmarkCKDEPI2021BatchRandom(b *testing.B) { benchBatch(b, true) }

func benchBatch(b *testing.B, random bool) {
	scr, age, sex := benchColumns(random)
	dst := make([]float64, batchRows)
	cpu := cpuSeconds()
	for b.Loop() {
		CKDEPI2021Batch(dst, scr, age, sex)
	}
	reportRows(b, cpuSeconds()-cpu)
}

// reportRows reports wall ns/row and CPU ns/row (user + system time of the
// process over the loop, all goroutines): on a shared machine the wall time
// depends on the load, the CPU time much less; CPU ns/row divided by the
// cores is what an idle machine's wall time would be.
func reportRows(b *testing.B, cpu float64) {
	rows := float64(b.N) * batchRows
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/rows, "ns/row")
	if cpu > 0 {
		b.ReportMetric(cpu*1e9/rows, "cpu-ns/row")
	}
}

// BenchmarkCKDEPI2021PerRowLoop is the same columns through the per-row
// function in a plain loop on one goroutine, for a side-by-side figure.
func BenchmarkCKDEPI2021PerRowLoop(b *testing.B)       { benchPerRow(b, false) }
func BenchmarkCKDEPI2021PerRowLoopRandom(b *testing.B) { benchPerRow(b, true) }

func benchPerRow(b *testing.B, random bool) {
	scr, age, sex := benchColumns(random)
	dst := make([]float64, batchRows)
	cpu := cpuSeconds()
	for b.Loop() {
		for i := range dst {
			dst[i] = CKDEPI2021(scr[i], age[i], sex[i])
		}
	}
	reportRows(b, cpuSeconds()-cpu)
}
