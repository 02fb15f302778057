package server

import (
	"regexp"
	"strings"
	"testing"
)

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
