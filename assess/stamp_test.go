package assess

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestStampFarApart: times too far apart for a Duration are left to
// time.Time.Sub, which saturates.
func TestStampFarApart(t *testing.T) {
	for _, c := range [][2]time.Time{
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2080, 6, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(-300000000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(300000000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		x, y := c[0], c[1]
		sx, sy := stampOf(x), stampOf(y)
		if d, ok := sy.subExact(sx); ok && d != y.Sub(x) {
			t.Errorf("%v - %v: subExact %v, time %v", y, x, d, y.Sub(x))
		}
		if monthsAt(x, y, sx, sy) != months(x, y) || ageYearsAt(x, y, sx, sy) != ageYears(x, y) {
			t.Errorf("%v to %v: months or years differ", x, y)
		}
	}
}

// TestStampMatchesTime: stamps order, add and subtract as the times they
// come from, across the epoch, fractions of a second and windows of days.
func TestStampMatchesTime(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := []time.Time{
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1900, 3, 1, 12, 0, 0, 1, time.UTC),
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2400, 1, 1, 0, 0, 0, 500, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for i := 0; i < 20000; i++ {
		x := base[r.IntN(len(base))].Add(time.Duration(r.Int64N(int64(400*day))) - 200*day)
		d := time.Duration(r.Int64N(int64(200*day))) - 100*day
		if i%3 == 0 {
			d = d.Truncate(time.Second)
		}
		y := x.Add(d)
		sx, sy := stampOf(x), stampOf(y)
		if got := sx.add(d); got != sy {
			t.Fatalf("%v add %v: stamp %v, time %v", x, d, got, sy)
		}
		if sx.before(sy) != x.Before(y) || sx.after(sy) != x.After(y) || sy.before(sx) != y.Before(x) {
			t.Fatalf("%v and %v ordered differently as stamps", x, y)
		}
		if sy.sub(sx) != y.Sub(x) || sx.sub(sy) != x.Sub(y) {
			t.Fatalf("%v - %v: stamp %v, time %v", y, x, sy.sub(sx), y.Sub(x))
		}
		if d, ok := sy.subExact(sx); !ok || d != y.Sub(x) {
			t.Fatalf("%v - %v: subExact %v %v, time %v", y, x, d, ok, y.Sub(x))
		}
		if monthsAt(x, y, sx, sy) != months(x, y) || ageYearsAt(x, y, sx, sy) != ageYears(x, y) {
			t.Fatalf("%v to %v: months or years differ", x, y)
		}
		ss := []stamp{sx, sx.add(time.Nanosecond), sy}
		if sy.before(sx) {
			ss = []stamp{sy, sx, sx.add(time.Nanosecond)}
		}
		for _, q := range []stamp{sx, sy, sx.add(-time.Nanosecond)} {
			want := 0
			for want < len(ss) && ss[want].before(q) {
				want++
			}
			if got := searchFrom(ss, q); got != want {
				t.Fatalf("searchFrom: %d, want %d", got, want)
			}
		}
	}
}
