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

// responseShown says which values of a response row are shown.
type responseShown struct{ complete, any bool }

// suppressResponse decides which values of the response table are shown.
// A row shows its judged count, complete and any response; from them a
// reader has the row's three cells: complete, partial (any − complete)
// and no response (judged − any). In a row, a withheld complete cell
// withholds "complete", a withheld no-response cell "any response", and a
// withheld partial cell "any response" (unless "complete" already is): so
// a row withholds two cells or none (hiddenCells gives each small cell its
// complement). Across rows, for each of the two values: a value withheld
// in a class row is withheld in the "all" row too, and one withheld in the
// "all" row in at least one other class row (the smallest), so that no
// subtraction of rows isolates it; rows with the "all" row's judged count
// are the "all" row's patients and follow it. The rules repeat until
// nothing changes.
func suppressResponse(rows map[string]*ResponseCount, minCell int64) map[string]*responseShown {
	out := make(map[string]*responseShown, len(rows))
	for k, rc := range rows {
		sh := &responseShown{complete: true, any: true}
		out[k] = sh
		cells := map[string]int64{"complete": rc.Complete, "partial": rc.Any - rc.Complete, "none": rc.Judged - rc.Any}
		small, extra := hiddenCells(cells, minCell)
		hide := map[string]bool{extra: extra != ""}
		for _, c := range small {
			hide[c] = true
		}
		// A rate is withheld when its count, its complement or the row is
		// below minCell, a 0 included (rate).
		sh.complete = !hide["complete"] && !smallRate(rc.Complete, rc.Judged, minCell)
		sh.any = !hide["none"] && !(hide["partial"] && sh.complete) && !smallRate(rc.Any, rc.Judged, minCell)
	}
	all := rows["all"]
	if all == nil || minCell <= 0 {
		return out
	}
	sameAsAll := func(k string) bool { return k == "all" || rows[k].Judged == all.Judged }
	for changed := true; changed; {
		changed = false
		for _, col := range []struct {
			shown func(*responseShown) *bool
			value func(*ResponseCount) int64
		}{
			{func(s *responseShown) *bool { return &s.complete }, func(r *ResponseCount) int64 { return r.Complete }},
			{func(s *responseShown) *bool { return &s.any }, func(r *ResponseCount) int64 { return r.Any }},
		} {
			hide := func(k string) {
				if p := col.shown(out[k]); *p {
					*p, changed = false, true
				}
			}
			allHidden, classHidden := false, false
			for k, sh := range out {
				if *col.shown(sh) {
					continue
				}
				if sameAsAll(k) {
					allHidden = true
				} else {
					classHidden = true
				}
			}
			if allHidden || classHidden {
				for k := range out {
					if sameAsAll(k) {
						hide(k)
					}
				}
			}
			if allHidden && !classHidden {
				next := ""
				for _, k := range slices.Sorted(maps.Keys(rows)) {
					if !sameAsAll(k) && (next == "" || col.value(rows[k]) < col.value(rows[next])) {
						next = k
					}
				}
				if next != "" {
					hide(next)
				}
			}
		}
	}
	return out
}

// landmarkShown says what a landmark row shows.
type landmarkShown struct {
	treated, untreated string // the counts as shown
	failures           bool   // both groups' kidney failure counts and rates
}

// suppressLandmark decides what a landmark row shows. The treated and
// untreated counts add up to the patients compared, the same in every row,
// and the two groups' kidney failures to the failures among them, also
// the same in every row: each row is a 2×2 table whose margins a reader
// has from any other row. The counts follow hiddenCells; the failure
// counts of both groups are withheld together when any of the four cells
// (failure or not, treated or not) or either group is below minCell.
func suppressLandmark(lc *LandmarkCount, minCell int64) landmarkShown {
	counts, _ := suppressLine(map[string]int64{"treated": lc.Treated, "untreated": lc.Untreated}, minCell)
	sh := landmarkShown{treated: counts["treated"], untreated: counts["untreated"], failures: true}
	if minCell <= 0 {
		return sh
	}
	for _, n := range []int64{lc.TreatedFailure, lc.Treated - lc.TreatedFailure, lc.UntreatedFailure, lc.Untreated - lc.UntreatedFailure} {
		if n > 0 && n < minCell {
			sh.failures = false
		}
	}
	if lc.Treated < minCell || lc.Untreated < minCell {
		sh.failures = false
	}
	return sh
}

// smallRate reports whether the rate x of n is withheld under minCell:
// its count, complement or total is below it (0 included).
func smallRate(x, n, minCell int64) bool {
	return minCell > 0 && (x < minCell || n-x < minCell || n < minCell)
}
