package cohort

import (
	"fmt"
	"maps"
	"slices"
)

// Small-cell suppression of the summary (--min-cell K). A count below K
// (not 0) is shown as "<K" or withheld (primary suppression). A withheld
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

// hiddenCells returns the cells of a line whose counts add up to a printed
// total that are to be withheld: every count below minCell (not 0), and,
// when exactly one is, the next-smallest other count (ties broken by
// name), which is the complementary cell.
func hiddenCells(cells map[string]int64, minCell int64) (small []string, complementary string) {
	for _, k := range slices.Sorted(maps.Keys(cells)) {
		if n := cells[k]; minCell > 0 && n > 0 && n < minCell {
			small = append(small, k)
		}
	}
	if len(small) != 1 {
		return small, ""
	}
	for _, k := range slices.Sorted(maps.Keys(cells)) {
		if k != small[0] && (complementary == "" || cells[k] < cells[complementary]) {
			complementary = k
		}
	}
	return small, complementary
}

// suppressLine renders the cells of one line whose counts add up to a
// printed total: a count below minCell as "<K", the complementary cell
// (hiddenCells) as "withheld". complementary reports whether one was
// withheld.
func suppressLine(cells map[string]int64, minCell int64) (shown map[string]string, complementary bool) {
	shown = make(map[string]string, len(cells))
	for k, n := range cells {
		shown[k] = fmt.Sprint(n)
	}
	small, extra := hiddenCells(cells, minCell)
	for _, k := range small {
		shown[k] = fmt.Sprintf("<%d", minCell)
	}
	if extra != "" {
		shown[extra] = "withheld"
	}
	return shown, extra != ""
}

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
		hide := map[string]bool{extra: extra != ""}
		for _, c := range small {
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
			t.hidden[g.name] = []bool{minCell > 0 && g.n > 0 && g.n < minCell, smallRate(g.f, g.n, minCell)}
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
