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

// Trial 8 F1: each slope of the before/after table reads as the report's
// trend line, with its 95% CI, the number of values and their span; the
// bare 4-significant-digit slope ("-31.05 mL/min/1.73 m²/year" over 3
// values whose CI is -325.1 to 263.0) is gone. The prednisone course of
// 2022-09-20 follows the renal flare of 2022-09-15, which the row's note
// names; a slope not estimated says why.
func TestEffectTableSlopeCI(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	body := string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf, nil, nil)))
	table := regexp.MustCompile(`(?s)<table id="tbl-effect".*?</table>`).FindString(body)
	for _, want := range []string{
		`<span class="nw">-31.1 mL/min/1.73 m²/year</span> (95% CI -325.1 to 263.0)<br><small>3 values 2021-12-09 to 2022-09-15</small>`,
		`<span class="nw">0.91 mL/min/1.73 m²/year</span> (95% CI -26.82 to 28.64)<br><small>4 values 2022-10-13 to 2023-09-07</small>`,
		`<td data-label="Note" colspan="5"><small>a renal flare (kdigo-2012) on 2022-09-15 is among the values before; a steeper slope before and a flatter one after are then expected without any effect of the therapy (regression to the mean)</small>`,
		`not estimated<br><small>needs at least 3 eGFR values spanning at least 90 days in the 12 months before 2020-06-12; have 1</small>`,
	} {
		if !strings.Contains(table, want) {
			t.Errorf("before/after table lacks %q:\n%s", want, table)
		}
	}
	for _, bare := range []string{"-31.05", "0.9076", "-26.61", "-7.377"} {
		if strings.Contains(table, bare) {
			t.Errorf("before/after table shows the bare slope %s", bare)
		}
	}
	// Every slope shown has its interval and its values.
	if n, ci := strings.Count(table, "/year</span>"), strings.Count(table, "/year</span> (95% CI "); n != ci || n == 0 {
		t.Errorf("%d slopes, %d with a 95%% CI", n, ci)
	}
	// The caveat above the table says why a flatter slope after is expected.
	if !strings.Contains(body, "(regression to the mean)") {
		t.Error("the page's caveat does not name regression to the mean")
	}
}

// Trial 9 F-h: the page's before/after table names, under each course's
// start, the therapies running alongside it (stem-cell's infusion of
// 2025-06-10 was given on hydroxychloroquine, valsartan and azathioprine),
// and the heading of an unproven agent says a change after it cannot be
// attributed to it.
func TestEffectTableRegimen(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	body := string(readAll(t, do(t, s, "GET", "/patients/stem-cell?as_of="+testAsOf, nil, nil)))
	table := regexp.MustCompile(`(?s)<table id="tbl-effect".*?</table>`).FindString(body)
	for _, want := range []string{
		`mesenchymal stem cells <small>evidence unproven; a change after it cannot be attributed to it (source under Alerts)</small>`,
		`<span class="nw">2025-06-10</span><br><small>with hydroxychloroquine, valsartan, azathioprine running</small>`,
	} {
		if !strings.Contains(table, want) {
			t.Errorf("before/after table lacks %q:\n%s", want, table)
		}
	}
}

// Trial 9: each UPCR change of the table gave a bare "-31%"; it now gives
// its baseline and follow-up dates, as the text report does. "At 6
// months" is the value nearest 6 months within 61 days: ln-class-iv-g4's
// azathioprine of 2026-04-21 has its "6 months" value of 2026-09-17, 4.9
// months after the start, which the reader must be able to see.
func TestEffectTableUPCRDates(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	body := string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of=2026-12-07", nil, nil)))
	table := regexp.MustCompile(`(?s)<table id="tbl-effect".*?</table>`).FindString(body)
	want := `<td data-label="UPCR change at 6 months"><span class="nw">-31%</span><br><small class="nw">from 2026-04-16<br>to 2026-09-17</small></td>`
	if !strings.Contains(table, want) {
		t.Errorf("before/after table lacks %q:\n%s", want, table)
	}
	if n, d := strings.Count(table, "%</span><br><small class=\"nw\">from "), strings.Count(table, "%</span></td>"); n == 0 || d != 0 {
		t.Errorf("%d UPCR changes with dates, %d bare", n, d)
	}
}

// Trial 11 F3: a UPCR change not computed says why, with the
// assessment's reason (its "missing" entry), as a slope not estimated
// does; the cell no longer shows a bare "–". stem-cell's azathioprine
// (2021-06-01) and rituximab (2022-06-02) courses have no UPCR change.
func TestEffectTableUPCRReason(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	for id, want := range map[string]string{
		"stem-cell":      "not computed<br><small>no measured UPCR in the 90 days before 2022-06-02</small>",
		"ln-class-iv-g4": "not computed<br><small>too early: 12 months after the start is after as_of</small>",
	} {
		body := string(readAll(t, do(t, s, "GET", "/patients/"+id+"?as_of="+testAsOf, nil, nil)))
		table := regexp.MustCompile(`(?s)<table id="tbl-effect".*?</table>`).FindString(body)
		if table == "" {
			t.Fatalf("%s: no before/after table", id)
		}
		cells := regexp.MustCompile(`(?s)<td data-label="UPCR change at (?:6|12) months"[^>]*>(.*?)</td>`).FindAllStringSubmatch(table, -1)
		var none int
		for _, c := range cells {
			if strings.Contains(c[1], "%") {
				continue
			}
			none++
			if !regexp.MustCompile(`^not computed<br><small>[^<]{10,}</small>$`).MatchString(c[1]) {
				t.Errorf("%s: UPCR change cell without its reason: %q", id, c[1])
			}
		}
		if !strings.Contains(table, want) {
			t.Errorf("%s: before/after table lacks %q", id, want)
		}
		if none == 0 {
			t.Errorf("%s: every UPCR change computed; the test needs a cell without one:\n%s", id, table)
		}
	}
}
