package cohort

import (
	"fmt"
	"maps"
	"slices"

	"renalwatch/ckd"
)

// Small-cell suppression of the summary (--min-cell K). A count below K
// (0 included) is shown as "<K" or withheld (primary suppression). A withheld
// count must not be recoverable from the counts that are shown
// (complementary or secondary suppression: Hundepool A et al. Statistical
// Disclosure Control. Wiley 2012, chapter 5, frequency tables): every
// relation a reader can write between shown counts must leave at least two
// withheld cells in it. The summary has three kinds of relation:
//
//   - the cells of a line add up to a printed total (the GFR and risk
//     lines to the patients; a response row's complete, partial and no
//     response to its judged count; a landmark row's treated and
//     untreated to the patients compared, the same in every row);
//   - a response row's "any response" is complete plus partial;
//   - the therapy-class rows of the response table are subsets of the "all"
//     row, and classes that no patient shares partition it (trial 12 F5:
//     all 31 = mycophenolate 23 + cyclophosphamide 8 gave the withheld
//     cyclophosphamide cells away by subtraction); a row with the "all"
//     row's judged count is the same patients.
//
// hiddenCells is the rule for one line; suppressResponse and
// suppressLandmark apply it to the rows and add the rules across rows.

// hiddenCells returns the cells of a line whose counts add up to a
// printed total that are to be withheld: every count below minCell, 0
// included (small, shown as "<K"), and the complementary cells, shown as
// "withheld". A reader knows each small cell is in [0, K−1], each
// withheld one in [K, total], and that the hidden cells add up to what
// the shown ones leave of the total; a hidden cell that this pins to one
// value is given back (trial 13 F1: G2T, G3aT and G4 "<3" leaving 3 of
// 100 were 1 each; one small cell alone is its leftover; all 0 or all
// K−1 are pinned too). While a hidden cell is pinned, the smallest shown
// count (ties broken by name) is withheld as well (Hundepool A et al.
// Statistical Disclosure Control. Wiley 2012, §5.2: a suppressed cell's
// feasible interval from the table's relations must not be a point).
func hiddenCells(cells map[string]int64, minCell int64) (small, complementary []string) {
	if minCell <= 0 {
		return nil, nil
	}
	var total int64
	for _, k := range slices.Sorted(maps.Keys(cells)) {
		total += cells[k]
		if cells[k] < minCell {
			small = append(small, k)
		}
	}
	if len(small) == 0 {
		return nil, nil
	}
	for pinned(cells, small, complementary, minCell, total) {
		next := ""
		for _, k := range slices.Sorted(maps.Keys(cells)) {
			if !slices.Contains(small, k) && !slices.Contains(complementary, k) && (next == "" || cells[k] < cells[next]) {
				next = k
			}
		}
		if next == "" {
			break // every cell is hidden
		}
		complementary = append(complementary, next)
	}
	return small, complementary
}

// pinned reports whether a hidden cell of a line (hiddenCells) has one
// feasible value: its range [lo, hi] narrowed by the others' ranges and
// the sum they must make leaves a single integer.
func pinned(cells map[string]int64, small, withheld []string, minCell, total int64) bool {
	type cell struct{ v, lo, hi int64 }
	var hidden []cell
	var sum, sumLo, sumHi int64
	for _, k := range small {
		hidden = append(hidden, cell{cells[k], 0, minCell - 1})
	}
	for _, k := range withheld {
		hidden = append(hidden, cell{cells[k], minCell, total})
	}
	for _, c := range hidden {
		sum, sumLo, sumHi = sum+c.v, sumLo+c.lo, sumHi+c.hi
	}
	for _, c := range hidden {
		lo := max(c.lo, sum-(sumHi-c.hi))
		hi := min(c.hi, sum-(sumLo-c.lo))
		if hi-lo < 1 {
			return true
		}
	}
	return false
}

// suppressLine renders the cells of one line whose counts add up to a
// printed total: a count below minCell as "<K" (0 included), the
// complementary cells (hiddenCells) as "withheld". With minCell, every
// category of fixed is shown, 0 as "<K", so that a category left out does
// not say it is 0 and "<K" does not say "at least 1" (trial 13 F1: with
// --min-cell 2 every "<2" was 1). complementary reports whether a cell
// was withheld.
func suppressLine(cells map[string]int64, fixed []string, minCell int64) (shown map[string]string, complementary bool) {
	if minCell > 0 {
		all := maps.Clone(cells)
		for _, k := range fixed {
			all[k] += 0
		}
		cells = all
	}
	shown = make(map[string]string, len(cells))
	for k, n := range cells {
		shown[k] = fmt.Sprint(n)
	}
	small, extra := hiddenCells(cells, minCell)
	for _, k := range small {
		shown[k] = fmt.Sprintf("<%d", minCell)
	}
	for _, k := range extra {
		shown[k] = "withheld"
	}
	return shown, len(extra) > 0
}

