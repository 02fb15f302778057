package assess

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestDateFormat: date writes what time.Format writes, for the years it
// writes itself, around them, and in other time zones.
func TestDateFormat(t *testing.T) {
	east := time.FixedZone("east", 14*3600)
	west := time.FixedZone("west", -12*3600)
	check := func(x time.Time) {
		if got, want := date(x), x.UTC().Format("2006-01-02"); got != want {
			t.Fatalf("date(%v) = %q, want %q", x, got, want)
		}
	}
	for _, y := range []int{-10000, -1, 0, 1, 9, 10, 99, 100, 999, 1000, 1969, 1970, 2000, 2024, 9999, 10000, 123456} {
		for _, loc := range []*time.Location{time.UTC, east, west} {
			check(time.Date(y, 1, 1, 0, 0, 0, 0, loc))
			check(time.Date(y, 12, 31, 23, 59, 59, 999999999, loc))
		}
	}
	check(time.Time{})
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		check(time.Unix(r.Int64N(400*365*86400)-200*365*86400, r.Int64N(1e9)).In(east))
	}
}

// TestCompareDates: compareDates orders as the dates' texts do, for the
// years date writes itself, around them, and in other time zones.
func TestCompareDates(t *testing.T) {
	east := time.FixedZone("east", 14*3600)
	west := time.FixedZone("west", -12*3600)
	var ts []time.Time
	for _, y := range []int{-10000, -1, 0, 1, 999, 1000, 1970, 2024, 9999, 10000, 123456} {
		for _, loc := range []*time.Location{time.UTC, east, west} {
			ts = append(ts, time.Date(y, 1, 1, 0, 0, 0, 0, loc), time.Date(y, 12, 31, 23, 59, 59, 999999999, loc), time.Date(y, 6, 15, 12, 0, 0, 0, loc))
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		ts = append(ts, time.Unix(r.Int64N(60*365*86400), r.Int64N(1e9)).In(east), time.Unix(r.Int64N(60*365*86400), 0).In(west))
	}
	for _, x := range ts {
		for _, y := range ts[:200] {
			if got, want := compareDates(x, y), strings.Compare(date(x), date(y)); got != want {
				t.Fatalf("compareDates(%v, %v) = %d, want %d", x, y, got, want)
			}
		}
	}
}
