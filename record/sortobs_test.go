package record

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"renalwatch/units"
)

// TestSortObservations: sortObservations leaves observations in the order
// slices.SortFunc gives them, equal ones (same analyte, time and ID, told
// apart here by Line) included, for inputs of many sizes with few keys.
func TestSortObservations(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	analytes := []units.Analyte{units.Creatinine, units.PCR, units.Hemoglobin, units.SystolicBP}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 2, 3, 5, 12, 13, 50, 100, 333, 1000, 5000} {
		for round := range 20 {
			obs := make([]Observation, n)
			for i := range obs {
				keys := 1 + round%5 // few distinct keys: many equal observations
				obs[i] = Observation{Analyte: analytes[r.IntN(len(analytes))], Time: base.AddDate(0, 0, r.IntN(keys*3)),
					ID: string(rune('a' + r.IntN(keys))), Line: i}
				switch round % 4 {
				case 3: // mostly in order already, as stores give them
					obs[i].Time = base.AddDate(0, 0, i/3)
				case 2:
					obs[i].Time = oddTime(r, base)
				}
				if n == 50 && round == 1 && i == 7 { // a monotonic clock reading: the comparison's own path
					obs[i].Time = time.Now()
				}
			}
			if round == 19 { // strictly in order already (as the cohort gives them): left as they are
				for i := range obs {
					obs[i].ID = fmt.Sprintf("%06d", i)
				}
				slices.SortFunc(obs, func(a, b Observation) int { return analyteOrder(&a, &b) })
			}
			want := slices.Clone(obs)
			slices.SortFunc(want, func(a, b Observation) int { return analyteOrder(&a, &b) })
			sortObservations(obs)
			for i := range obs {
				if obs[i].Line != want[i].Line {
					t.Fatalf("n %d round %d: position %d holds line %d, slices.SortFunc puts line %d there", n, round, i, obs[i].Line, want[i].Line)
				}
			}
		}
	}
}

// TestSortByTime holds sortByTime to slices.SortFunc with byTime: the same
// order, items equal in time and ID included, for lists in order, nearly
// in order and shuffled, with fractions of a second, zones and a
// monotonic clock reading.
func TestSortByTime(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 2, 3, 5, 12, 13, 50, 100, 333, 1000} {
		for round := range 24 {
			items := make([]Finding, n)
			for i := range items {
				keys := 1 + round%5 // few distinct keys: many equal items
				items[i] = Finding{Time: base.AddDate(0, 0, r.IntN(keys*3)), ID: string(rune('a' + r.IntN(keys))),
					Code: strconv.Itoa(i)}
				switch round % 6 {
				case 5: // in order, with runs of equal items
					items[i].Time, items[i].ID = base.AddDate(0, 0, i/20), "x"
				case 4: // strictly in order: left as it is
					items[i].Time, items[i].ID = base.AddDate(0, 0, i/3), strconv.Itoa(i%3)
				case 3: // mostly in order already, as sources give them
					items[i].Time = base.AddDate(0, 0, i/3)
				case 2:
					items[i].Time = oddTime(r, base)
				}
				if n == 50 && round == 1 && i == 7 { // a monotonic clock reading
					items[i].Time = time.Now()
				}
			}
			want := slices.Clone(items)
			slices.SortFunc(want, func(a, b Finding) int { return byTime(a.Time, b.Time, a.ID, b.ID) })
			sortByTime(items, func(x *Finding) (time.Time, string) { return x.Time, x.ID })
			for i := range items {
				if items[i].Code != want[i].Code {
					t.Fatalf("n %d round %d: position %d holds item %s, slices.SortFunc puts item %s there", n, round, i, items[i].Code, want[i].Code)
				}
			}
		}
	}
}

// oddTime is a time near base with a fraction of a second, in one of
// three zones, sometimes before 1970: instants that compare alike in other
// zones, and negative Unix seconds.
func oddTime(r *rand.Rand, base time.Time) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("east", 5*3600), time.FixedZone("west", -8*3600)}
	t := base.Add(time.Duration(r.IntN(5)) * 500 * time.Millisecond).In(zones[r.IntN(len(zones))])
	if r.IntN(4) == 0 {
		t = t.AddDate(-60, 0, 0)
	}
	return t
}
