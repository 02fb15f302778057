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
	if math.Abs(s.PerYear+6) > 1e-9 || math.Abs(s.CI95[0]+6) > 1e-6 || math.Abs(s.CI95[1]+6) > 1e-6 || s.Points != 5 {
		t.Errorf("slope = %+v, want -6/year with a zero-width interval", s)
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
