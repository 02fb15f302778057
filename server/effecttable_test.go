package server

import (
	"regexp"
	"strings"
	"testing"
)

// Trial #8: the before/after table groups the courses by therapy (one
// heading per drug, its courses under it) and keeps each number with its
// unit on one line. ln-class-iv-g4 has three prednisone courses and two of
// methylprednisolone.
func TestEffectTableByTherapy(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	body := string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf, nil, nil)))
	table := regexp.MustCompile(`(?s)<table id="tbl-effect".*?</table>`).FindString(body)
	if table == "" {
		t.Fatal("no before/after table")
	}
	groups := regexp.MustCompile(`(?s)<tbody><tr class="group"><th scope="rowgroup" colspan="5">([^<]*?) <small>[^<]*</small></th></tr>(.*?)</tbody>`).FindAllStringSubmatch(table, -1)
	courses := map[string]int{}
	for _, g := range groups {
		if _, dup := courses[g[1]]; dup {
			t.Errorf("therapy %q heads two groups", g[1])
		}
		courses[g[1]] = strings.Count(g[2], "<tr>")
	}
	for name, want := range map[string]int{"prednisone": 3, "methylprednisolone": 2, "cyclophosphamide": 1, "azathioprine": 1} {
		if courses[name] != want {
			t.Errorf("%s: %d courses in its group, want %d (groups %v)", name, courses[name], want, courses)
		}
	}
	// Every slope carries its unit and does not wrap; every cell names
	// its column for the narrow layout.
	slopes := regexp.MustCompile(`<span class="nw">-?[0-9.]+ mL/min/1.73 m²/year</span>`).FindAllString(table, -1)
	if len(slopes) < 10 {
		t.Errorf("%d slopes with their unit in nowrap spans, want one per slope shown:\n%s", len(slopes), table)
	}
	if n, l := strings.Count(table, "<td"), strings.Count(table, "<td data-label="); n != l || n == 0 {
		t.Errorf("%d cells, %d with a data-label", n, l)
	}
}