// stageCategories and riskCategories are every cell of the GFR and risk
// lines (prevalentStage): the KDIGO G categories, after a transplant
// with T, G5D on dialysis (assess sets D with G5 only), and the patients
// without a current eGFR, with no data by as-of, and deceased.
var (
	stageCategories = func() []string {
		var c []string
		for g := ckd.G1; g <= ckd.G5; g++ {
			c = append(c, g.String(), g.String()+"T")
		}
		return append(c, "G5D", "none", "no_data", "deceased")
	}()
	riskCategories = func() []string {
		var c []string
		for r := ckd.RiskLow; r <= ckd.RiskVeryHigh; r++ {
			c = append(c, r.String())
		}
		return append(c, "none", "no_data", "deceased")
	}()
)

// linked is a table whose rows are tied by relations: in each relation
// (a set of rows) every column's cells add up, with signs, to a number a
// reader has, so a relation with exactly one withheld cell in a column
// gives it back. suppress withholds, in such a relation, the smallest
// other cell of that column too, and repeats until no relation has
// exactly one (complementary suppression across rows).
type linked struct {
	values    map[string][]int64 // row -> column -> count
	hidden    map[string][]bool
	relations [][]string
	// implies: a withheld cell in column [0] withholds the row's cell in
	// column [1] (a rate printed beside a withheld count gives it back).
	implies [][2]int
}

func (t *linked) suppress() {
	for changed := true; changed; {
		changed = false
		for _, h := range t.hidden {
			for _, im := range t.implies {
				if h[im[0]] && !h[im[1]] {
					h[im[1]], changed = true, true
				}
			}
		}
		for _, rel := range t.relations {
			for col := range t.values[rel[0]] {
				n, next := 0, ""
				for _, k := range rel {
					switch {
					case t.hidden[k][col]:
						n++
					case next == "" || t.values[k][col] < t.values[next][col] || t.values[k][col] == t.values[next][col] && k < next:
						next = k
					}
				}
				if n == 1 && next != "" {
					t.hidden[next][col], changed = true, true
				}
			}
		}
	}
}

// partitions returns the sets of rows, of at most maxPartitionRows
// candidates, whose counts add up to total: rows that no patient shares
// and that cover the total (all = mycophenolate + cyclophosphamide), as a
// reader who sees the sum would take them. With more candidates every
// candidate is one relation with the total (the rule then withholds more
// than it needs to, never less).
func partitions(counts map[string]int64, total int64) [][]string {
	keys := slices.Sorted(maps.Keys(counts))
	if len(keys) > maxPartitionRows {
		return [][]string{keys}
	}
	var out [][]string
	for mask := 1; mask < 1<<len(keys); mask++ {
		var sum int64
		var set []string
		for i, k := range keys {
			if mask&(1<<i) != 0 {
				sum += counts[k]
				set = append(set, k)
			}
		}
		if sum == total {
			out = append(out, set)
		}
	}
	return out
}

// maxPartitionRows bounds the search of partitions (2^16 sets).
const maxPartitionRows = 16

// responseShown says which values of a response row are shown.
type responseShown struct{ judged, complete, any bool }

