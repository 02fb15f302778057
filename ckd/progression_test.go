package ckd

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(n int) time.Time {
	return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * Day)
}

func TestPersists(t *testing.T) {
	const src = "KDIGO 2024 CKD definition (> 3 months); lupus.md §7.1: two qualifying results > 90 days apart"
	ab := func(n int) Finding { return Finding{At: day(n), Abnormal: true} }
	ok := func(n int) Finding { return Finding{At: day(n)} }
	asOf := day(1000)
	tests := []struct {
		name     string
		findings []Finding
		want     Persistence
	}{
		{"none", nil, Persistence{Rule: PersistenceRule}},
		{"one abnormal", []Finding{ab(0)}, Persistence{Rule: PersistenceRule}},
		{"exactly 90 days apart", []Finding{ab(0), ab(90)}, Persistence{Rule: PersistenceRule}},
		{"91 days apart", []Finding{ab(0), ab(91)}, Persistence{Persistent: true, Since: day(0), Confirmed: day(91), Rule: PersistenceRule}},
		{"unsorted input", []Finding{ab(91), ok(-10), ab(0)}, Persistence{Persistent: true, Since: day(0), Confirmed: day(91), Rule: PersistenceRule}},
		{"normal in between breaks the run", []Finding{ab(0), ok(45), ab(120)}, Persistence{Rule: PersistenceRule}},
		{"new run after a normal", []Finding{ab(0), ok(45), ab(60), ab(100), ab(151)}, Persistence{Persistent: true, Since: day(60), Confirmed: day(151), Rule: PersistenceRule}},
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
	if _, err := Persists(in, asOf); err != nil || in[0].At != day(91) {
		t.Errorf("Persists modified its input: %v, %v", in, err)
	}
	if _, err := Persists([]Finding{{Abnormal: true}}, asOf); !errors.Is(err, ErrInput) {
		t.Errorf("zero time: err = %v, want ErrInput", err)
	}
}

func TestEGFRSlope(t *testing.T) {
	const src = "KDIGO 2012 rec 2.1.3: rapid progression = sustained decline > 5 mL/min/1.73 m2/year; lupus.md §7.4"
	yr := 36525 * Day / 100
	at := func(years float64) time.Time { return day(0).Add(time.Duration(years * float64(yr))) }
	asOf := day(5000)
	tests := []struct {
		name   string
		pts    []EGFRPoint
		want   float64 // per year
		tol    float64
		rapid  bool
		source string
	}{
		// Exact lines: the least-squares slope of points on a line is the
		// line's slope.
		{"decline 5/yr is not rapid", []EGFRPoint{{at(0), 50}, {at(0.5), 47.5}, {at(1), 45}}, -5, 1e-9, false, src + " (> 5, strict)"},
		{"decline 5.1/yr is rapid", []EGFRPoint{{at(0), 50}, {at(0.5), 47.45}, {at(1), 44.9}}, -5.1, 1e-9, true, src},
		{"stable", []EGFRPoint{{at(0), 40}, {at(1), 40}, {at(2), 40}}, 0, 1e-12, false, src},
		{"rising", []EGFRPoint{{at(0), 30}, {at(1), 33}, {at(2), 36}}, 3, 1e-9, false, src},
		// Scattered points, slope computed by hand: x = 0, 1, 2, 3 years,
		// y = 60, 52, 50, 42: mean x 1.5, mean y 51;
		// Sxy = (-1.5)(9) + (-0.5)(1) + (0.5)(-1) + (1.5)(-9) = -28,
		// Sxx = 5, slope = -5.6.
		{"scattered, by hand", []EGFRPoint{{at(3), 42}, {at(0), 60}, {at(2), 50}, {at(1), 52}}, -5.6, 1e-9, true, "ordinary least squares computed by hand"},
		// Results after asOf are ignored.
		{"asOf cuts", []EGFRPoint{{at(0), 40}, {at(1), 40}, {at(2), 40}, {asOf.Add(Day), 5}}, 0, 1e-12, false, src},
	}
	for _, tt := range tests {
		got, err := EGFRSlope(tt.pts, asOf)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if math.Abs(got.PerYear-tt.want) > tt.tol || got.Rapid != tt.rapid {
			t.Errorf("%s: slope %v rapid %v; want %v ± %g rapid %v (%s)", tt.name, got.PerYear, got.Rapid, tt.want, tt.tol, tt.rapid, tt.source)
		}
	}
}

func TestEGFRSlopeRejects(t *testing.T) {
	asOf := day(5000)
	tests := []struct {
		name string
		pts  []EGFRPoint
	}{
		{"two results", []EGFRPoint{{day(0), 40}, {day(200), 30}}},
		{"three results within 89 days", []EGFRPoint{{day(0), 40}, {day(30), 35}, {day(89), 30}}},
		{"third result after asOf", []EGFRPoint{{day(0), 40}, {day(200), 35}, {day(5001), 30}}},
		{"NaN eGFR", []EGFRPoint{{day(0), 40}, {day(100), math.NaN()}, {day(200), 30}}},
		{"negative eGFR", []EGFRPoint{{day(0), 40}, {day(100), -1}, {day(200), 30}}},
		{"zero time", []EGFRPoint{{day(0), 40}, {time.Time{}, 35}, {day(200), 30}}},
	}
	for _, tt := range tests {
		if got, err := EGFRSlope(tt.pts, asOf); !errors.Is(err, ErrInput) {
			t.Errorf("%s: EGFRSlope = %+v, %v; want ErrInput", tt.name, got, err)
		}
	}
	// Exactly 90 days is enough (">= 90 days").
	if _, err := EGFRSlope([]EGFRPoint{{day(0), 40}, {day(45), 35}, {day(90), 30}}, asOf); err != nil {
		t.Errorf("90-day span: %v", err)
	}
}
