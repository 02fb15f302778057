package ckd

import (
	"math"
	"sync/atomic"
)

// t975 memoizes StudentTQuantile(0.975, df) for whole df in [1, len(t975)):
// the quantile is a pure function of df, and EGFRSlope needs it for every
// assessment, where the bisection on the incomplete beta function was about
// a tenth of the time (issue 10 §3). An entry holds the float's bits and
// is 0 until computed (the 0.975-quantile is never 0). Concurrent first
// calls compute the same value, so a race between them is harmless.
var t975 [1 << 12]atomic.Uint64

// tQuantile975 is StudentTQuantile(0.975, df), bit for bit, remembered for
// whole df.
func tQuantile975(df float64) float64 {
	i := int(df)
	if float64(i) != df || i < 1 || i >= len(t975) {
		return StudentTQuantile(0.975, df)
	}
	if bits := t975[i].Load(); bits != 0 {
		return math.Float64frombits(bits)
	}
	q := StudentTQuantile(0.975, df)
	t975[i].Store(math.Float64bits(q))
	return q
}
