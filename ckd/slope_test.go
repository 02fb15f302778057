package ckd

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestStudentTQuantile(t *testing.T) {
	// Two-sided 95% critical values, standard t tables (e.g. NIST/SEMATECH
	// e-Handbook of Statistical Methods, Table 1.3.6.7.2).
	tests := []struct{ df, want float64 }{
		{1, 12.706}, {2, 4.303}, {3, 3.182}, {5, 2.571}, {10, 2.228}, {30, 2.042}, {100, 1.984},
	}
	for _, tt := range tests {
		if got := StudentTQuantile(0.975, tt.df); math.Abs(got-tt.want) > 0.0005 {
			t.Errorf("StudentTQuantile(0.975, %v) = %.4f, want %.3f", tt.df, got, tt.want)
		}
	}
	if got := StudentTQuantile(0.025, 10); math.Abs(got+2.228) > 0.0005 {
		t.Errorf("StudentTQuantile(0.025, 10) = %.4f, want -2.228", got)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEGFRSlopeExactLine(t *testing.T) {
	// Points on an exact line of -6 per year: slope -6, zero-width interval.
	t0 := day("2020-01-01")
	var pts []Point
	for i := range 5 {
		at := t0.Add(time.Duration(float64(i) * daysPerYear / 2 * 24 * float64(time.Hour)))
		pts = append(pts, Point{at, 60 - 3*float64(i)})
	}
	s, err := EGFRSlope(pts)
	if err != nil {
		t.Fatal(err)
	}
	// No zero-width interval: the scatter is below MinResidualSD, so no CI
	// is given and NoCI says why.
	if math.Abs(s.PerYear+6) > 1e-9 || s.NoCI != NoCIFlat || s.CI95 != [2]float64{} || s.Points != 5 {
		t.Errorf("slope = %+v, want -6/year with no interval (NoCIFlat)", s)
	}
}

// Degenerate series (lupus.md §7.4: at least 3 values over at least 90
// days): two values, values on one day, equal values, and equal values
// less than the reporting unit apart give no slope or no CI, never a
// zero-width, NaN or infinite interval.
func TestEGFRSlopeDegenerate(t *testing.T) {
	p := func(d string, v float64) Point { return Point{day(d), v} }
	for _, tc := range []struct {
		name    string
		pts     []Point
		wantErr bool
		noCI    bool
	}{
		{"two values", []Point{p("2020-01-01", 50), p("2021-01-01", 40)}, true, false},
		{"all on one day", []Point{p("2020-01-01", 50), p("2020-01-01", 45), p("2020-01-01", 40)}, true, false},
		{"all equal", []Point{p("2020-01-01", 50), p("2020-07-01", 50), p("2021-01-01", 50)}, false, true},
		{"within 0.05 of a line", []Point{p("2020-01-01", 50.02), p("2020-07-01", 49.98), p("2021-01-01", 50.02)}, false, true},
		{"scatter of 1", []Point{p("2020-01-01", 51), p("2020-07-01", 49), p("2021-01-01", 51)}, false, false},
	} {
		s, err := EGFRSlope(tc.pts)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err %v, want error %v", tc.name, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got := s.NoCI != ""; got != tc.noCI {
			t.Errorf("%s: NoCI %q, want set %v", tc.name, s.NoCI, tc.noCI)
		}
		if !tc.noCI && !(s.CI95[1]-s.CI95[0] > 0) {
			t.Errorf("%s: CI %v has no width", tc.name, s.CI95)
		}
		for _, v := range []float64{s.PerYear, s.CI95[0], s.CI95[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("%s: %+v has a non-finite number", tc.name, s)
			}
		}
	}
}

func TestEGFRSlopeWithNoise(t *testing.T) {
	// Reference computed independently: x = years 0, 0.5, 1, 1.5, 2;
	// y = 62, 58, 57, 52, 50. By hand (checked in python3): b = -6.0,
	// sxx = 2.5, sse = 2.8, se = sqrt(2.8/3/2.5) = 0.61101, and with
	// t(0.975, 3) = 3.182446 the interval is -6 ± 1.94451.
	t0 := day("2020-01-01")
	ys := []float64{62, 58, 57, 52, 50}
	var pts []Point
	for i, y := range ys {
		pts = append(pts, Point{t0.Add(time.Duration(float64(i) * daysPerYear / 2 * 24 * float64(time.Hour))), y})
	}
	s, err := EGFRSlope(pts)
	if err != nil {
		t.Fatal(err)
	}
	half := 3.182446 * math.Sqrt(2.8/3/2.5)
	if math.Abs(s.PerYear+6) > 1e-9 || math.Abs(s.CI95[0]-(-6-half)) > 1e-4 || math.Abs(s.CI95[1]-(-6+half)) > 1e-4 {
		t.Errorf("slope = %+v, want -6 ± %.4f", s, half)
	}
}

func TestEGFRSlopeNeedsThreeValuesOver90Days(t *testing.T) {
	two := []Point{{day("2020-01-01"), 60}, {day("2021-01-01"), 50}}
	if _, err := EGFRSlope(two); !errors.Is(err, ErrTooFewPoints) {
		t.Errorf("two points: err = %v, want ErrTooFewPoints", err)
	}
	short := []Point{{day("2020-01-01"), 60}, {day("2020-02-01"), 55}, {day("2020-03-30"), 50}} // 89 days
	if _, err := EGFRSlope(short); !errors.Is(err, ErrTooFewPoints) {
		t.Errorf("89 days: err = %v, want ErrTooFewPoints", err)
	}
	exact := []Point{{day("2020-01-01"), 60}, {day("2020-02-01"), 55}, {day("2020-03-31"), 50}} // 90 days
	if _, err := EGFRSlope(exact); err != nil {
		t.Errorf("90 days: err = %v, want a slope", err)
	}
	bad := []Point{{day("2020-01-01"), 60}, {day("2020-02-01"), math.NaN()}, {day("2020-06-01"), 50}}
	if _, err := EGFRSlope(bad); err == nil {
		t.Error("NaN eGFR: no error")
	}
}
