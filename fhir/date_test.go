package fhir

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// parseDateLayouts is parseDate without its fast path.
func parseDateLayouts(s string) (time.Time, int, bool) {
	for i, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), i, true
		}
	}
	return time.Time{}, 0, false
}

func checkDateFast(t *testing.T, s string) {
	t.Helper()
	got, prec, ok := parseDateFast(s)
	if !ok {
		return
	}
	want, layout, wok := parseDateLayouts(s)
	wantPrec := map[int]string{0: "instant", 1: "instant", 2: "day", 3: "month", 4: "year"}[layout]
	if !wok || got != want || prec.String() != wantPrec {
		t.Fatalf("parseDateFast(%q) = %v %v; time.Parse gives %v %v (ok %v)", s, got, prec, want, wantPrec, wok)
	}
}

func TestParseDateFast(t *testing.T) {
	for _, s := range []string{"2020-05-05", "2020-02-29", "2019-02-29", "2000-02-29", "1900-02-29", "0000-01-01", "9999-12-31",
		"2020-13-01", "2020-00-10", "2020-04-31", "2020-05-05T10:11:12Z", "2020-05-05T10:11:12+01:00", "2020-05-05T23:59:59-23:59",
		"2020-05-05T24:00:00Z", "2020-05-05T10:60:00Z", "2020-05-05T10:00:60Z", "2020-05-05T10:00:00+24:00", "2020-05-05T10:00:00+01:60",
		"2020-05-05t10:11:12Z", "2020-05-05T10:11:12z", "2020-05-05T10:11:12.5Z", "2020-05-05T10:11:12+0100", "+020-05-05", "2020-5-05",
		"0000-01-01T00:00:00+01:00", "1677-01-01", "2012-02-08T02:43:19+00:00", "2012-02-08T02:43:19-00:00"} {
		checkDateFast(t, s)
	}
	if _, _, ok := parseDateFast("2012-02-08T02:43:19+00:00"); !ok {
		t.Error("Synthea's dateTime form not on the fast path")
	}
}

func FuzzParseDateFast(f *testing.F) {
	f.Add("2020-05-05T10:11:12+01:00")
	f.Add("2020-02-29")
	f.Fuzz(func(t *testing.T, s string) { checkDateFast(t, s) })
}

// formatFloat writes what fmt.Sprint wrote before it.
func TestFormatFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e20, 1e21, 1e-4, 1e-5, 123456, 1234567, 101.25810498760997, math.MaxFloat64,
		math.SmallestNonzeroFloat64, 5e-324, 0.9, 8447, 3183}
	for range 200000 {
		vals = append(vals, math.Float64frombits(r.Uint64()), float64(r.IntN(1e6))/float64(1+r.IntN(1000)))
	}
	for _, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		if got, want := formatFloat(v), fmt.Sprint(v); got != want {
			t.Fatalf("formatFloat(%v) = %q, fmt.Sprint %q", v, got, want)
		}
	}
}
