package ckd

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func dayN(n int) time.Time {
	return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * Day)
}

func TestPersists(t *testing.T) {
	const src = "KDIGO 2024 CKD definition (> 3 months); lupus.md §7.1: two qualifying results > 90 days apart"
	ab := func(n int) Finding { return Finding{At: dayN(n), Abnormal: true} }
	ok := func(n int) Finding { return Finding{At: dayN(n)} }
	asOf := dayN(1000)
	tests := []struct {
		name     string
		findings []Finding
		want     Persistence
	}{
		{"none", nil, Persistence{Rule: PersistenceRule}},
		{"one abnormal", []Finding{ab(0)}, Persistence{Rule: PersistenceRule}},
		{"exactly 90 days apart", []Finding{ab(0), ab(90)}, Persistence{Rule: PersistenceRule}},
		{"91 days apart", []Finding{ab(0), ab(91)}, Persistence{Persistent: true, Since: dayN(0), Confirmed: dayN(91), Rule: PersistenceRule}},
		{"unsorted input", []Finding{ab(91), ok(-10), ab(0)}, Persistence{Persistent: true, Since: dayN(0), Confirmed: dayN(91), Rule: PersistenceRule}},
		{"normal in between breaks the run", []Finding{ab(0), ok(45), ab(120)}, Persistence{Rule: PersistenceRule}},
		{"new run after a normal", []Finding{ab(0), ok(45), ab(60), ab(100), ab(151)}, Persistence{Persistent: true, Since: dayN(60), Confirmed: dayN(151), Rule: PersistenceRule}},
		{"normal results only", []Finding{ok(0), ok(200)}, Persistence{Rule: PersistenceRule}},
		{"confirmation after asOf ignored", []Finding{ab(0), ab(1001)}, Persistence{Rule: PersistenceRule}},
	}
	for _, tt := range tests {
		got, err := Persists(tt.findings, asOf)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (%s): (-want +got)\n%s", tt.name, src, diff)
		}
	}
	in := []Finding{ab(91), ab(0)}
	if _, err := Persists(in, asOf); err != nil || in[0].At != dayN(91) {
		t.Errorf("Persists modified its input: %v, %v", in, err)
	}
	if _, err := Persists([]Finding{{Abnormal: true}}, asOf); !errors.Is(err, ErrInput) {
		t.Errorf("zero time: err = %v, want ErrInput", err)
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
