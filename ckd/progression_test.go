package ckd

import "testing"

func TestPersistent(t *testing.T) {
	below60 := func(e float64) bool { return e < 60 }
	tests := []struct {
		name string
		pts  []Point
		want bool
	}{
		{"91 days below 60", []Point{{day("2020-01-01"), 55}, {day("2020-04-01"), 52}}, true},
		{"exactly 90 days is not more than 3 months", []Point{{day("2020-01-01"), 55}, {day("2020-03-31"), 52}}, false},
		{"interrupted by a normal value", []Point{{day("2020-01-01"), 55}, {day("2020-03-01"), 70}, {day("2020-05-01"), 52}}, false},
		{"latest is normal", []Point{{day("2020-01-01"), 55}, {day("2020-06-01"), 65}}, false},
		{"unsorted input", []Point{{day("2020-06-01"), 50}, {day("2020-01-01"), 55}}, true},
		{"single value", []Point{{day("2020-01-01"), 55}}, false},
	}
	for _, tt := range tests {
		if got := Persistent(tt.pts, below60); got != tt.want {
			t.Errorf("%s: Persistent = %v, want %v (KDIGO: > 3 months)", tt.name, got, tt.want)
		}
	}
}

func TestProgressionRules(t *testing.T) {
	// KDIGO 2012 rec 2.1.3: rapid = decline of more than 5 per year.
	for _, tt := range []struct {
		perYear float64
		want    bool
	}{{-5, false}, {-5.01, true}, {-12, true}, {3, false}} {
		if got := RapidProgression(Slope{PerYear: tt.perYear}); got != tt.want {
			t.Errorf("RapidProgression(%v/yr) = %v, want %v (KDIGO 2012 rec 2.1.3)", tt.perYear, got, tt.want)
		}
	}
	// KDIGO 2024 PP 2.1.3: change of more than 20%.
	for _, tt := range []struct {
		from, to float64
		want     bool
	}{{50, 40, false}, {50, 39.9, true}, {50, 60, false}, {50, 60.1, true}} {
		if got := SignificantChange(tt.from, tt.to); got != tt.want {
			t.Errorf("SignificantChange(%v, %v) = %v, want %v (KDIGO 2024 PP 2.1.3)", tt.from, tt.to, got, tt.want)
		}
	}
	// KDIGO 2012 rec 2.1.3: category drop plus >= 25% decline.
	cases := []struct {
		from, to float64
		want     bool
	}{
		{62, 46.5, true}, // G2 -> G3a, exactly 25%
		{62, 47, false},  // G2 -> G3a, 24.2%
		{58, 43, true},   // G3a -> G3b, 25.9%
		{100, 70, true},  // G1 -> G2, 30%
		{59, 45, false},  // stays G3a
		{40, 20, true},   // G3b -> G4, 50%
		{40, 35, false},  // stays G3b
	}
	for _, tt := range cases {
		if got := CertainDrop(tt.from, tt.to); got != tt.want {
			t.Errorf("CertainDrop(%v, %v) = %v, want %v (KDIGO 2012 rec 2.1.3)", tt.from, tt.to, got, tt.want)
		}
	}
}
