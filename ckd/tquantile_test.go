package ckd

import (
	"math"
	"testing"
)

// TestTQuantile975Memo: the remembered quantile is StudentTQuantile's bit
// for bit, on the first call and on later ones, and matches the Student t
// table (two-sided 95%: df 1 12.706, 10 2.228, 30 2.042, 120 1.980);
// fractional and out-of-table df are computed directly.
func TestTQuantile975Memo(t *testing.T) {
	for _, df := range []float64{1, 2, 3, 10, 30, 118, 120, 4095, 4096, 1e5, 2.5} {
		want := StudentTQuantile(0.975, df)
		for call := range 2 {
			if got := tQuantile975(df); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("call %d: tQuantile975(%v) = %v, want %v", call+1, df, got, want)
			}
		}
	}
	for _, tt := range []struct{ df, want float64 }{{1, 12.706}, {10, 2.228}, {30, 2.042}, {120, 1.980}} {
		if got := tQuantile975(tt.df); math.Abs(got-tt.want) > 0.0005 {
			t.Errorf("tQuantile975(%v) = %.4f, want %.3f (t table)", tt.df, got, tt.want)
		}
	}
}
