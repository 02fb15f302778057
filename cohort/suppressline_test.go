package cohort

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// printedLine returns the cells of a summary line that starts with
// prefix, as printed ("label value", wrapped lines joined), by label.
func printedLine(t *testing.T, out, prefix string) map[string]string {
	t.Helper()
	i := strings.Index(out, prefix)
	if i < 0 {
		t.Fatalf("no %q in:\n%s", prefix, out)
	}
	rest := out[i+len(prefix):]
	// The line ends where the next line that starts a sentence does.
	end := len(rest)
	for _, next := range []string{"\nBy KDIGO", "\nEvery category", "\nLupus:", "\nNo lupus"} {
		if j := strings.Index(rest, next); j >= 0 && j < end {
			end = j
		}
	}
	cells := map[string]string{}
	for _, part := range strings.Split(strings.ReplaceAll(rest[:end], "\n", " "), "; ") {
		j := strings.LastIndex(part, " ")
		cells[part[:j]] = part[j+1:]
	}
	return cells
}

// feasibleValues returns, for each hidden cell of a printed line, the
// values it can take consistently with what is printed: "<K" is 0 to
// K−1, "withheld" K to the total, and the cells add up to total. Every
// assignment is enumerated through the sums the other hidden cells can
// make (a reader who knows the rule and the total).
func feasibleValues(t *testing.T, cells map[string]string, total, k int64) map[string][]int64 {
	t.Helper()
	type rng struct{ lo, hi int64 }
	hidden := map[string]rng{}
	left := total
	for label, v := range cells {
		switch {
		case v == "withheld":
			hidden[label] = rng{k, total}
		case v == fmt.Sprintf("<%d", k):
			hidden[label] = rng{0, k - 1}
		default:
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("cell %q %q", label, v)
			}
			left -= n
		}
	}
	out := map[string][]int64{}
	for label, r := range hidden {
		// reach[s]: the other hidden cells can add up to s.
		reach := make([]bool, total+1)
		reach[0] = true
		for other, o := range hidden {
			if other == label {
				continue
			}
			next := make([]bool, total+1)
			for s, ok := range reach {
				for v := o.lo; ok && v <= o.hi && int64(s)+v <= total; v++ {
					next[int64(s)+v] = true
				}
			}
			reach = next
		}
		for v := r.lo; v <= r.hi; v++ {
			if rest := left - v; rest >= 0 && rest <= total && reach[rest] {
				out[label] = append(out[label], v)
			}
		}
	}
	return out
}

// TestSummaryLineSuppression (trial 13 F1): with --min-cell 3 the
// 100-patient synthetic cohort printed "G1 63; G2 26; G2T <3; G3a 5;
// G3aT <3; G3b 3; G4 <3": the three small cells leave 3 of 100 and an
// empty category was not printed, so each was 1; with --min-cell 2 every
// "<2" was 1. Every category is now printed (0 as "<K"), and for each
// line below every assignment of the hidden cells that agrees with what
// is printed is enumerated: each hidden cell must take at least two
// values, its true one among them.
func TestSummaryLineSuppression(t *testing.T) {
	stageLabels := []string{"G1", "G1T", "G2", "G2T", "G3a", "G3aT", "G3b", "G3bT", "G4", "G4T", "G5", "G5D", "G5T",
		"no current eGFR", "no data by the as-of date", "deceased"}
	stageKey := map[string]string{"no current eGFR": "none", "no data by the as-of date": "no_data"}
	trial := map[string]int64{"G1": 63, "G2": 26, "G2T": 1, "G3a": 5, "G3aT": 1, "G3b": 3, "G4": 1}
	twos := map[string]int64{"G1": 70}
	for _, l := range stageLabels[1:] {
		k := l
		if stageKey[l] != "" {
			k = stageKey[l]
		}
		twos[k] = 2 // 15 cells of K−1 = 2 leave 30: all pinned at 2
	}
	for _, c := range []struct {
		name  string
		stage map[string]int64
		k     int64
	}{
		{"trial 13: three <3 leaving 3", trial, 3},
		{"trial 13 with K = 2", trial, 2},
		{"small cells all 0, the next one K", map[string]int64{"G1": 97, "G2": 3}, 3},
		{"small cells all K-1", twos, 3},
		{"one small cell", map[string]int64{"G1": 50, "G2": 20, "G3a": 5, "G1T": 5, "G2T": 5, "G3aT": 5, "G3b": 5, "G3bT": 1,
			"G4": 5, "G4T": 5, "G5": 5, "G5D": 5, "G5T": 5, "none": 5, "no_data": 5, "deceased": 5}, 3},
		{"everyone G1", map[string]int64{"G1": 100}, 5},
	} {
		s := newSummary()
		for _, v := range c.stage {
			s.Patients += v
		}
		s.Stage, s.Risk = c.stage, map[string]int64{"low": s.Patients}
		var b strings.Builder
		if err := s.Write(&b, c.k); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		cells := printedLine(t, out, "By KDIGO GFR category: ")
		for _, l := range stageLabels {
			if _, ok := cells[l]; !ok {
				t.Errorf("%s: category %q not printed, so a reader reads it as 0:\n%s", c.name, l, out)
			}
		}
		for label, vals := range feasibleValues(t, cells, s.Patients, c.k) {
			key := label
			if stageKey[label] != "" {
				key = stageKey[label]
			}
			if len(vals) < 2 {
				t.Errorf("%s: %s is derivable (%v) from the printed line:\n%s", c.name, label, vals, out)
			}
			if !slices.Contains(vals, c.stage[key]) {
				t.Errorf("%s: the true %s %d is not among %v (parse error?)", c.name, label, c.stage[key], vals)
			}
		}
	}
}

