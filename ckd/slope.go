package ckd

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Point is one eGFR value (mL/min/1.73 m2) at a time.
type Point struct {
	Time time.Time
	EGFR float64
}

// Slope is the least-squares eGFR trend over a series of points.
type Slope struct {
	PerYear float64    // mL/min/1.73 m2 per year; negative is a decline
	CI95    [2]float64 // 95% confidence interval of PerYear (Student t, n-2 df); zero and not to be used when NoCI is set
	NoCI    string     // why no confidence interval is given (NoCIFlat); "" when CI95 holds
	Points  int        // number of values used
	Days    float64    // span from first to last value, in days
	Method  string     // how it was computed, for the output
}

// Minimums for a slope, lupus.md §7.4 (KDIGO 2012 rec 2.1.3 asks for
// progression to be judged on serial measurements, not two points): at least
// three values spanning at least 90 days.
const (
	MinSlopePoints = 3
	MinSlopeDays   = 90
)

// MinResidualSD is the residual standard deviation (mL/min/1.73 m2) below
// which EGFRSlope gives no confidence interval. The Student t interval
// estimates measurement variability from the scatter around the line; when
// the values lie on a line (equal values, points exactly collinear, or
// equal creatinines whose eGFR moves only by the equation's age term) that
// estimate is about zero and the interval collapses to a confident width
// the data cannot support (lupus.md §7.4: no progression call on too little
// evidence). 0.1 is a fifth of the rounding of an eGFR reported in whole
// numbers (KDIGO 2012 CKD guideline, laboratory reporting; rounding alone
// gives an SD of about 0.29), so real series of reported values keep their
// interval. It is a numerical guard chosen here (an assumption, not a
// published clinical threshold); it only withholds an interval, never
// changes the slope.
const MinResidualSD = 0.1

// NoCIFlat is Slope.NoCI when the residual SD is below MinResidualSD.
const NoCIFlat = "no 95% CI: the values lie on a straight line (residual SD below 0.1 mL/min/1.73 m²), so their scatter cannot show how much eGFR varies between measurements"

// ErrTooFewPoints means a slope was asked of too few or too close values.
var ErrTooFewPoints = errors.New("too few eGFR values for a slope")

const daysPerYear = 365.25

// EGFRSlope fits eGFR = a + b·t by ordinary least squares, with t in years,
// and returns b with its 95% confidence interval. It needs at least
// MinSlopePoints values spanning at least MinSlopeDays days (lupus.md §7.4);
// otherwise it returns an error wrapping ErrTooFewPoints. Points need not be
// sorted.
func EGFRSlope(points []Point) (Slope, error) {
	n := len(points)
	if n < MinSlopePoints {
		return Slope{}, fmt.Errorf("%w: have %d, need at least %d", ErrTooFewPoints, n, MinSlopePoints)
	}
	first, last := points[0].Time, points[0].Time
	var sumT, sumY float64
	for _, p := range points {
		if math.IsNaN(p.EGFR) || math.IsInf(p.EGFR, 0) {
			return Slope{}, fmt.Errorf("ckd: eGFR %v at %s is not finite", p.EGFR, p.Time.Format(time.DateOnly))
		}
		if p.Time.Before(first) {
			first = p.Time
		}
		if p.Time.After(last) {
			last = p.Time
		}
	}
	span := last.Sub(first).Hours() / 24
	if span < MinSlopeDays {
		return Slope{}, fmt.Errorf("%w: values span %.0f days, need at least %d", ErrTooFewPoints, span, MinSlopeDays)
	}
	var buf [128]float64 // the times of a usual window, on the stack
	ts := buf[:0]
	if n > len(buf) {
		ts = make([]float64, 0, n)
	}
	ts = ts[:n]
	for i, p := range points {
		ts[i] = p.Time.Sub(first).Hours() / 24 / daysPerYear
		sumT += ts[i]
		sumY += p.EGFR
	}
	meanT, meanY := sumT/float64(n), sumY/float64(n)
	var sxx, sxy float64
	for i, p := range points {
		dt := ts[i] - meanT
		sxx += dt * dt
		sxy += dt * (p.EGFR - meanY)
	}
	b := sxy / sxx
	a := meanY - b*meanT
	var sse float64
	for i, p := range points {
		r := p.EGFR - (a + b*ts[i])
		sse += r * r
	}
	df := float64(n - 2)
	out := Slope{PerYear: b, Points: n, Days: span, Method: "ordinary least squares, 95% CI from Student t with n-2 df"}
	if !(math.Sqrt(sse/df) >= MinResidualSD) {
		out.NoCI = NoCIFlat
		return out, nil
	}
	se := math.Sqrt(sse / df / sxx)
	half := tQuantile975(df) * se
	out.CI95 = [2]float64{b - half, b + half}
	return out, nil
}

// StudentTQuantile returns the p-quantile of Student's t distribution with df
// degrees of freedom (df > 0, 0 < p < 1), by bisection on the CDF computed
// from the regularized incomplete beta function.
func StudentTQuantile(p, df float64) float64 {
	if p == 0.5 {
		return 0
	}
	if p < 0.5 {
		return -StudentTQuantile(1-p, df)
	}
	lo, hi := 0.0, 1.0
	for studentTCDF(hi, df) < p {
		hi *= 2
		if hi > 1e12 {
			return math.Inf(1)
		}
	}
	for range 200 {
		mid := (lo + hi) / 2
		if studentTCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-12*math.Max(1, hi) {
			break
		}
	}
	return (lo + hi) / 2
}

// studentTCDF is P(T <= t) for t >= 0.
func studentTCDF(t, df float64) float64 {
	x := df / (df + t*t)
	return 1 - 0.5*regIncBeta(df/2, 0.5, x)
}

// regIncBeta is the regularized incomplete beta function I_x(a, b), by the
// continued fraction of Numerical Recipes (3rd ed., §6.4).
func regIncBeta(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log(1-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		m2 := float64(2 * m)
		aa := float64(m) * (b - float64(m)) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + float64(m)) * (qab + float64(m)) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return h
}
