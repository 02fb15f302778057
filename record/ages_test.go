package record

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestAgesNextIsAt checks Ages.Next against Ages.At for birth dates at the
// ends of months and years, on 29 February and at any time of day, over
// times around every birthday (to the second, sub-second included) asked
// in order and at random, and before the birth.
func TestAgesNextIsAt(t *testing.T) {
	births := []time.Time{
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2004, 2, 29, 23, 59, 59, 999, time.UTC),
		time.Date(1985, 4, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 18, 30, 0, 0, time.UTC),
		time.Date(2001, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1960, 3, 1, 12, 0, 0, 0, time.FixedZone("", 5*3600)),
		time.Date(2010, 6, 15, 23, 0, 0, 0, time.FixedZone("", -7*3600)),
		time.Date(1950, 8, 31, 0, 0, 0, 0, time.UTC),
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, b := range births {
		var ts []time.Time
		for y := -1; y <= 30; y++ {
			bd := time.Date(b.UTC().Year()+y, b.UTC().Month(), b.UTC().Day(), 0, 0, 0, 0, time.UTC)
			for _, d := range []time.Duration{-25 * time.Hour, -time.Second, -time.Nanosecond, 0, time.Nanosecond, 500 * time.Millisecond, time.Second, time.Hour, 24 * time.Hour} {
				ts = append(ts, bd.Add(d), bd.AddDate(0, 0, 1).Add(d), bd.AddDate(0, 0, -1).Add(d))
			}
		}
		ts = append(ts, b, b.Add(-time.Nanosecond), b.Add(time.Nanosecond))
		check := func(order string, ts []time.Time) {
			g := agesOf(b)
			for _, x := range ts {
				wa, wok := g.At(x)
				if a, ok := g.Next(x); a != wa || ok != wok {
					t.Errorf("birth %v, at %v (%s): Next = %d, %v; At = %d, %v", b, x, order, a, ok, wa, wok)
				}
			}
		}
		check("in order", ts)
		rng.Shuffle(len(ts), func(i, j int) { ts[i], ts[j] = ts[j], ts[i] })
		check("shuffled", ts)
	}
	var unknown Ages
	if _, ok := unknown.Next(time.Now()); ok {
		t.Error("Next with no birth date gave an age")
	}
}