// suppressResponse decides which values of the response table are shown.
// A row shows its judged count, complete and any response; from them a
// reader has the row's three cells: complete, partial (any − complete)
// and no response (judged − any). In a row, a withheld complete cell
// withholds "complete", a withheld no-response cell "any response", and a
// withheld partial cell "any response" (unless "complete" already is): so
// a row withholds two cells or none (hiddenCells gives each small cell its
// complement), and a judged count below minCell withholds both. Across
// rows (linked), a class row is a subset of the "all" row: a relation
// ties "all" to every set of class rows whose judged counts add up to its
// own (a partition, or one class given to every patient), and two rows
// with the same judged count are taken as the same patients.
func suppressResponse(rows map[string]*ResponseCount, minCell int64) map[string]*responseShown {
	t := &linked{values: map[string][]int64{}, hidden: map[string][]bool{}, implies: [][2]int{{0, 1}, {0, 2}}}
	for k, rc := range rows {
		cells := map[string]int64{"complete": rc.Complete, "partial": rc.Any - rc.Complete, "none": rc.Judged - rc.Any}
		small, extra := hiddenCells(cells, minCell)
		hide := map[string]bool{}
		for _, c := range append(small, extra...) {
			hide[c] = true
		}
		// A rate is withheld when its count, its complement or the row is
		// below minCell, a 0 included (smallRate).
		complete := !hide["complete"] && !smallRate(rc.Complete, rc.Judged, minCell)
		anyR := !hide["none"] && !(hide["partial"] && complete) && !smallRate(rc.Any, rc.Judged, minCell)
		t.values[k] = []int64{rc.Judged, rc.Complete, rc.Any}
		t.hidden[k] = []bool{minCell > 0 && rc.Judged > 0 && rc.Judged < minCell, !complete, !anyR}
	}
	if all := rows["all"]; all != nil && minCell > 0 {
		counts := map[string]int64{}
		for k, rc := range rows {
			if k != "all" {
				counts[k] = rc.Judged
			}
		}
		for _, set := range partitions(counts, all.Judged) {
			t.relations = append(t.relations, append([]string{"all"}, set...))
		}
		keys := slices.Sorted(maps.Keys(counts))
		for i, a := range keys {
			for _, b := range keys[i+1:] {
				if counts[a] == counts[b] {
					t.relations = append(t.relations, []string{a, b})
				}
			}
		}
		t.suppress()
	}
	out := make(map[string]*responseShown, len(rows))
	for k, h := range t.hidden {
		out[k] = &responseShown{judged: !h[0], complete: !h[1], any: !h[2]}
	}
	return out
}

// landmarkShown is what a landmark row shows: the counts of the two
// groups as printed ("<K" or "withheld" when withheld) and whether each
// group's kidney failures are shown.
type landmarkShown struct {
	treated, untreated   string
	treatedF, untreatedF bool
}

// suppressLandmark decides what the landmark rows show (only rows with
// patients who started the class are printed). Row X is two rows of a
// linked table, "X/started" and "X/not started", with two columns, the
// patients and their kidney failures. The two groups of a row add up to
// the patients compared and to their failures, the same in every row, so
// each row's pair is a relation; and the started groups of classes that
// no patient shares add up to the patients compared when they cover them
// (partitions). A group's failures are withheld when they, the group's
// other patients, or the group are below minCell (smallRate), and when its
// count is withheld (the percentage would give it back).
func suppressLandmark(rows map[string]*LandmarkCount, minCell int64) map[string]landmarkShown {
	t := &linked{values: map[string][]int64{}, hidden: map[string][]bool{}, implies: [][2]int{{0, 1}}}
	started := map[string]int64{}
	var compared int64
	for k, lc := range rows {
		if lc.Treated == 0 {
			continue
		}
		for _, g := range []struct {
			name string
			n, f int64
		}{{k + "/started", lc.Treated, lc.TreatedFailure}, {k + "/not started", lc.Untreated, lc.UntreatedFailure}} {
			t.values[g.name] = []int64{g.n, g.f}
			t.hidden[g.name] = []bool{minCell > 0 && g.n < minCell, // 0 included: every patient compared started the class
				smallRate(g.f, g.n, minCell)}
		}
		t.relations = append(t.relations, []string{k + "/started", k + "/not started"})
		started[k+"/started"] = lc.Treated
		compared = lc.Treated + lc.Untreated
	}
	if minCell > 0 {
		t.relations = append(t.relations, partitions(started, compared)...)
		t.suppress()
	}
	out := map[string]landmarkShown{}
	for k, lc := range rows {
		if lc.Treated == 0 {
			continue
		}
		count := func(g string, n int64) string {
			switch {
			case !t.hidden[g][0]:
				return fmt.Sprint(n)
			case n < minCell:
				return fmt.Sprintf("<%d", minCell)
			}
			return "withheld"
		}
		out[k] = landmarkShown{treated: count(k+"/started", lc.Treated), untreated: count(k+"/not started", lc.Untreated),
			treatedF: !t.hidden[k+"/started"][1], untreatedF: !t.hidden[k+"/not started"][1]}
	}
	return out
}

// smallRate reports whether the rate x of n is withheld under minCell:
// its count, complement or total is below it (0 included).
func smallRate(x, n, minCell int64) bool {
	return minCell > 0 && (x < minCell || n-x < minCell || n < minCell)
}