// TestSummaryNotJudgedSuppression (trial 13 F3): "of whom 1207 with lupus
// nephritis" and "all judged 1202" gave 5 not judged with --min-cell 10.
// The lupus nephritis count is withheld when the difference is below K,
// 0 included, and the lupus count too when it equals the judged count.
func TestSummaryNotJudgedSuppression(t *testing.T) {
	for _, c := range []struct {
		lupus, ln, judged int64
		wantLupus, wantLN string
	}{
		{1300, 1207, 1202, "1300 patients", "withheld"},
		{1300, 1207, 1207, "1300 patients", "withheld"},
		{1207, 1207, 1207, "withheld patients", "withheld"},
		{1300, 1207, 1100, "1300 patients", "1207"},
	} {
		s := newSummary()
		s.Patients, s.LupusPatients = 2000, c.lupus
		s.Stage["G1"], s.Risk["low"] = 2000, 2000
		s.Flares = FlareCount{Patients: c.ln, PatientYears: 3000, Confirmed: 40}
		s.Response["all"] = &ResponseCount{Judged: c.judged, Complete: 400, Any: 700}
		var b strings.Builder
		if err := s.Write(&b, 10); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("Lupus: %s with SLE or lupus nephritis, of whom %s with lupus nephritis", c.wantLupus, c.wantLN)
		if got := strings.ReplaceAll(b.String(), "\n", " "); !strings.Contains(got, want) {
			t.Errorf("lupus %d, LN %d, judged %d: no %q in:\n%s", c.lupus, c.ln, c.judged, want, b.String())
		}
	}
}

// TestSummaryFlareZeros (trial 13 F2): as of 2018 with --min-cell 5 the
// flare lines printed "0 confirmed ...: 0.0000 per patient-year (95% CI
// 0.0000-0.3727, Poisson)", "0 flares" and "confirmed or not: 0". A 0 is
// below K: "<5", and the rate withheld.
func TestSummaryFlareZeros(t *testing.T) {
	s := newSummary()
	s.Patients, s.LupusPatients = 100, 100
	s.Stage["G1"], s.Risk["low"] = 100, 100
	s.Flares = FlareCount{Patients: 9, PatientYears: 10}
	s.Response["all"] = &ResponseCount{Judged: 7, Complete: 2, Any: 4}
	var b strings.Builder
	if err := s.Write(&b, 5); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(b.String(), "\n", " ")
	for _, want := range []string{"Renal flares: <5 confirmed in 10 patient-years", "rate withheld (count < 5).",
		"Not in the rate: <5 flares", "confirmed or not: <5."} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, b.String())
		}
	}
	if strings.Contains(out, " 0 ") || strings.Contains(out, "0.0") {
		t.Errorf("a 0 is shown under --min-cell 5:\n%s", b.String())
	}
}
