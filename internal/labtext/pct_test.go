package labtext

import "testing"

// A percentage change reads as a whole percent (trial 5 #6: "8.296%
// higher", "15.47% below baseline"), except next to a bound it would be
// rounded onto or across: then the fewest decimals that keep its side.
func TestPct(t *testing.T) {
	for _, tc := range []struct {
		p      float64
		bounds []float64
		want   string
	}{
		{8.296, nil, "8"},
		{13.48, nil, "13"},
		{-22.2222, nil, "-22"},
		{0.3, nil, "0.3"}, // a change that is not 0 never reads 0
		{-0.04, nil, "-0.04"},
		{0, nil, "0"},
		{15.47, []float64{10}, "15"},
		{15.47, []float64{10, 15}, "15.5"}, // "15%" would sit inside KDIGO's 15%
		{10.04, []float64{10}, "10.04"},    // EULAR/KDIGO "no more than 10% below baseline"
		{9.96, []float64{10}, "9.96"},
		{10, []float64{10}, "10"},
		{49.7, []float64{50}, "49.7"}, // UPCR fall, at least 50% required
		{-35.2, []float64{-35}, "-35.2"},
		{-36.2, []float64{-35}, "-36"},
		{10.0000001, []float64{10}, "10"}, // 6 significant digits at most
	} {
		if got := Pct(tc.p, tc.bounds...); got != tc.want {
			t.Errorf("Pct(%v, %v) = %q, want %q", tc.p, tc.bounds, got, tc.want)
		}
	}
}

// KeepsSide is the one check, shared by a measured value next to a bound
// (assess's labq) and a percentage next to one (Pct).
func TestKeepsSide(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		s    string
		b    float64
		want bool
	}{
		{11.96, "12.0", 12, false},
		{11.96, "11.96", 12, true},
		{12, "12.0", 12, true},
		{12.04, "12.0", 12, false},
		{13, "13", 12, true},
	} {
		if got := KeepsSide(tc.v, tc.s, tc.b); got != tc.want {
			t.Errorf("KeepsSide(%v, %q, %v) = %v", tc.v, tc.s, tc.b, got)
		}
	}
	if KeepsSide(1, "x", 0) {
		t.Error("text that is not a number keeps its side")
	}
}
