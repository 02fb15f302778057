package egfr

import (
	"runtime"
	"sync"
)

// batchSerial is the length below which the batch functions run on the
// calling goroutine: starting goroutines costs more than it saves for short
// columns (each row costs tens of nanoseconds).
const batchSerial = 1 << 14

// CKDEPI2021Batch computes CKDEPI2021 for every row of the columns scr
// (creatinine, mg/dL), age (years) and sex, writing dst[i]. It returns dst,
// grown to len(scr) if needed; the columns must have the same length (it
// panics otherwise, as a slice index out of range would). Inputs are not
// validated, as with CKDEPI2021: a sex other than Female or Male gives NaN in
// its row. Long columns are split into contiguous chunks computed on all
// available cores (GOMAXPROCS).
//
// Every value is bit for bit the one CKDEPI2021 returns for its row. Columns
// of 2,048 rows or more are computed with an exact memo per goroutine (see
// batch_memo.go): the creatinine term is remembered per creatinine and sex
// (keyed on the float64 bits), and the estimate per whole age, each computed
// by CKDEPI2021's own expression, so repeated values (creatinine reported to
// 0.01 mg/dL or whole µmol/L, ages in whole years: a registry extract) cost
// a table look-up instead of math.Log and math.Exp. Columns whose values do
// not repeat are computed row by row at the per-row cost.
//
// Speed (bench/README.md): over 2^20 rows of creatinine 0.40-3.39 mg/dL at
// 0.01 mg/dL, whole ages 18-97, half female (BenchmarkCKDEPI2021Batch),
// 10-22 CPU-ns per row against 22-30 for the per-row loop on the shared
// machine, close to the cost of reading the columns and writing dst; over
// random floats that never repeat (BenchmarkCKDEPI2021BatchRandom) the
// per-row cost.
//
// Source: as CKDEPI2021 (Inker LA et al. N Engl J Med 2021;385:1737-49).
func CKDEPI2021Batch(dst, scr, age []float64, sex []Sex) []float64 {
	n := len(scr)
	if len(age) != n || len(sex) != n {
		panic("egfr: CKDEPI2021Batch: columns of different lengths")
	}
	dst = grow(dst, n)
	parallel(n, func(lo, hi int) {
		d, s, a, x := dst[lo:hi], scr[lo:hi], age[lo:hi], sex[lo:hi]
		if len(d) < memoMinRows {
			for i := range d {
				d[i] = CKDEPI2021(s[i], a[i], x[i])
			}
			return
		}
		m := memoPool.Get().(*crMemo)
		ckdEPI2021Memo(m, d, s, a, x)
		memoPool.Put(m)
	})
	return dst
}

// memoMinRows is the column length from which CKDEPI2021Batch uses the memo.
const memoMinRows = 2048

// CKDEPI2021CrCysBatch computes CKDEPI2021CrCys for every row of the columns
// scr (creatinine, mg/dL), cys (cystatin C, mg/L), age (years) and sex, as
// CKDEPI2021Batch does: same length columns, dst grown if needed, all cores
// for long columns, bit-for-bit the per-row values.
//
// Source: as CKDEPI2021CrCys (Inker LA et al. N Engl J Med 2021;385:1737-49).
func CKDEPI2021CrCysBatch(dst, scr, cys, age []float64, sex []Sex) []float64 {
	n := len(scr)
	if len(cys) != n || len(age) != n || len(sex) != n {
		panic("egfr: CKDEPI2021CrCysBatch: columns of different lengths")
	}
	dst = grow(dst, n)
	parallel(n, func(lo, hi int) {
		d, s, c, a, x := dst[lo:hi], scr[lo:hi], cys[lo:hi], age[lo:hi], sex[lo:hi]
		for i := range d {
			d[i] = CKDEPI2021CrCys(s[i], c[i], a[i], x[i])
		}
	})
	return dst
}

// grow returns dst with length n, reusing its storage when it is large enough.
func grow(dst []float64, n int) []float64 {
	if cap(dst) >= n {
		return dst[:n]
	}
	return make([]float64, n)
}

// parallel calls f on contiguous chunks [lo, hi) covering [0, n): once on the
// calling goroutine when n is small or one core is available, otherwise one
// chunk per core (GOMAXPROCS), and waits for all of them.
func parallel(n int, f func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < batchSerial || workers < 2 {
		f(0, n)
		return
	}
	workers = min(workers, n/(batchSerial/4))
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := chunk; lo < n; lo += chunk {
		wg.Go(func() { f(lo, min(lo+chunk, n)) })
	}
	f(0, min(chunk, n))
	wg.Wait()
}
